"""On call in the demo: an out-of-hours rota for the organisation's services, with weekday
days and nights, weekends and bank holidays covered by patterns and one night next week
left uncovered (red on the rota); the support worker on call tonight; the week's calls,
some with follow-ups (one overdue), and last night's handover waiting to be read."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from keywork.accounts.models import Role, User
from keywork.oncall.models import FollowUp, Line, LogEntry, Shift
from keywork.oncall.services import (
    contact_number_set,
    handover_mark_read,
    pattern_add,
    rota_create,
    shift_add,
    shift_remove,
)
from keywork.organisations.models import Organisation
from keywork.people.models import Episode

CALLS = [
    (
        LogEntry.Caller.PERSON,
        "Rang at night, anxious and unable to sleep after a letter about rent arrears.",
        "Talked it through; the letter is not an eviction notice. Breathing exercise.",
        "Ask the key worker to go through the arrears letter with them",
    ),
    (
        LogEntry.Caller.NEIGHBOUR,
        "A neighbour reported loud music and shouting from the flat.",
        "Rang the resident, who turned the music down and apologised.",
        "",
    ),
    (
        LogEntry.Caller.POLICE,
        "Police called: the resident was found distressed in the town centre and brought home.",
        "Spoke with the resident; agreed they would stay in and ring back if worse.",
        "Check in with them in the morning and review the risk assessment",
    ),
    (
        LogEntry.Caller.PERSON,
        "Locked out after losing keys on the way back from the shop.",
        "Talked them through the spare key arrangement with the night concierge.",
        "",
    ),
    (
        LogEntry.Caller.HOSPITAL,
        "A&E rang: the resident was admitted overnight after a fall.",
        "Gave the ward the office number for the morning; no next of kin shared.",
        "Ring the ward and plan for discharge",
    ),
]


def _staff(org: Organisation, role: str) -> list[User]:
    return list(
        User.objects.filter(organisation=org, memberships__role=role, is_active=True)
        .distinct()
        .order_by("pk")
    )


def seed_oncall(org: Organisation) -> None:
    lead = next(iter(_staff(org, Role.LEAD_MANAGER)), None)
    workers = _staff(org, Role.SUPPORT_WORKER)
    seniors = _staff(org, Role.SENIOR_PRACTITIONER)
    if lead is None or len(workers) < 3:
        return
    tonight_worker, nights, weekends = workers[0], workers[1], workers[2]
    day_lead = seniors[0] if seniors else lead
    for user in {tonight_worker, nights, weekends, day_lead, lead}:
        contact_number_set(actor=user, user=user, number=f"07700 900{100 + user.pk % 900:03d}")
    services = list(lead.memberships.get().team.services.all())
    rota = rota_create(
        actor=lead,
        name=f"{org.short_name or org.name} out of hours",
        services=services,
        nation="ENG",
    )
    today = timezone.localdate()
    first, last = today - timedelta(days=7), today + timedelta(days=60)

    def pattern(worker: User, days: list[str], starts: time, ends: time, line=Line.FIRST) -> None:
        rota.refresh_from_db()
        pattern_add(
            actor=lead,
            rota=rota,
            version=rota.version,
            line=line,
            worker=worker,
            days=days,
            starts_at=starts,
            ends_at=ends,
            first_date=first,
            last_date=last,
        )

    weekdays = ["mon", "tue", "wed", "thu", "fri"]
    pattern(day_lead, weekdays, time(9, 0), time(17, 0))
    pattern(nights, weekdays, time(17, 0), time(9, 0))
    pattern(weekends, ["sat", "sun", "bank_holiday"], time(9, 0), time(9, 0))
    pattern(lead, [*weekdays, "sat", "sun", "bank_holiday"], time(17, 0), time(9, 0), Line.MANAGER)

    # The demo support worker takes the shift on now, so that signing in as them shows
    # on call at work; a weekday night next week is left with no one.
    now = timezone.now()
    tonight = Shift.objects.filter(
        rota=rota, line=Line.FIRST, starts_at__lte=now, ends_at__gt=now
    ).first()
    if tonight is not None:
        rota.refresh_from_db()
        shift_remove(actor=lead, shift=tonight, version=rota.version)
        rota.refresh_from_db()
        shift_add(
            actor=lead,
            rota=rota,
            version=rota.version,
            line=Line.FIRST,
            worker=tonight_worker,
            starts_at=tonight.starts_at,
            ends_at=tonight.ends_at,
            notes="Swapped: covering for the usual worker",
        )
    next_week = timezone.make_aware(datetime.combine(today + timedelta(days=7), time.min))
    uncovered = next(
        (
            s
            for s in Shift.objects.filter(
                rota=rota,
                line=Line.FIRST,
                removed_at=None,
                starts_at__gte=next_week,
                starts_at__lt=next_week + timedelta(days=7),
            ).order_by("starts_at")
            if timezone.localtime(s.starts_at).time() == time(17, 0)
        ),
        None,
    )
    if uncovered is not None:
        rota.refresh_from_db()
        shift_remove(actor=lead, shift=uncovered, version=rota.version)
    _calls(org, rota, services, today)


def _calls(org: Organisation, rota, services, today) -> None:
    """Two calls a night over the last week, written as the shift's worker wrote them
    then (past shifts are closed to new calls, so they are made as rows directly)."""
    episodes = list(
        Episode.objects.filter(organisation=org, end_date=None, service__in=services)
        .select_related("key_worker", "service", "person")
        .order_by("pk")
    )
    if not episodes:
        return
    number = 0
    for days_ago in range(7, 0, -1):
        night = timezone.make_aware(datetime.combine(today - timedelta(days=days_ago), time(17)))
        shift = (
            Shift.objects.filter(
                rota=rota,
                line=Line.FIRST,
                removed_at=None,
                starts_at__lte=night + timedelta(hours=5),
                ends_at__gt=night + timedelta(hours=5),
            )
            .select_related("worker")
            .first()
        )
        if shift is None:
            continue
        for hour in (20, 26):
            caller, what, advice, follow_up = CALLS[number % len(CALLS)]
            episode = episodes[number % len(episodes)]
            call_at = night + timedelta(hours=hour - 17, minutes=7 * number % 50)
            entry = LogEntry.objects.create(
                organisation=org,
                rota=rota,
                shift=shift,
                written_by=shift.worker,
                call_at=call_at,
                caller=caller,
                person=episode.person,
                service=episode.service,
                what_happened=what,
                advice=advice,
                police=caller == LogEntry.Caller.POLICE,
                serious=caller == LogEntry.Caller.POLICE,
                escalated_to="Manager on call" if caller == LogEntry.Caller.POLICE else "",
                escalated_at=call_at + timedelta(minutes=15)
                if caller == LogEntry.Caller.POLICE
                else None,
                escalation_answer="Agreed the plan; review in the morning."
                if caller == LogEntry.Caller.POLICE
                else "",
            )
            if follow_up:
                due = timezone.localdate(call_at) + timedelta(days=1)
                FollowUp.objects.create(
                    entry=entry,
                    assigned_to=episode.key_worker,
                    what=follow_up,
                    due_on=due,
                    # The older ones done; the last few still open, one of them overdue.
                    done_at=call_at + timedelta(days=1) if days_ago > 3 else None,
                    done_by=episode.key_worker if days_ago > 3 else None,
                )
            number += 1
    # Yesterday's handover was read; this morning's waits for the senior.
    lead = rota.created_by
    for service in services:
        handover_mark_read(actor=lead, service=service, day=today - timedelta(days=1))
