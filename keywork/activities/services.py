"""Writes for education, training, employment and meaningful activity."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from keywork import access
from keywork.accounts.models import User
from keywork.activities.models import Activity, OutcomeEvent
from keywork.core.auditing import set_actor
from keywork.core.saving import save_checked
from keywork.people.models import Person

WORK_EVENTS = (
    OutcomeEvent.Kind.JOB_ENTRY,
    OutcomeEvent.Kind.SUSTAINED_13,
    OutcomeEvent.Kind.SUSTAINED_26,
)


@transaction.atomic
def activity_add(
    *,
    actor: User,
    person: Person,
    kind: str,
    title: str,
    provider: str,
    start_date: date,
    end_date: date | None = None,
    hours_per_week: Decimal | int | None = None,
) -> Activity:
    access.check_can_record_on(actor, person)
    if end_date and end_date < start_date:
        raise ValidationError({"end_date": "It cannot end before it starts."})
    if start_date > timezone.localdate() + timedelta(days=366):
        raise ValidationError({"start_date": "Record activities starting within a year."})
    activity = Activity(
        person=person,
        kind=kind,
        title=title.strip(),
        provider=provider.strip(),
        start_date=start_date,
        end_date=end_date,
        hours_per_week=hours_per_week,
        created_by=actor,
    )
    activity.full_clean()
    with set_actor(actor):
        activity.save()
        if start_date <= timezone.localdate():
            # Starting is itself an outcome: a start, or for paid work a job entry.
            OutcomeEvent.objects.create(
                activity=activity,
                kind=OutcomeEvent.Kind.JOB_ENTRY
                if kind == Activity.Kind.WORK
                else OutcomeEvent.Kind.STARTED,
                happened_on=start_date,
                created_by=actor,
            )
    return activity


@transaction.atomic
def event_add(
    *,
    actor: User,
    activity: Activity,
    kind: str,
    happened_on: date,
    detail: str = "",
    came_from: Activity | None = None,
) -> OutcomeEvent:
    """Records an outcome. A job entry, and a job kept, belong to paid work; a job that
    came from a course cannot start before the course did."""
    access.check_can_record_on(actor, activity.person)
    errors = {}
    if happened_on > timezone.localdate():
        errors["happened_on"] = "It cannot be dated in the future."
    if happened_on < activity.start_date and kind != OutcomeEvent.Kind.STARTED:
        errors["happened_on"] = f"It cannot be before {activity} started."
    if kind in WORK_EVENTS and activity.kind != Activity.Kind.WORK:
        errors["kind"] = "Job entries and jobs kept belong to paid work."
    if came_from is not None:
        if came_from.person_id != activity.person_id or came_from.kind != Activity.Kind.COURSE:
            errors["came_from"] = "Choose one of their courses."
        elif kind != OutcomeEvent.Kind.JOB_ENTRY:
            errors["came_from"] = "Only a job entry comes from a course."
        elif happened_on < came_from.start_date:
            errors["happened_on"] = (
                f"A job entry cannot be before the course it came from started "
                f"({came_from.start_date:%d/%m/%Y})."
            )
    weeks_kept: dict[str, int] = {
        OutcomeEvent.Kind.SUSTAINED_13: 13,
        OutcomeEvent.Kind.SUSTAINED_26: 26,
    }
    weeks = weeks_kept.get(kind)
    if weeks and not errors:
        entry = activity.events.filter(kind=OutcomeEvent.Kind.JOB_ENTRY).first()
        if entry is None:
            errors["kind"] = "Record the job entry first."
        elif happened_on < entry.happened_on + timedelta(weeks=weeks):
            errors["happened_on"] = (
                f"{weeks} weeks from the job entry ({entry.happened_on:%d/%m/%Y}) is "
                f"{entry.happened_on + timedelta(weeks=weeks):%d/%m/%Y}."
            )
    if kind != OutcomeEvent.Kind.QUALIFICATION and activity.events.filter(kind=kind).exists():
        errors["kind"] = "That is already recorded for this activity."
    if errors:
        raise ValidationError(errors)
    event = OutcomeEvent(
        activity=activity,
        kind=kind,
        happened_on=happened_on,
        detail=detail.strip(),
        came_from=came_from,
        created_by=actor,
    )
    save_checked(actor, event)
    return event
