"""My tasks, in the menu."""

from keywork import access
from keywork.core.contributions import Contributions, MenuItem
from keywork.tasks.services import task_create

CONTRIBUTIONS = Contributions(
    menu=[MenuItem("Tasks", "tasks:my_tasks", access.Capability.CASEWORK, place=40)],
    # A file note's follow-up is a task for whoever it names.
    note_follow_ups=[task_create],
)
