"""Writes for accommodation: properties and units, who lives where (with no unit ever
over its capacity on any night), move-on plans and housing applications, and the checks
after a move-on."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from keywork import access
from keywork.accounts.models import User
from keywork.core.auditing import set_actor
from keywork.core.saving import save_checked
from keywork.housing.models import (
    HousingApplication,
    MoveOnPlan,
    Property,
    SustainmentCheck,
    Tenancy,
    Unit,
)
from keywork.organisations.models import Service
from keywork.people.models import Episode


@transaction.atomic
def property_add(*, actor: User, service: Service, name: str, address: str, type: str) -> Property:
    access.check_or_404(actor, "housing.manage", service)
    return save_checked(
        actor,
        Property(
            organisation_id=service.organisation_id,
            service=service,
            name=name.strip(),
            address=address.strip(),
            type=type,
        ),
    )


@transaction.atomic
def unit_add(*, actor: User, property: Property, name: str, capacity: int, opened_on: date) -> Unit:
    access.check_or_404(actor, "housing.manage", property.service)
    if Unit.objects.filter(property=property, name__iexact=name.strip()).exists():
        raise ValidationError({"name": f"{property.name} already has a unit called {name}."})
    return save_checked(
        actor, Unit(property=property, name=name.strip(), capacity=capacity, opened_on=opened_on)
    )


def _busiest_night(
    unit: Unit, start: date, end: date | None, ignore: int | None = None
) -> tuple[date, int]:
    """The night in [start, end) with the most people already in the unit, and how many."""
    others = Tenancy.objects.filter(unit=unit, start_date__lt=end or date.max).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=start)
    )
    if ignore:
        others = others.exclude(pk=ignore)
    changes: dict[date, int] = {}
    for t in others:
        changes[max(t.start_date, start)] = changes.get(max(t.start_date, start), 0) + 1
        if t.end_date and (end is None or t.end_date < end):
            changes[t.end_date] = changes.get(t.end_date, 0) - 1
    busiest, night, count = 0, start, 0
    for day in sorted(changes):
        count += changes[day]
        if count > busiest:
            busiest, night = count, day
    return night, busiest


@transaction.atomic
def move_in(*, actor: User, episode: Episode, unit: Unit, start_date: date, kind: str) -> Tenancy:
    """Moves the person into the unit from the start date. If they live in another unit
    in this episode, that stay ends the same day (a move). No unit is ever over its
    capacity on any night."""
    access.check_or_404(actor, "people.work_in_service", episode.service)
    unit = Unit.objects.select_for_update().select_related("property").get(pk=unit.pk)
    errors = {}
    if unit.property.service_id != episode.service_id:
        errors["unit"] = "Choose a unit in the service supporting them."
    if start_date < episode.start_date:
        errors["start_date"] = (
            f"They cannot move in before support started on {episode.start_date:%d/%m/%Y}."
        )
    if start_date > timezone.localdate() + timedelta(days=31):
        errors["start_date"] = "Record a move in up to a month ahead, not more."
    if episode.end_date is not None:
        errors["__all__"] = "Support has ended: move them in during an open episode."
    if start_date < unit.opened_on:
        errors["start_date"] = f"{unit} is in use from {unit.opened_on:%d/%m/%Y}."
    current = (
        Tenancy.objects.select_for_update().filter(episode=episode, end_date__isnull=True).first()
    )
    if current and current.unit_id == unit.pk:
        errors["unit"] = f"They already live in {unit}."
    if current and start_date <= current.start_date:
        errors["start_date"] = (
            f"They moved into {current.unit} on {current.start_date:%d/%m/%Y}: "
            "a move must come after that."
        )
    if not errors:
        night, busiest = _busiest_night(unit, start_date, None)
        if busiest >= unit.capacity:
            errors["unit"] = (
                f"{unit} is full on the night of {night:%d/%m/%Y} "
                f"({busiest} of {unit.capacity} bed{'s' if unit.capacity != 1 else ''} taken)."
            )
    if errors:
        raise ValidationError(errors)
    with set_actor(actor):
        if current:
            current.end_date = start_date
            current.save(update_fields=["end_date"])
    return save_checked(
        actor,
        Tenancy(
            episode=episode,
            person=episode.person,
            unit=unit,
            kind=kind,
            start_date=start_date,
            created_by=actor,
        ),
    )


@transaction.atomic
def move_out(*, actor: User, tenancy: Tenancy, end_date: date) -> Tenancy:
    access.check_or_404(actor, "people.work_in_service", tenancy.episode.service)
    tenancy = Tenancy.objects.select_for_update().get(pk=tenancy.pk)
    if tenancy.end_date is not None:
        raise ValidationError("They have already moved out of this unit.")
    if end_date < tenancy.start_date:
        raise ValidationError(
            {"end_date": f"A tenancy cannot end before it starts ({tenancy.start_date:%d/%m/%Y})."}
        )
    tenancy.end_date = end_date
    with set_actor(actor):
        tenancy.save(update_fields=["end_date"])
    return tenancy


def end_stays_with_episode(episode: Episode, end_date: date, actor: User) -> None:
    """When support ends, so does the stay in the service's accommodation."""
    with set_actor(actor):
        for tenancy in Tenancy.objects.filter(episode=episode, end_date__isnull=True):
            tenancy.end_date = max(end_date, tenancy.start_date)
            tenancy.save(update_fields=["end_date"])


@transaction.atomic
def move_on_plan_save(
    *, actor: User, episode: Episode, readiness: str, barriers: str
) -> MoveOnPlan:
    access.check_or_404(actor, "planning.edit", episode)
    plan = MoveOnPlan.objects.filter(episode=episode).first() or MoveOnPlan(
        episode=episode, person=episode.person
    )
    plan.readiness, plan.barriers = readiness, barriers.strip()
    return save_checked(actor, plan)


@transaction.atomic
def application_add(
    *,
    actor: User,
    plan: MoveOnPlan,
    route: str,
    band: str,
    applied_on: date,
    status: str,
    status_on: date,
    note: str = "",
) -> HousingApplication:
    access.check_or_404(actor, "planning.edit", plan.episode)
    _check_application_dates(applied_on, status_on)
    return save_checked(
        actor,
        HousingApplication(
            plan=plan,
            route=route,
            band=band.strip() if route == HousingApplication.Route.COUNCIL else "",
            applied_on=applied_on,
            status=status,
            status_on=status_on,
            note=note.strip(),
        ),
    )


def _check_application_dates(applied_on: date, status_on: date) -> None:
    today = timezone.localdate()
    if applied_on > today:
        raise ValidationError({"applied_on": "The application cannot be dated in the future."})
    if status_on > today:
        raise ValidationError({"status_on": "The status cannot be dated in the future."})
    if status_on < applied_on:
        raise ValidationError({"status_on": "The status cannot be dated before the application."})


@transaction.atomic
def application_update(
    *, actor: User, application: HousingApplication, status: str, status_on: date, note: str
) -> HousingApplication:
    access.check_or_404(actor, "planning.edit", application.plan.episode)
    _check_application_dates(application.applied_on, status_on)
    application.status, application.status_on = status, status_on
    application.note = note.strip()
    return save_checked(actor, application)


@transaction.atomic
def sustainment_check(
    *,
    actor: User,
    episode: Episode,
    months: int,
    checked_on: date,
    still_housed: bool,
    where: str,
    how_known: str,
) -> SustainmentCheck:
    """A check 3, 6 or 12 months after a planned move-on."""
    access.check_or_404(actor, "people.work_in_service", episode.service)
    if episode.end_date is None or episode.end_reason != Episode.EndReason.PLANNED:
        raise ValidationError(
            "Follow-up checks are for people who moved on: this person's support has "
            "not ended with a planned move-on."
        )
    errors = {}
    if checked_on > timezone.localdate():
        errors["checked_on"] = "The check cannot be dated in the future."
    elif checked_on < episode.end_date:
        errors["checked_on"] = (
            f"The check cannot be before they moved on ({episode.end_date:%d/%m/%Y})."
        )
    if SustainmentCheck.objects.filter(episode=episode, months=months).exists():
        errors["months"] = f"The {months}-month check is already recorded."
    if errors:
        raise ValidationError(errors)
    return save_checked(
        actor,
        SustainmentCheck(
            episode=episode,
            person=episode.person,
            months=months,
            checked_on=checked_on,
            still_housed=still_housed,
            where=where.strip(),
            how_known=how_known,
            created_by=actor,
        ),
    )
