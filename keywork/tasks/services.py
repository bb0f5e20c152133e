from datetime import date

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from keywork.accounts.models import User
from keywork.core.services import notify
from keywork.people.models import Person
from keywork.tasks.models import Task


def task_create(
    *,
    actor: User,
    assigned_to: User,
    title: str,
    due_on: date,
    person: Person | None = None,
    file_note=None,
) -> Task:
    if assigned_to.organisation_id != actor.organisation_id or not assigned_to.is_active:
        raise ValidationError({"follow_up_for": "Choose someone in your organisation."})
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
    task.full_clean()
    with set_actor(actor):
        task.save()
    if assigned_to.pk != actor.pk:
        notify(
            user=assigned_to,
            text=f"{actor} asked you to follow up by {due_on:%d/%m/%Y}: {task.title[:100]}",
            url=reverse("tasks:my_tasks"),
        )
    return task


def task_done(*, actor: User, task: Task) -> Task:
    if task.done_at:
        raise ValidationError("This task is already done.")
    task.done_at = timezone.now()
    task.done_by = actor
    with set_actor(actor):
        task.save(update_fields=["done_at", "done_by"])
    return task
