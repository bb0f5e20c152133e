from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from keywork import access
from keywork.accounts.models import User
from keywork.core.auditing import set_actor
from keywork.core.errors import NotFoundOrNotAllowed
from keywork.core.saving import save_checked
from keywork.core.services import notify
from keywork.notes.models import FileNote
from keywork.people.models import Person
from keywork.tasks.models import Task


@transaction.atomic
def task_create(
    *,
    actor: User,
    assigned_to: User,
    title: str,
    due_on: date,
    person: Person | None = None,
    file_note: FileNote | None = None,
) -> Task:
    """Sets a task. One about a person is set by someone who may record on them, for
    someone who may see them: the task list names the person."""
    if person is None:
        access.require(actor, access.Capability.CASEWORK)
    else:
        access.check_can_record_on(actor, person)
    if file_note is not None and (person is None or file_note.person_id != person.pk):
        raise ValidationError({"file_note": "The file note is about someone else."})
    if assigned_to.organisation_id != actor.organisation_id or not assigned_to.is_active:
        raise ValidationError({"follow_up_for": "Choose someone in your organisation."})
    if person is not None and not access.may_see_person(assigned_to, person):
        raise ValidationError(
            {
                "assigned_to": f"{assigned_to.full_name} cannot see this person's record, "
                "so cannot be given this task."
            }
        )
    if due_on < timezone.localdate():
        raise ValidationError({"follow_up_by": "The date for the follow-up has passed."})
    if not title.strip():
        raise ValidationError({"follow_up": "Say what must be done."})
    task = Task(
        organisation_id=actor.organisation_id,
        assigned_to=assigned_to,
        person=person,
        file_note=file_note,
        title=title.strip()[:300],
        due_on=due_on,
        created_by=actor,
    )
    save_checked(actor, task)
    if assigned_to.pk != actor.pk:
        notify(
            user=assigned_to,
            text=f"{actor} asked you to follow up by {due_on:%d/%m/%Y}: {task.title[:100]}",
            url=reverse("tasks:my_tasks"),
            about_person_id=task.person_id,
        )
    return task


@transaction.atomic
def task_done(*, actor: User, task: Task) -> Task:
    """Only the task's assignee marks it done, even once they may no longer see whom it
    is about (so that they can clear it). Managers see their team's overdue tasks but do
    not close them: the assignee would lose a task without knowing."""
    mine = (
        Task.objects.select_for_update()
        .filter(pk=task.pk, organisation_id=actor.organisation_id, assigned_to=actor)
        .first()
    )
    if mine is None:
        raise NotFoundOrNotAllowed
    task = mine
    if task.done_at:
        raise ValidationError("This task is already done.")
    task.done_at = timezone.now()
    task.done_by = actor
    with set_actor(actor):
        task.save(update_fields=["done_at", "done_by"])
    return task
