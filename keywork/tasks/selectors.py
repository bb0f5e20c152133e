from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.db.models import QuerySet
from django.utils import timezone

from keywork import access
from keywork.accounts.models import User
from keywork.organisations.models import Team
from keywork.planning.models import Action
from keywork.planning.selectors import actions_owned_by
from keywork.tasks.models import Task

Row = TypeVar("Row")


@dataclass(frozen=True)
class MyTasks:
    tasks: list[Task]
    actions: list[Action]


def my_tasks(*, user: User, include_done: bool = False) -> MyTasks:
    """The user's tasks and open plan actions. Those about someone the user may no longer
    see (they left the team, the episode ended long ago) stay on the list, so that nothing
    is forgotten, but marked `person_unseen`: the page then shows neither whom they are
    about nor what they say, as a title written about a person often names them."""
    tasks = Task.objects.filter(organisation_id=user.organisation_id, assigned_to=user)
    if not include_done:
        tasks = tasks.filter(done_at=None)
    rows = _with_overdue(tasks.select_related("person", "file_note").order_by("due_on", "pk"))
    actions = actions_owned_by(user=user)
    visible = visible_person_ids(
        user=user,
        person_ids=[t.person_id for t in rows] + [a.goal.plan.person_id for a in actions],
    )
    _mark_unseen(rows, visible, lambda t: t.person_id)
    _mark_unseen(actions, visible, lambda a: a.goal.plan.person_id)
    return MyTasks(tasks=rows, actions=actions)


def team_overdue(*, fetched_by: User, team: Team) -> list[Task]:
    """Overdue tasks of everyone in the team, for its managers; those about someone the
    manager may not see are marked `person_unseen`, as in my_tasks."""
    tasks = Task.objects.filter(
        organisation_id=team.organisation_id,
        assigned_to__memberships__team=team,
        done_at=None,
        due_on__lt=timezone.localdate(),
    ).distinct()
    rows = _with_overdue(tasks.select_related("person", "assigned_to").order_by("due_on", "pk"))
    visible = visible_person_ids(user=fetched_by, person_ids=[t.person_id for t in rows])
    return _mark_unseen(rows, visible, lambda t: t.person_id)


def task_or_404(*, fetched_by: User, task_id: int) -> Task:
    task = access.get_visible_or_404(
        Task.objects.filter(organisation_id=fetched_by.organisation_id, assigned_to=fetched_by),
        pk=task_id,
    )
    visible = visible_person_ids(user=fetched_by, person_ids=[task.person_id])
    _mark_unseen([task], visible, lambda t: t.person_id)
    return task


def visible_person_ids(*, user: User, person_ids: Iterable[int | None]) -> set[int]:
    """Which of these people the user may see, asked in one query for them all (the same
    answer as access.may_see_person_id about each)."""
    wanted = {pk for pk in person_ids if pk is not None}
    if not wanted:
        return set()
    return set(access.people_visible_to(user).filter(pk__in=wanted).values_list("pk", flat=True))


def _mark_unseen(
    rows: list[Row], visible: set[int], person_id_of: Callable[[Row], int | None]
) -> list[Row]:
    for row in rows:
        person_id = person_id_of(row)
        # Marked for the page; the models have no such field.
        row.person_unseen = person_id is not None and person_id not in visible  # type: ignore[attr-defined]
    return rows


def _with_overdue(tasks: QuerySet[Task]) -> list[Task]:
    today = timezone.localdate()
    rows = list(tasks)
    for task in rows:
        task.days_overdue = (today - task.due_on).days if task.done_at is None else 0  # type: ignore[attr-defined]
    return rows
