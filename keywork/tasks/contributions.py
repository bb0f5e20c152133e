"""My tasks, in the menu."""

from keywork import access
from keywork.accounts.models import User
from keywork.core.contributions import Contributions, MenuItem, PersonPanel
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


CONTRIBUTIONS = Contributions(
    person_panels=[PersonPanel("tasks/_person_tasks.html", _open_tasks, place=20)],
    menu=[MenuItem("Tasks", "tasks:my_tasks", access.Capability.CASEWORK, place=40)],
    # A file note's follow-up is a task for whoever it names.
    note_follow_ups=[task_create],
)
