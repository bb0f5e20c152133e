from django.db.models import QuerySet
from django.utils import timezone

from keywork import access
from keywork.accounts.models import User
from keywork.organisations.models import Team
from keywork.tasks.models import Task


def my_tasks(*, user: User, include_done: bool = False) -> list[Task]:
    tasks = Task.objects.filter(organisation_id=user.organisation_id, assigned_to=user)
    if not include_done:
        tasks = tasks.filter(done_at=None)
    return _with_overdue(tasks.select_related("person", "file_note").order_by("due_on", "pk"))


def team_overdue(*, team: Team) -> list[Task]:
    """Overdue tasks of everyone in the team, for its managers."""
    tasks = Task.objects.filter(
        organisation_id=team.organisation_id,
        assigned_to__memberships__team=team,
        done_at=None,
        due_on__lt=timezone.localdate(),
    ).distinct()
    return _with_overdue(tasks.select_related("person", "assigned_to").order_by("due_on", "pk"))


def task_or_404(*, fetched_by: User, task_id: int) -> Task:
    return access.get_visible_or_404(
        Task.objects.filter(organisation_id=fetched_by.organisation_id, assigned_to=fetched_by),
        pk=task_id,
    )


def _with_overdue(tasks: QuerySet[Task]) -> list[Task]:
    today = timezone.localdate()
    rows = list(tasks)
    for task in rows:
        task.days_overdue = (today - task.due_on).days if task.done_at is None else 0
    return rows
