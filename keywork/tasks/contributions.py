"""My tasks, in the menu."""

from django.utils import timezone

from keywork import access
from keywork.accounts.models import User
from keywork.audit.reads import record_shown
from keywork.core.contributions import Contributions, HomePanel, MenuItem, PersonPanel
from keywork.people.models import Person
from keywork.tasks.models import Task
from keywork.tasks.services import task_create


def _open_tasks(user: User, person: Person) -> dict:
    """The reader's own open tasks about the person (their title may name them: shown
    only on the page of someone the reader may see, which this page already is)."""
    tasks = list(
        Task.objects.filter(
            organisation_id=user.organisation_id, assigned_to=user, person=person, done_at=None
        ).order_by("due_on", "pk")[:10]
    )
    return {"tasks": tasks}


def _due(user: User) -> dict | None:
    """The user's tasks due today or overdue; those about someone they may no longer see
    are counted, not named."""
    from keywork.tasks.selectors import visible_person_ids

    if not access.has_capability(user, access.Capability.CASEWORK):
        return None
    due = list(
        Task.objects.filter(
            organisation_id=user.organisation_id,
            assigned_to=user,
            done_at=None,
            due_on__lte=timezone.localdate(),
        )
        .select_related("person")
        .order_by("due_on", "pk")[:20]
    )
    if not due:
        return None
    visible = visible_person_ids(user=user, person_ids=[t.person_id for t in due])
    shown = [t for t in due if t.person_id is None or t.person_id in visible]
    # The people the section names: a read of their records, logged as one row.
    record_shown(actor=user, model=Person, objects=[t.person for t in shown if t.person])
    return {"tasks": shown, "hidden": len(due) - len(shown), "today": timezone.localdate()}


CONTRIBUTIONS = Contributions(
    home_panels=[HomePanel("tasks/_home_due.html", _due, place=20)],
    person_panels=[PersonPanel("tasks/_person_tasks.html", _open_tasks, place=20)],
    menu=[MenuItem("Tasks", "tasks:my_tasks", access.Capability.CASEWORK, place=40)],
    # A file note's follow-up is a task for whoever it names.
    note_follow_ups=[task_create],
)
