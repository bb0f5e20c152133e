"""Reads for on call, scoped to the reader: the rotas of their services with their gaps,
who is on call now and next, the reader's own shift and the people it covers, the log
and the morning handover."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from keywork import access
from keywork.accounts.models import User
from keywork.audit.reads import record_shown
from keywork.core.errors import NotFoundOrNotAllowed
from keywork.core.working_days import bank_holidays
from keywork.oncall.models import (
    ContactNumber,
    FollowUp,
    HandoverRead,
    Line,
    LogEntry,
    Rota,
    Shift,
    TimeOff,
)
from keywork.oncall.permissions import rota_service_ids
from keywork.organisations.models import Service
from keywork.people.models import Person
from keywork.risk.models import Incident
from keywork.risk.selectors import incidents_visible_to

GAP_DAYS = 28
# The morning handover gathers the 24 hours up to this time of its day.
HANDOVER_AT = time(9, 0)


def rotas_visible_to(user: User) -> QuerySet[Rota]:
    """The rotas covering any service of the reader's casework, and those the reader is
    on (covering services beyond their own team's)."""
    if not access.has_capability(user, access.Capability.CASEWORK):
        return Rota.objects.none()
    rotas = access.scoped_to_organisation(user, Rota.objects.all())
    in_scope = access.service_ids_in_scope(user, access.Capability.CASEWORK)
    if in_scope is not None:
        on_it = Shift.objects.filter(worker=user, removed_at=None).values("rota_id")
        rotas = rotas.filter(
            Q(
                pk__in=Rota.services.through.objects.filter(service_id__in=in_scope).values(
                    "rota_id"
                )
            )
            | Q(pk__in=on_it)
        )
    return rotas.prefetch_related("services").order_by("name", "pk")


def rota_or_404(*, fetched_by: User, rota_id: int) -> Rota:
    return access.get_visible_or_404(rotas_visible_to(fetched_by), pk=rota_id)


def shift_or_404(*, fetched_by: User, shift_id: int) -> Shift:
    shifts = Shift.objects.filter(rota__in=rotas_visible_to(fetched_by)).select_related(
        "rota", "worker"
    )
    return access.get_visible_or_404(shifts, pk=shift_id)


def numbers_of(user_ids: set[int]) -> dict[int, str]:
    return dict(ContactNumber.objects.filter(user_id__in=user_ids).values_list("user_id", "number"))


@dataclass
class Gap:
    starts_at: datetime
    ends_at: datetime


@dataclass
class RotaPage:
    rota: Rota
    days: list[dict]
    gaps: list[Gap]
    problems: list[tuple[Shift, str]]
    numbers: dict[int, str]
    holidays: dict[date, str] = field(default_factory=dict)


def _uncovered(shifts: list[Shift], start: datetime, end: datetime) -> list[Gap]:
    """The stretches from start to end that no first-line shift covers."""
    gaps, reached = [], start
    for shift in sorted((s for s in shifts if s.line == Line.FIRST), key=lambda s: s.starts_at):
        if shift.starts_at > reached:
            gaps.append(Gap(reached, min(shift.starts_at, end)))
        reached = max(reached, shift.ends_at)
        if reached >= end:
            break
    if reached < end:
        gaps.append(Gap(reached, end))
    return [gap for gap in gaps if gap.ends_at > gap.starts_at]


def _problems(shifts: list[Shift], numbers: dict[int, str], away: list[TimeOff]) -> list:
    found = []
    for shift in shifts:
        if not shift.worker.is_active:
            found.append((shift, f"{shift.worker.full_name} has left"))
        elif shift.worker_id not in numbers:
            found.append((shift, f"{shift.worker.full_name} has no on-call number"))
        else:
            first, last = (
                timezone.localdate(shift.starts_at),
                timezone.localdate(shift.ends_at - timedelta(seconds=1)),
            )
            if any(
                t.worker_id == shift.worker_id and t.first_day <= last and t.last_day >= first
                for t in away
            ):
                found.append((shift, f"{shift.worker.full_name} is on leave"))
    return found


def rota_page(*, rota: Rota, start: date | None = None, days: int = GAP_DAYS) -> RotaPage:
    """The rota's next `days` days: each day's shifts, the stretches with no one first on
    call, and shifts given to someone who has left, is away or has no number. A fixed
    number of queries, however many shifts."""
    first = start or timezone.localdate()
    begin = timezone.make_aware(datetime.combine(first, time.min))
    end = begin + timedelta(days=days)
    shifts = list(
        rota.shifts.filter(removed_at=None, starts_at__lt=end, ends_at__gt=begin)
        .select_related("worker")
        .order_by("starts_at", "line", "pk")
    )
    worker_ids = {s.worker_id for s in shifts}
    numbers = numbers_of(worker_ids)
    away = list(
        TimeOff.objects.filter(
            worker_id__in=worker_ids,
            first_day__lte=first + timedelta(days=days),
            last_day__gte=first,
        )
    )
    now = timezone.now()
    gaps = _uncovered(shifts, max(begin, now), end)
    problems = _problems(shifts, numbers, away)
    in_trouble = {s.pk for s, _ in problems}
    holidays = bank_holidays(rota.nation, first, first + timedelta(days=days))
    by_day = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        day_start = timezone.make_aware(datetime.combine(day, time.min))
        day_end = day_start + timedelta(days=1)
        by_day.append(
            {
                "day": day,
                "holiday": holidays.get(day),
                "shifts": [s for s in shifts if day_start <= s.starts_at < day_end],
                "gaps": [g for g in gaps if g.starts_at < day_end and g.ends_at > day_start],
            }
        )
    for shift in shifts:
        shift.in_trouble = shift.pk in in_trouble  # type: ignore[attr-defined]
    return RotaPage(rota, by_day, gaps, problems, numbers, holidays)


@dataclass
class OnCallNow:
    rota: Rota
    now: list[Shift]
    next_first: Shift | None
    numbers: dict[int, str]


def on_call_now(user: User) -> list[OnCallNow]:
    """For each rota covering the reader's services: who is on call now, by line, and who
    is first on call next. Three queries, whatever the number of rotas."""
    rotas = list(rotas_visible_to(user))
    if not rotas:
        return []
    now = timezone.now()
    current = list(
        Shift.objects.filter(rota__in=rotas, removed_at=None, starts_at__lte=now, ends_at__gt=now)
        .select_related("worker")
        .order_by("line", "starts_at")
    )
    upcoming = list(
        Shift.objects.filter(rota__in=rotas, removed_at=None, line=Line.FIRST, starts_at__gt=now)
        .filter(starts_at__lt=now + timedelta(days=GAP_DAYS))
        .select_related("worker")
        .order_by("starts_at")[: len(rotas) * 8]
    )
    numbers = numbers_of({s.worker_id for s in current + upcoming})
    found = []
    for rota in rotas:
        later = [s for s in upcoming if s.rota_id == rota.pk]
        found.append(
            OnCallNow(
                rota,
                [s for s in current if s.rota_id == rota.pk],
                later[0] if later else None,
                numbers,
            )
        )
    return found


def shift_now(user: User) -> Shift | None:
    """The reader's shift on now (or ended within the write-up time), if any."""
    from keywork.oncall.services import WRITE_UP_AFTER_SHIFT

    now = timezone.now()
    return (
        Shift.objects.filter(
            worker=user,
            removed_at=None,
            starts_at__lte=now,
            ends_at__gt=now - WRITE_UP_AFTER_SHIFT,
            rota__organisation_id=user.organisation_id,
        )
        .select_related("rota")
        .prefetch_related("rota__services")
        .order_by("-starts_at")
        .first()
    )


def my_next_shifts(user: User, count: int = 5) -> list[Shift]:
    return list(
        Shift.objects.filter(
            worker=user,
            removed_at=None,
            starts_at__gt=timezone.now(),
            rota__organisation_id=user.organisation_id,
        )
        .select_related("rota")
        .order_by("starts_at")[:count]
    )


def covered_people(*, shift: Shift, fetched_by: User, name: str, limit: int = 20) -> list[Person]:
    """People supported by the services the shift covers whose name matches, for the log
    entry's "about whom" (the cover of a shift on now lets the worker see them all)."""
    words = name.split()
    if not words:
        return []
    people = access.people_visible_to(fetched_by).filter(
        episodes__end_date=None, episodes__service_id__in=rota_service_ids(shift.rota)
    )
    for word in words[:3]:
        people = people.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(preferred_name__icontains=word)
        )
    found = list(people.distinct().order_by("last_name", "first_name", "pk")[:limit])
    record_shown(actor=fetched_by, model=Person, objects=found)
    return found


def entries_visible_to(user: User) -> QuerySet[LogEntry]:
    """The log entries the reader may read: about people they may see, about someone not
    known in their services, and every entry they wrote."""
    if not access.has_capability(user, access.Capability.CASEWORK):
        return LogEntry.objects.none()
    entries = access.scoped_to_organisation(user, LogEntry.objects.all())
    in_scope = access.service_ids_in_scope(user, access.Capability.CASEWORK)
    not_known = Q(person__isnull=True) & (Q() if in_scope is None else Q(service_id__in=in_scope))
    return entries.filter(
        Q(written_by=user) | not_known | Q(person__in=access.people_visible_to(user))
    )


def entry_or_404(*, fetched_by: User, entry_id: int) -> LogEntry:
    entries = entries_visible_to(fetched_by).select_related(
        "person", "service", "written_by", "rota", "shift", "follow_up__assigned_to"
    )
    return access.get_visible_or_404(entries, pk=entry_id)


def follow_up_or_404(*, fetched_by: User, follow_up_id: int) -> FollowUp:
    follow_ups = FollowUp.objects.filter(entry__in=entries_visible_to(fetched_by)).select_related(
        "entry__service", "entry__person"
    )
    return access.get_visible_or_404(follow_ups, pk=follow_up_id)


def shift_log(*, shift: Shift, fetched_by: User) -> list[LogEntry]:
    entries = list(
        entries_visible_to(fetched_by)
        .filter(shift=shift)
        .select_related("person", "service", "follow_up")
        .order_by("-call_at", "-pk")
    )
    record_shown(actor=fetched_by, model=LogEntry, objects=entries)
    return entries


def handover_window(day: date) -> tuple[datetime, datetime]:
    end = timezone.make_aware(datetime.combine(day, HANDOVER_AT))
    return end - timedelta(days=1), end


@dataclass
class Handover:
    service: Service
    day: date
    starts_at: datetime
    ends_at: datetime
    entries: list[LogEntry]
    incidents: list[Incident]
    follow_ups: list[FollowUp]
    read: HandoverRead | None
    today: date


def handover(*, service: Service, day: date, fetched_by: User) -> Handover:
    """A service's morning handover: the calls of the 24 hours to the morning, incidents
    reported in them, and every follow-up still open (whenever it was set), as much of
    each as the reader may see. A fixed number of queries."""
    starts_at, ends_at = handover_window(day)
    visible = entries_visible_to(fetched_by).filter(service=service)
    entries = list(
        visible.filter(call_at__gte=starts_at, call_at__lt=ends_at)
        .select_related("person", "written_by", "follow_up__assigned_to")
        .order_by("call_at", "pk")
    )
    follow_ups = list(
        # The service named on the join too, so that the database starts from the
        # service's calls (an index) rather than every open follow-up.
        FollowUp.objects.filter(entry__service=service, entry__in=visible, done_at=None)
        .select_related("entry__person", "assigned_to")
        .order_by("due_on", "pk")
    )
    incidents = list(
        incidents_visible_to(fetched_by)
        .filter(service=service, reported_at__gte=starts_at, reported_at__lt=ends_at)
        .order_by("occurred_at", "pk")
    )
    read = HandoverRead.objects.filter(service=service, day=day).select_related("read_by").first()
    record_shown(actor=fetched_by, model=LogEntry, objects=entries)
    today = timezone.localdate()
    for follow_up in follow_ups:
        follow_up.overdue = follow_up.due_on < today  # type: ignore[attr-defined]
    return Handover(service, day, starts_at, ends_at, entries, incidents, follow_ups, read, today)


def handover_service_or_404(*, fetched_by: User, service_id: int) -> Service:
    services = access.services_for_casework(fetched_by)
    try:
        return services.get(pk=service_id)
    except (Service.DoesNotExist, ValueError, TypeError) as error:
        raise NotFoundOrNotAllowed from error


def open_follow_ups_for(user: User) -> list[FollowUp]:
    """The reader's open follow-ups, for their task list; those about someone they may no
    longer see are marked, and shown without what they say."""
    rows = list(
        FollowUp.objects.filter(
            assigned_to=user, done_at=None, entry__organisation_id=user.organisation_id
        )
        .select_related("entry__person", "entry__service")
        .order_by("due_on", "pk")[:50]
    )
    person_ids = {f.entry.person_id for f in rows if f.entry.person_id}
    visible = (
        set(access.people_visible_to(user).filter(pk__in=person_ids).values_list("pk", flat=True))
        if person_ids
        else set()
    )
    today = timezone.localdate()
    for row in rows:
        row.person_unseen = (  # type: ignore[attr-defined]
            row.entry.person_id is not None and row.entry.person_id not in visible
        )
        row.days_overdue = (today - row.due_on).days  # type: ignore[attr-defined]
    record_shown(
        actor=user,
        model=Person,
        objects=[r.entry.person for r in rows if r.entry.person and not r.person_unseen],  # type: ignore[attr-defined]
    )
    return rows


def shifts_for_calendar(user: User) -> list[Shift]:
    """The worker's own shifts from a month ago to a year ahead, for their calendar feed."""
    now = timezone.now()
    return list(
        Shift.objects.filter(
            worker=user,
            removed_at=None,
            ends_at__gt=now - timedelta(days=31),
            starts_at__lt=now + timedelta(days=366),
        )
        .select_related("rota")
        .order_by("starts_at")
    )
