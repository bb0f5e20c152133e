"""Writes for risk and safety: the risk assessment (with a version check), incidents and
their sign-off, and safeguarding referrals."""

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from keywork import access
from keywork.accounts.models import Role, User
from keywork.core.auditing import set_actor
from keywork.core.saving import check_version, save_checked, save_first
from keywork.core.services import notifications_done, notify, notify_many
from keywork.organisations.models import Service
from keywork.people.models import Episode, Person
from keywork.risk import selectors
from keywork.risk.models import (
    Incident,
    IncidentAction,
    IncidentPerson,
    Level,
    RiskArea,
    RiskAssessment,
    RiskVersion,
    SafeguardingReferral,
)

AREA_TEXTS = ("history", "triggers", "warning_signs", "management_plan")


def _review_weeks(person: Person) -> int:
    """The shortest risk-review standard of the services now supporting the person."""
    weeks = Episode.objects.filter(person=person, end_date=None).values_list(
        "service__risk_review_weeks", flat=True
    )
    return min(weeks, default=12)


def _current_assessment(person: Person) -> RiskAssessment | None:
    """The person's assessment, locked until this save is done (None if there is none)."""
    return RiskAssessment.objects.select_for_update().filter(person=person).first()


@transaction.atomic
def risk_assessment_save(
    *,
    actor: User,
    person: Person,
    version: int | None,
    overall: str,
    summary: str,
    areas: dict[str, dict[str, str]],
    overall_is_right: bool = False,
) -> RiskAssessment:
    """Saves the whole assessment over the version the user opened, or nothing: a newer
    save by someone else is never written over. Each save keeps a frozen version. An
    overall level below the highest area's is asked about once (`overall_is_right`): it
    may be right, as the risk is well managed, but it is more often a slip."""
    access.check_can_record_on(actor, person)
    current = _current_assessment(person)
    check_version(current, version, what="risk assessment")
    errors = {}
    if overall not in Level.values:
        errors["overall"] = "Choose the overall level of risk."
    elif overall == Level.HIGH and not summary.strip():
        errors["summary"] = "A high overall risk needs a plan: say how the risk is managed."
    given = {}
    for domain, area in areas.items():
        if domain not in RiskArea.Domain.values:
            errors["__all__"] = "Assess only the listed areas of risk."
            continue
        texts = {name: (area.get(name) or "").strip() for name in AREA_TEXTS}
        level = area.get("level") or ""
        if not level and not any(texts.values()):
            continue
        label = RiskArea.Domain(domain).label
        if level not in Level.values:
            errors[f"level_{domain}"] = f"Choose the level of {label.lower()}."
        elif level == Level.HIGH and not texts["management_plan"]:
            errors[f"management_plan_{domain}"] = f"{label} is high: say how it is managed."
        given[domain] = {"level": level, **texts}
    if not given and not errors:
        errors["__all__"] = "Assess at least one area of risk."
    ranks = {level: rank for rank, level in enumerate(Level.values)}
    assessed = [(ranks[a["level"]], d) for d, a in given.items() if a["level"] in ranks]
    if overall in ranks and assessed and not overall_is_right and "overall" not in errors:
        highest, domain = max(assessed)
        if highest > ranks[overall]:
            errors["overall"] = (
                f"The overall level ({overall}) is below the level of "
                f"{RiskArea.Domain(domain).label.lower()} ({Level.values[highest]}). "
                "Raise it, or tick to say it is right."
            )
    if errors:
        raise ValidationError(errors)

    now = timezone.now()
    assessment = current or RiskAssessment(
        organisation_id=person.organisation_id, person=person, version=0
    )
    assessment.overall = overall
    assessment.summary = summary.strip()
    assessment.review_on = timezone.localdate() + timedelta(weeks=_review_weeks(person))
    assessment.version += 1
    assessment.updated_by = actor
    assessment.updated_at = now
    if current is None:
        # The person's first assessment: if someone else saved theirs a moment ago,
        # nothing is saved and this user sees theirs beside what they typed.
        save_first(
            actor,
            assessment,
            what="risk assessment",
            theirs=lambda: RiskAssessment.objects.filter(person=person).first(),
        )
    else:
        save_checked(actor, assessment)
    with set_actor(actor):
        assessment.areas.all().delete()
        for domain, area in given.items():
            RiskArea.objects.create(assessment=assessment, domain=domain, **area)
        RiskVersion.objects.create(
            assessment=assessment,
            number=assessment.version,
            saved_by=actor,
            saved_at=now,
            overall=overall,
            snapshot={
                "overall": overall,
                "summary": assessment.summary,
                "review_on": assessment.review_on.isoformat(),
                "areas": [
                    {"domain": domain, **area}
                    for domain, area in sorted(
                        given.items(), key=lambda kv: RiskArea.Domain.values.index(kv[0])
                    )
                ],
            },
        )
    return assessment


def service_lead_managers(service: Service) -> list[User]:
    """The lead managers of the teams that work in the service."""
    return list(
        User.objects.filter(
            is_active=True,
            organisation_id=service.organisation_id,
            memberships__role=Role.LEAD_MANAGER,
            memberships__team__services=service,
        ).distinct()
    )


@transaction.atomic
def incident_report(
    *,
    actor: User,
    service: Service,
    type: str,
    severity: str,
    occurred_at: datetime,
    place: str,
    what_happened: str,
    immediate_action: str,
    people: list[Person],
    staff_involved: Sequence[User] = (),
    others_involved: str = "",
) -> Incident:
    """Records an incident for a manager to review. A serious (high-severity) one tells
    the service's lead managers at once."""

    access.check_or_404(actor, "people.work_in_service", service)
    errors = {}
    if occurred_at > timezone.now():
        errors["occurred_at"] = "An incident cannot be dated in the future."
    visible = set(access.people_visible_to(actor).filter(pk__in=[p.pk for p in people]))
    if len(visible) != len(set(people)):
        errors["people"] = "Choose people you work with."
    if any(u.organisation_id != actor.organisation_id for u in staff_involved):
        errors["staff_involved"] = "Choose staff from your organisation."
    if not (what_happened or "").strip():
        errors["what_happened"] = "Say what happened."
    if errors:
        raise ValidationError(errors)
    incident = Incident(
        organisation_id=service.organisation_id,
        service=service,
        type=type,
        severity=severity,
        occurred_at=occurred_at,
        place=place.strip(),
        what_happened=what_happened.strip(),
        immediate_action=immediate_action.strip(),
        others_involved=others_involved.strip(),
        reported_by=actor,
        reported_at=timezone.now(),
    )
    incident.full_clean()
    with set_actor(actor):
        incident.save()
        incident.staff_involved.set(staff_involved)
        for person in people:
            IncidentPerson.objects.create(incident=incident, person=person)
    if severity == Incident.Severity.HIGH:
        notify_many(
            users=[u for u in service_lead_managers(service) if u.pk != actor.pk],
            text=f"Serious incident in {service.name}: {incident.get_type_display().lower()}. "
            "Review and sign it off.",
            url=reverse("risk:incident", args=[incident.pk]),
        )
    return incident


@transaction.atomic
def incident_part_set(*, actor: User, part: IncidentPerson, their_part: str) -> IncidentPerson:
    """What the incident meant for one of the people in it, for their own record. Written
    by those who know the whole incident (its reporter, staff in it, the service's
    managers) and may record on the person."""
    access.get_visible_or_404(selectors.incidents_visible_to(actor), pk=part.incident_id)
    access.check_can_record_on(actor, part.person)
    part.their_part = their_part.strip()
    save_checked(actor, part, update_fields=["their_part"])
    return part


@transaction.atomic
def incident_sign_off(
    *,
    actor: User,
    incident: Incident,
    manager_review: str,
    actions: Sequence[tuple[str, User, date]] = (),
) -> Incident:
    # Whoever may not see the whole incident learns nothing of it, not even its service.
    incidents = selectors.incidents_visible_to(actor).select_for_update().select_related("service")
    incident = access.get_visible_or_404(incidents, pk=incident.pk)
    if incident.service_id not in access.managed_service_ids(actor):
        raise ValidationError(
            f"Only a manager of {incident.service.name} can sign off this incident."
        )
    if incident.signed_off_at is not None:
        raise ValidationError("This incident has already been signed off.")
    errors = {}
    if not manager_review.strip():
        errors["manager_review"] = "Write your review of the incident."
    for what, owner, due_on in actions:
        if owner.organisation_id != actor.organisation_id:
            errors["__all__"] = "Choose staff from your organisation."
        if due_on < timezone.localdate():
            errors["__all__"] = f"The follow-up “{what}” cannot be due in the past."
    if errors:
        raise ValidationError(errors)
    incident.manager_review = manager_review.strip()
    incident.signed_off_by = actor
    incident.signed_off_at = timezone.now()
    with set_actor(actor):
        incident.save(update_fields=["manager_review", "signed_off_by", "signed_off_at"])
        for what, owner, due_on in actions:
            IncidentAction.objects.create(incident=incident, what=what, owner=owner, due_on=due_on)
    # The managers were asked to sign it off: once one has, that request is done.
    notifications_done(url=reverse("risk:incident", args=[incident.pk]))
    for _what, owner, due_on in actions:
        if owner.pk != actor.pk:
            # The action's words may name the people involved, so they stay on the
            # incident's page, which checks who may read it.
            notify(
                user=owner,
                text=f"An incident in {incident.service.name} has a follow-up for you "
                f"by {due_on:%d/%m/%Y}.",
                url=reverse("risk:incident", args=[incident.pk]),
            )
    return incident


@transaction.atomic
def safeguarding_refer(
    *,
    actor: User,
    person: Person,
    service: Service,
    about: str,
    concern: str,
    referred_to: str,
    referred_on: date,
    reference: str = "",
    incident: Incident | None = None,
) -> SafeguardingReferral:
    access.check_can_record_on(actor, person)
    access.check_or_404(actor, "people.work_in_service", service)
    errors = {}
    if referred_on > timezone.localdate():
        errors["referred_on"] = "The referral cannot be dated in the future."
    if incident is not None and not incident.people.filter(person=person).exists():
        errors["incident"] = "Link an incident this person was involved in."
    if errors:
        raise ValidationError(errors)
    referral = SafeguardingReferral(
        organisation_id=person.organisation_id,
        person=person,
        service=service,
        incident=incident,
        about=about,
        concern=concern.strip(),
        referred_to=referred_to.strip(),
        referred_on=referred_on,
        reference=reference.strip(),
        created_by=actor,
    )
    save_checked(actor, referral)
    return referral


@transaction.atomic
def safeguarding_outcome(
    *, actor: User, referral: SafeguardingReferral, outcome: str, outcome_on: date
) -> SafeguardingReferral:
    access.check_can_record_on(actor, referral.person)
    if not outcome:
        raise ValidationError({"outcome": "Choose the outcome."})
    if outcome_on > timezone.localdate():
        raise ValidationError({"outcome_on": "The outcome cannot be dated in the future."})
    if outcome_on < referral.referred_on:
        raise ValidationError({"outcome_on": "The outcome cannot be before the referral."})
    referral.outcome, referral.outcome_on = outcome, outcome_on
    save_checked(actor, referral, update_fields=["outcome", "outcome_on"])
    return referral
