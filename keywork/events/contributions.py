"""What events and groups add to the shared places: the menu, each attendance on the
person's timeline, what the person is signed up for on their page, today's sessions on
the home page, the rule on running an event, and what a merge moves."""

from django.db.models import F
from django.urls import reverse

from keywork import access
from keywork.accounts.models import User
from keywork.core.contributions import (
    Contributions,
    HomePanel,
    MenuItem,
    PersonPanel,
    ServiceLink,
)
from keywork.core.timeline import Shown, Source, TimelineKind, shown_by_id
from keywork.events import selectors
from keywork.events.models import SignUp
from keywork.events.permissions import RUN
from keywork.people.models import Person
from keywork.people.services import MergeMove


def _attendance_sources(fetched_by: User, person: Person) -> list[Source]:
    # What happened at a session: the person's page is the reason to see it.
    rows = SignUp.objects.filter(
        person=person,
        status__in=(SignUp.Status.ATTENDED, SignUp.Status.LATE, SignUp.Status.DID_NOT_ATTEND),
    )

    def show(s: SignUp) -> Shown:
        return (
            f"{s.session.event.get_kind_display()}: {s.session.event.title}",
            s.get_status_display() + (" (came without signing up)" if s.walk_in else ""),
            reverse("events:session", args=[s.session_id]),
        )

    return [
        Source(
            "event",
            rows,
            F("session__starts_at"),
            lambda ids: shown_by_id(rows.filter(pk__in=ids).select_related("session__event"), show),
        )
    ]


def _signed_up_for(user: User, person: Person) -> dict:
    return {"person": person, "sign_ups": selectors.person_sign_ups(fetched_by=user, person=person)}


def _today(user: User) -> dict | None:
    """Today's sessions in the user's services, for the staff who run them."""
    if not access.has_capability(user, access.Capability.CASEWORK):
        return None
    sessions = selectors.sessions_today(user)
    return {"sessions": sessions} if sessions else None


CONTRIBUTIONS = Contributions(
    menu=[MenuItem("Events and groups", "events:events", access.Capability.CASEWORK, place=40)],
    timeline=[TimelineKind("event", "Events and groups", _attendance_sources, place=95)],
    person_panels=[PersonPanel("events/_signed_up_for.html", _signed_up_for, place=60)],
    home_panels=[HomePanel("events/_home_today.html", _today, place=15)],
    service_links=[ServiceLink("Events", "events:service", access.Capability.CASEWORK, place=30)],
    merge_moves=[MergeMove(SignUp, ("session",))],
    audit_no_one_person=["events.event", "events.session", "events.eventfeed"],
    object_rules={
        # Running an event (its sessions, lists and register): casework staff, support
        # assistants among them, of any service the event is for.
        "events.run": RUN,
    },
)
