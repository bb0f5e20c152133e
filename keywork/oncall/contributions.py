"""What on call adds to the shared places: the menu, who is on call now on every staff
home page, each call on the person's timeline as a contact, the follow-ups in the task
list of whoever must do them, the worker's shifts in their calendar feed, the rules on
rotas and log entries, and what a merge moves."""

from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from keywork import access
from keywork.accounts.models import User
from keywork.core.contributions import CalendarEntry, Contributions, HomePanel, MenuItem
from keywork.core.errors import NotFoundOrNotAllowed
from keywork.core.fields import is_record_id
from keywork.core.timeline import Shown, Source, TimelineKind, shown_by_id
from keywork.oncall import permissions, selectors
from keywork.oncall.models import LogEntry
from keywork.people.models import Person
from keywork.people.services import MergeMove


def _calls(fetched_by: User, person: Person) -> list[Source]:
    # A call about the person follows their record: the person's page is the reason.
    rows = LogEntry.objects.filter(person=person)

    def show(entry: LogEntry) -> Shown:
        return (
            "On-call contact",
            f"{entry.get_caller_display()} called: {entry.what_happened[:140]}",
            reverse("oncall:entry", args=[entry.pk]),
        )

    return [
        Source(
            "oncall",
            rows,
            F("call_at"),
            lambda ids: shown_by_id(rows.filter(pk__in=ids), show),
        )
    ]


def _on_call_now(user: User) -> dict | None:
    if not access.has_capability(user, access.Capability.CASEWORK):
        return None
    covers = selectors.on_call_now(user)
    return {"covers": covers, "shift": selectors.shift_now(user)} if covers else None


def _follow_ups(user: User) -> dict | None:
    if not access.has_capability(user, access.Capability.CASEWORK):
        return None
    rows = selectors.open_follow_ups_for(user)
    return {"follow_ups": rows, "today": timezone.localdate()} if rows else None


def _incident_from_call(user: User, reference: str) -> dict | None:
    """A serious call, as the start of an incident report about the person."""
    key, _, number = reference.partition("-")
    if key != "call" or not is_record_id(number):
        return None
    entry = selectors.entries_visible_to(user).filter(pk=int(number), person__isnull=False)
    try:
        call = access.get_visible_or_404(entry, pk=int(number))
    except NotFoundOrNotAllowed:
        return None
    at = timezone.localtime(call.call_at)
    services = [s for s in ("police", "ambulance", "fire") if getattr(call, s)]
    return {
        "people": [call.person_id],
        "service": call.service_id,
        "day": at.date(),
        "time": at.strftime("%H:%M"),
        "what_happened": f"Reported on call ({call.get_caller_display()}): {call.what_happened}",
        "immediate_action": "\n".join(t for t in (call.advice, call.action_taken) if t),
        "others_involved": ", ".join(
            {"police": "Police", "ambulance": "Ambulance service", "fire": "Fire service"}[s]
            for s in services
        ),
    }


def _shifts(user: User) -> list[CalendarEntry]:
    return [
        CalendarEntry(
            uid=f"oncall-shift-{shift.pk}@keywork",
            summary=f"{shift.get_line_display()}: {shift.rota.name}",
            starts_at=shift.starts_at,
            ends_at=shift.ends_at,
        )
        for shift in selectors.shifts_for_calendar(user)
    ]


CONTRIBUTIONS = Contributions(
    menu=[MenuItem("On call", "oncall:home", access.Capability.CASEWORK, place=45)],
    home_panels=[HomePanel("oncall/_home_now.html", _on_call_now, place=5)],
    task_panels=[HomePanel("oncall/_task_follow_ups.html", _follow_ups, place=30)],
    timeline=[TimelineKind("oncall", "On-call contacts", _calls, place=35, shows_time=True)],
    calendar_entries=[_shifts],
    incident_drafts=[_incident_from_call],
    merge_moves=[MergeMove(LogEntry, ())],
    audit_no_one_person=[
        "oncall.rota",
        "oncall.pattern",
        "oncall.shift",
        "oncall.timeoff",
        "oncall.contactnumber",
        "oncall.handoverread",
    ],
    object_rules={
        "oncall.view": permissions.VIEW,
        "oncall.manage": permissions.MANAGE,
        "oncall.read": permissions.READ_ENTRY,
        "oncall.amend": permissions.AMEND_ENTRY,
        "oncall.follow_up": permissions.FOLLOW_UP,
    },
)
