"""Writes for on call: the rota (its patterns and shifts, changes and swaps, time off and
contact numbers), the log written during a shift, its follow-ups for the day team, and
the senior's reading of the morning handover.

Every change to a rota's shifts is made with the rota's row locked and its version
checked, so that two managers editing one rota at once cannot both save over the
other, and two first-line shifts can never overlap. Each shift carries its worker's
cover of the rota's services (people.ServiceCover) for exactly its own hours."""

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from keywork import access
from keywork.accounts.models import Role, User
from keywork.core.auditing import set_actor
from keywork.core.errors import NotFoundOrNotAllowed
from keywork.core.saving import check_version, save_checked
from keywork.core.services import notify
from keywork.core.working_days import bank_holidays
from keywork.oncall.models import (
    BANK_HOLIDAY,
    DAYS,
    ContactNumber,
    FollowUp,
    HandoverRead,
    Line,
    LogAmendment,
    LogEntry,
    Pattern,
    Rota,
    Shift,
    TimeOff,
)
from keywork.oncall.permissions import rota_service_ids
from keywork.organisations.models import Service
from keywork.people.cover import cover_remove, cover_replace
from keywork.people.models import Episode, Person

LONGEST_SHIFT = timedelta(hours=24)
LONGEST_PATTERN_DAYS = 366
# A call is written up soon after it is taken; the shift may have ended by then.
WRITE_UP_AFTER_SHIFT = timedelta(hours=12)


# --- The rota --------------------------------------------------------------------------------


def _check_services(actor: User, services: Sequence[Service], *, added: Sequence[Service]) -> None:
    """A rota covers at least one service; one is added to it by a manager of it."""
    if not services:
        raise ValidationError({"services": "Choose at least one service the rota covers."})
    for service in added:
        if service.organisation_id != actor.organisation_id:
            raise NotFoundOrNotAllowed
        if not access.manages_service(actor, service):
            # The form offers only the services the actor manages.
            raise NotFoundOrNotAllowed


def rota_create(*, actor: User, name: str, services: Sequence[Service], nation: str) -> Rota:
    """A new rota, for managers of each of its services."""
    access.check_or_404(actor, "people.record")
    _check_services(actor, services, added=services)
    with transaction.atomic():
        rota = save_checked(
            actor,
            Rota(
                organisation_id=actor.organisation_id,
                name=" ".join(name.split()),
                nation=nation,
                created_by=actor,
            ),
        )
        with set_actor(actor):
            rota.services.set(services)
    return rota


def _locked(rota: Rota, version: int | None) -> Rota:
    current = Rota.objects.select_for_update().get(pk=rota.pk)
    check_version(current, version, what="rota")
    return current


def _bump(actor: User, rota: Rota) -> None:
    rota.version += 1
    save_checked(actor, rota, update_fields=["version"])


def rota_change(
    *,
    actor: User,
    rota: Rota,
    version: int | None,
    name: str,
    services: Sequence[Service],
    nation: str,
) -> Rota:
    """Renames a rota or changes what it covers; the cover of shifts not yet over follows."""
    access.check_or_404(actor, "oncall.manage", rota)
    covered = rota_service_ids(rota)
    _check_services(actor, services, added=[s for s in services if s.pk not in covered])
    with transaction.atomic():
        current = _locked(rota, version)
        current.name = " ".join(name.split())
        current.nation = nation
        current.version += 1
        save_checked(actor, current)
        with set_actor(actor):
            current.services.set(services)
        service_ids = [s.pk for s in services]
        for shift in current.shifts.filter(removed_at=None, ends_at__gt=timezone.now()):
            _cover(shift, service_ids)
    return current


def contact_number_set(*, actor: User, user: User, number: str) -> ContactNumber:
    """Someone's number for on call: their own to set, or a manager's for their staff."""
    if user.organisation_id != actor.organisation_id:
        raise NotFoundOrNotAllowed
    if user.pk != actor.pk and not access.roles_of(actor) & access.MANAGER_ROLES:
        raise NotFoundOrNotAllowed
    cleaned = " ".join(number.split())
    digits = [c for c in cleaned if c.isdigit()]
    if not 10 <= len(digits) <= 13 or any(not (c.isdigit() or c in " +()-") for c in cleaned):
        raise ValidationError(
            {"number": "Enter a phone number, like 07700 900123 or +44 117 496 0123."}
        )
    with transaction.atomic():
        row = ContactNumber.objects.select_for_update().filter(user=user).first()
        if row is None:
            row = ContactNumber(organisation_id=user.organisation_id, user=user)
        row.number = cleaned
        return save_checked(actor, row)


def time_off_add(*, actor: User, worker: User, first_day: date, last_day: date) -> TimeOff:
    """Leave, for the rota to know: the worker's own, or recorded by a manager."""
    if worker.organisation_id != actor.organisation_id:
        raise NotFoundOrNotAllowed
    if worker.pk != actor.pk and not access.roles_of(actor) & access.MANAGER_ROLES:
        raise NotFoundOrNotAllowed
    if last_day < first_day:
        raise ValidationError({"last_day": "The last day away must be on or after the first."})
    if (last_day - first_day).days > LONGEST_PATTERN_DAYS:
        raise ValidationError({"last_day": "Time off can be at most a year: add it in parts."})
    with transaction.atomic():
        return save_checked(
            actor,
            TimeOff(
                organisation_id=actor.organisation_id,
                worker=worker,
                first_day=first_day,
                last_day=last_day,
                created_by=actor,
            ),
        )


# --- Shifts ----------------------------------------------------------------------------------


def _check_worker(rota: Rota, worker: User) -> None:
    if worker.organisation_id != rota.organisation_id:
        raise NotFoundOrNotAllowed
    if not worker.is_active:
        raise ValidationError({"worker": f"{worker.full_name} has left: choose someone else."})
    if not ContactNumber.objects.filter(user=worker).exists():
        raise ValidationError(
            {
                "worker": f"{worker.full_name} has no phone number for on call: add it on the "
                "rota's page first."
            }
        )


def _check_times(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "The shift must end after it starts."})
    if ends_at - starts_at > LONGEST_SHIFT:
        raise ValidationError({"ends_at": "A shift can be at most 24 hours: split it in two."})


def _first_line_clash(
    rota: Rota, starts_at: datetime, ends_at: datetime, *, leaving_out: Iterable[int] = ()
) -> Shift | None:
    return (
        rota.shifts.filter(
            line=Line.FIRST, removed_at=None, starts_at__lt=ends_at, ends_at__gt=starts_at
        )
        .exclude(pk__in=list(leaving_out))
        .order_by("starts_at")
        .first()
    )


def _clash_message(clash: Shift) -> str:
    when = timezone.localtime(clash.starts_at)
    return (
        f"{clash.worker.full_name} is already first on call from {when:%H:%M on %d %B %Y}: "
        "two first-line shifts cannot overlap."
    )


def _cover(shift: Shift, service_ids: Iterable[int] | None = None) -> None:
    if shift.removed_at is not None:
        cover_remove(shift.cover_key)
        return
    cover_replace(
        shift.cover_key,
        shift.worker_id,
        shift.rota.organisation_id,
        rota_service_ids(shift.rota) if service_ids is None else service_ids,
        shift.starts_at,
        shift.ends_at,
    )


def shift_add(
    *,
    actor: User,
    rota: Rota,
    version: int | None,
    line: str,
    worker: User,
    starts_at: datetime,
    ends_at: datetime,
    notes: str = "",
) -> Shift:
    access.check_or_404(actor, "oncall.manage", rota)
    _check_times(starts_at, ends_at)
    _check_worker(rota, worker)
    with transaction.atomic():
        current = _locked(rota, version)
        if line == Line.FIRST and (clash := _first_line_clash(current, starts_at, ends_at)):
            raise ValidationError({"starts_at": _clash_message(clash)})
        shift = save_checked(
            actor,
            Shift(
                rota=current,
                line=line,
                worker=worker,
                starts_at=starts_at,
                ends_at=ends_at,
                notes=notes.strip(),
            ),
        )
        _cover(shift)
        _bump(actor, current)
    return shift


def shift_change(
    *,
    actor: User,
    shift: Shift,
    version: int | None,
    worker: User,
    starts_at: datetime,
    ends_at: datetime,
    notes: str = "",
) -> Shift:
    """One shift changed on its own (its pattern's other shifts untouched)."""
    access.check_or_404(actor, "oncall.manage", shift.rota)
    _check_times(starts_at, ends_at)
    if worker.pk != shift.worker_id:
        _check_worker(shift.rota, worker)
    with transaction.atomic():
        current = _locked(shift.rota, version)
        row = Shift.objects.select_for_update().get(pk=shift.pk)
        if row.removed_at is not None:
            raise ValidationError("This shift has been removed from the rota.")
        if row.line == Line.FIRST and (
            clash := _first_line_clash(current, starts_at, ends_at, leaving_out=[row.pk])
        ):
            raise ValidationError({"starts_at": _clash_message(clash)})
        if (
            row.log.filter(call_at__lt=starts_at).exists()
            or row.log.filter(call_at__gt=ends_at).exists()
        ):
            raise ValidationError(
                {"starts_at": "Calls were logged in this shift outside those times."}
            )
        row.worker, row.starts_at, row.ends_at = worker, starts_at, ends_at
        row.notes, row.changed = notes.strip(), True
        save_checked(actor, row)
        _cover(row)
        _bump(actor, current)
    return row


def shift_remove(*, actor: User, shift: Shift, version: int | None) -> Shift:
    """Takes a shift off the rota; it stays on record, and a call logged in it keeps it."""
    access.check_or_404(actor, "oncall.manage", shift.rota)
    with transaction.atomic():
        current = _locked(shift.rota, version)
        row = Shift.objects.select_for_update().get(pk=shift.pk)
        if row.log.exists():
            raise ValidationError("Calls were logged in this shift: it cannot be removed.")
        if row.removed_at is None:
            row.removed_at = timezone.now()
            save_checked(actor, row)
            _cover(row)
            _bump(actor, current)
    return row


def shifts_swap(*, actor: User, shift: Shift, other: Shift, version: int | None) -> None:
    """Two shifts of one rota change hands; each worker now covers the other's hours."""
    access.check_or_404(actor, "oncall.manage", shift.rota)
    if other.rota_id != shift.rota_id:
        raise NotFoundOrNotAllowed
    if other.pk == shift.pk or other.worker_id == shift.worker_id:
        raise ValidationError({"other": "Choose a shift of someone else to swap with."})
    with transaction.atomic():
        current = _locked(shift.rota, version)
        rows = {
            s.pk: s for s in Shift.objects.select_for_update().filter(pk__in=[shift.pk, other.pk])
        }
        mine, theirs = rows[shift.pk], rows[other.pk]
        if mine.removed_at or theirs.removed_at:
            raise ValidationError({"other": "One of these shifts has been removed from the rota."})
        if mine.log.exists() or theirs.log.exists():
            raise ValidationError({"other": "Calls were logged in one of these shifts."})
        for row in (mine, theirs):
            if row.ends_at <= timezone.now():
                raise ValidationError({"other": "A shift that is over cannot be swapped."})
        mine.worker_id, theirs.worker_id = theirs.worker_id, mine.worker_id
        for row in (mine, theirs):
            row.changed = True
            save_checked(actor, row)
            _cover(row)
        _bump(actor, current)


# --- Patterns --------------------------------------------------------------------------------


def _at(day: date, clock: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, clock))


def pattern_times(
    days: Sequence[str], starts_at: time, ends_at: time, first: date, last: date, nation: str
) -> list[tuple[datetime, datetime]]:
    """The shifts a pattern gives: on each named weekday that is not a bank holiday, and
    on each bank holiday if it names them (a weekday pattern does not run on a holiday;
    the holiday's own pattern does). A shift ending at or before its start time ends the
    next day (at the same time: 24 hours, round the clock)."""
    holidays = bank_holidays(nation, first, last)
    spans = []
    day = first
    while day <= last:
        named = BANK_HOLIDAY if day in holidays else DAYS[day.weekday()]
        if named in days:
            end_day = day + timedelta(days=1) if ends_at <= starts_at else day
            spans.append((_at(day, starts_at), _at(end_day, ends_at)))
        day += timedelta(days=1)
    return spans


def pattern_add(
    *,
    actor: User,
    rota: Rota,
    version: int | None,
    line: str,
    worker: User,
    days: Sequence[str],
    starts_at: time,
    ends_at: time,
    first_date: date,
    last_date: date,
) -> Pattern:
    """A recurring shift and the shifts it makes, all or none: a first-line shift that
    would overlap one already on the rota refuses the whole pattern, naming the date."""
    access.check_or_404(actor, "oncall.manage", rota)
    days = [d for d in days if d in (*DAYS, BANK_HOLIDAY)]
    if not days:
        raise ValidationError({"days": "Choose the days the shift runs on."})
    if last_date < first_date:
        raise ValidationError({"last_date": "The last date must be on or after the first."})
    if (last_date - first_date).days >= LONGEST_PATTERN_DAYS:
        raise ValidationError({"last_date": "A pattern can run for at most a year."})
    _check_worker(rota, worker)
    spans = pattern_times(days, starts_at, ends_at, first_date, last_date, rota.nation)
    if not spans:
        raise ValidationError({"days": "None of those days fall between the two dates."})
    with transaction.atomic():
        current = _locked(rota, version)
        pattern = save_checked(
            actor,
            Pattern(
                rota=current,
                line=line,
                worker=worker,
                days=",".join(days),
                starts_at=starts_at,
                ends_at=ends_at,
                first_date=first_date,
                last_date=last_date,
                created_by=actor,
            ),
        )
        if line == Line.FIRST:
            for span_start, span_end in spans:
                if clash := _first_line_clash(current, span_start, span_end):
                    raise ValidationError({"first_date": _clash_message(clash)})
        shifts = Shift.objects.bulk_create(
            Shift(
                rota=current,
                line=line,
                worker=worker,
                starts_at=span_start,
                ends_at=span_end,
                pattern=pattern,
            )
            for span_start, span_end in spans
        )
        if any(s.pk is None for s in shifts):  # backends that do not return keys
            shifts = list(pattern.shifts.all())
        service_ids = rota_service_ids(current)
        for shift in shifts:
            shift.rota = current
            _cover(shift, service_ids)
        _bump(actor, current)
    return pattern


# --- The log ---------------------------------------------------------------------------------


def covered_episode(shift: Shift, person: Person) -> Episode | None:
    """The person's open support in one of the services the shift covers, if any."""
    return (
        Episode.objects.filter(
            person=person, end_date__isnull=True, service_id__in=rota_service_ids(shift.rota)
        )
        .select_related("key_worker", "service")
        .order_by("pk")
        .first()
    )


def _day_team_lead(service: Service) -> User | None:
    """Who takes a follow-up when the person has no key worker: the service's senior
    practitioner, else its lead manager."""
    for role in (Role.SENIOR_PRACTITIONER, Role.LEAD_MANAGER):
        user = (
            User.objects.filter(
                organisation_id=service.organisation_id,
                is_active=True,
                memberships__role=role,
                memberships__team__services=service,
            )
            .order_by("pk")
            .first()
        )
        if user is not None:
            return user
    return None


def log_entry_write(
    *,
    actor: User,
    shift: Shift,
    call_at: datetime,
    caller: str,
    what_happened: str,
    person: Person | None = None,
    service: Service | None = None,
    not_known: str = "",
    caller_name: str = "",
    advice: str = "",
    action_taken: str = "",
    escalated_to: str = "",
    escalated_at: datetime | None = None,
    escalation_answer: str = "",
    police: bool = False,
    ambulance: bool = False,
    fire: bool = False,
    serious: bool = False,
    follow_up: str = "",
    follow_up_due: date | None = None,
) -> LogEntry:
    """A call taken on call, written by the worker of the shift. About a person of the
    covered services (filed under their service), or about someone not known (filed
    under the covered service chosen). A follow-up goes to the person's key worker, or
    the service's senior when there is none."""
    if shift.worker_id != actor.pk or shift.removed_at is not None:
        raise NotFoundOrNotAllowed
    now = timezone.now()
    if now > shift.ends_at + WRITE_UP_AFTER_SHIFT:
        raise ValidationError("This shift ended too long ago to write up a call in it.")
    if call_at > now:
        raise ValidationError({"call_at": "The call cannot be in the future."})
    if call_at < shift.starts_at:
        raise ValidationError({"call_at": "The call must be during your shift."})
    if call_at > shift.ends_at:
        raise ValidationError({"call_at": "The call must be during your shift."})
    if not what_happened.strip():
        raise ValidationError({"what_happened": "Say what happened."})
    episode = None
    if person is not None:
        episode = covered_episode(shift, person)
        if person.organisation_id != actor.organisation_id or episode is None:
            raise ValidationError(
                {"person": "Choose someone supported by the services this rota covers."}
            )
        service = episode.service
    else:
        if service is None or service.pk not in rota_service_ids(shift.rota):
            raise ValidationError({"service": "Choose the service the call was about."})
        if not not_known.strip():
            raise ValidationError(
                {"not_known": "Say who the call was about, as far as you know (a name, a flat)."}
            )
    if (escalated_at or escalation_answer.strip()) and not escalated_to.strip():
        raise ValidationError({"escalated_to": "Say whom you escalated it to."})
    if escalated_at is not None and not call_at <= escalated_at <= now:
        raise ValidationError(
            {"escalated_at": "The escalation must be after the call, and not in the future."}
        )
    if follow_up.strip() and follow_up_due is None:
        raise ValidationError({"follow_up_due": "Say by when the day team should follow up."})
    if follow_up_due is not None and not follow_up.strip():
        raise ValidationError({"follow_up": "Say what the day team should do."})
    if follow_up_due is not None and follow_up_due < timezone.localdate(call_at):
        raise ValidationError({"follow_up_due": "The follow-up cannot be due before the call."})
    assert service is not None
    with transaction.atomic():
        entry = save_checked(
            actor,
            LogEntry(
                organisation_id=actor.organisation_id,
                rota=shift.rota,
                shift=shift,
                written_by=actor,
                call_at=call_at,
                caller=caller,
                caller_name=caller_name.strip(),
                person=person,
                not_known="" if person else not_known.strip(),
                service=service,
                what_happened=what_happened.strip(),
                advice=advice.strip(),
                action_taken=action_taken.strip(),
                escalated_to=escalated_to.strip(),
                escalated_at=escalated_at,
                escalation_answer=escalation_answer.strip(),
                police=police,
                ambulance=ambulance,
                fire=fire,
                serious=serious,
            ),
        )
        if follow_up.strip() and follow_up_due is not None:
            assignee = (episode.key_worker if episode else None) or _day_team_lead(service) or actor
            save_checked(
                actor,
                FollowUp(
                    entry=entry, assigned_to=assignee, what=follow_up.strip(), due_on=follow_up_due
                ),
            )
            notify(
                user=assignee,
                text=f"Follow-up from on call, by {follow_up_due:%d %B}: {follow_up.strip()}",
                url=reverse("oncall:entry", args=[entry.pk]),
                about_person_id=person.pk if person else None,
            )
    return entry


def log_entry_amend(
    *,
    actor: User,
    entry: LogEntry,
    reason: str,
    what_happened: str,
    advice: str,
    action_taken: str,
) -> LogAmendment:
    """Corrects what a log entry says; the amendment keeps what it said before."""
    access.check_or_404(actor, "oncall.amend", entry)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the entry is corrected."})
    if not what_happened.strip():
        raise ValidationError({"what_happened": "Say what happened."})
    with transaction.atomic():
        row = LogEntry.objects.select_for_update().get(pk=entry.pk)
        amendment = save_checked(
            actor,
            LogAmendment(
                entry=row,
                amended_by=actor,
                reason=" ".join(reason.split()),
                was_what_happened=row.what_happened,
                was_advice=row.advice,
                was_action_taken=row.action_taken,
            ),
        )
        row.what_happened = what_happened.strip()
        row.advice = advice.strip()
        row.action_taken = action_taken.strip()
        save_checked(actor, row)
    return amendment


def follow_up_done(*, actor: User, follow_up: FollowUp) -> FollowUp:
    """Done, by whoever it was for, or by a manager of the service."""
    access.check_or_404(actor, "oncall.follow_up", follow_up)
    with transaction.atomic():
        row = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
        if row.done_at is None:
            row.done_at, row.done_by = timezone.now(), actor
            save_checked(actor, row)
    return row


def handover_mark_read(*, actor: User, service: Service, day: date) -> HandoverRead:
    """The day team's senior (a manager of the service) has read the morning's handover."""
    if service.organisation_id != actor.organisation_id:
        raise NotFoundOrNotAllowed
    access.check_or_404(actor, "people.manage_service", service)
    if day > timezone.localdate():
        raise ValidationError({"day": "A handover cannot be read before its morning."})
    with transaction.atomic():
        row = HandoverRead.objects.select_for_update().filter(service=service, day=day).first()
        if row is not None:
            return row
        return save_checked(
            actor,
            HandoverRead(
                organisation_id=actor.organisation_id,
                service=service,
                day=day,
                read_by=actor,
                read_at=timezone.now(),
            ),
        )
