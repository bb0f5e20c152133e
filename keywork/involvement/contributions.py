"""What involvement adds to the shared places: the menu, the person's timeline (the
sessions they took part in), a link beside each service to its figures, the open
actions a user owns on their My tasks, and the rule on running it."""

from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from django.utils import timezone

from keywork import access
from keywork.accounts.models import User
from keywork.core.contributions import Contributions, HomePanel, MenuItem, ServiceLink
from keywork.core.timeline import Shown, Source, StartOf, TimelineKind, shown_by_id
from keywork.involvement import selectors
from keywork.involvement.models import Participation
from keywork.people.models import Person
from keywork.people.services import MergeMove


def _involvement_sources(fetched_by: User, person: Person) -> list[Source]:
    # Someone taken off a session (added in error) did not take part.
    parts = Participation.objects.filter(person=person, removed_at=None)

    def show(p: Participation) -> Shown:
        return (
            f"{p.session.get_kind_display()}: {p.session.title}",
            p.get_role_display(),
            reverse("involvement:session", args=[p.session_id]),
        )

    return [
        Source(
            "involvement",
            parts,
            StartOf("session__held_on"),
            lambda ids: shown_by_id(parts.filter(pk__in=ids).select_related("session"), show),
        )
    ]


SHOWN_ON_TASKS = 20


def _open_actions(user: User) -> Mapping[str, Any] | None:
    """The involvement actions the user owns and has still to do, for My tasks, soonest
    due first, each ticked off there (one query, however many there are)."""
    if not access.has_capability(user, access.Capability.CASEWORK):
        return None
    actions = selectors.open_actions_of(user, limit=SHOWN_ON_TASKS + 1)
    if not actions:
        return None
    today = timezone.localdate()
    for action in actions:
        action.days_overdue = (today - action.due_on).days  # type: ignore[attr-defined]
    return {
        "actions": actions[:SHOWN_ON_TASKS],
        "more": len(actions) > SHOWN_ON_TASKS,
        "today": today,
        "back": reverse("tasks:my_tasks"),
    }


CONTRIBUTIONS = Contributions(
    menu=[MenuItem("Involvement", "involvement:list", access.Capability.CASEWORK, place=62)],
    timeline=[TimelineKind("involvement", "Involvement", _involvement_sources, place=105)],
    service_links=[
        ServiceLink(
            "Involvement figures",
            "involvement:figures",
            access.Capability.AGGREGATE_REPORTS,
            place=60,
        )
    ],
    task_panels=[HomePanel("involvement/_task_actions.html", _open_actions, place=40)],
    merge_moves=[MergeMove(Participation, ("session",))],
    audit_no_one_person=[
        "involvement.involvementsession",
        "involvement.involvementaction",
        "involvement.yousaidwedid",
    ],
    object_rules={
        # Running involvement is for everyone doing casework in the service, support
        # assistants too.
        "involvement.run": access.does_casework & access.works_in_service,
    },
)
