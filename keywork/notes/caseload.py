"""The "File note due" column of the caseloads, against each service's recording standard."""

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone

from keywork.accounts.models import User
from keywork.people.models import Episode
from keywork.people.selectors import CaseloadColumn

AMBER_DAYS = 2  # "due soon" once the next note is due within this many days


def _annotate(episodes: QuerySet[Episode]) -> QuerySet[Episode]:
    from keywork.notes.models import FileNote

    # The newest note of each episode, read from the (episode, -contact_at) index.
    newest = FileNote.objects.filter(episode=OuterRef("pk"), voided_at=None).order_by("-contact_at")
    return episodes.annotate(last_note_at=Subquery(newest.values("contact_at")[:1]))


def _annotate_draft(episodes: QuerySet[Episode], reader: User) -> QuerySet[Episode]:
    from keywork.notes.models import NoteDraft

    drafts = NoteDraft.objects.filter(user=reader, person=OuterRef("person_id"))
    return episodes.annotate(my_draft_waiting=Exists(drafts))


def note_due_cell(episode: Episode) -> tuple[str, str] | list[tuple[str, str]]:
    """('3 days overdue', 'red'), ('Due in 1 day', 'yellow') or ('Due in 5 days', 'green'),
    and on My caseload ('Your draft is waiting', 'blue') beside it when there is one."""
    due = _note_due(episode)
    if getattr(episode, "my_draft_waiting", False):
        return [due, ("Your draft is waiting", "blue")]
    return due


def _note_due(episode: Episode) -> tuple[str, str]:
    today = timezone.localdate()
    last = timezone.localdate(episode.last_note_at) if episode.last_note_at else episode.start_date
    due = last + timezone.timedelta(days=episode.service.note_interval_days)
    days = (due - today).days
    if days < 0:
        return (f"{-days} day{'s' if days != -1 else ''} overdue", "red")
    if days == 0:
        return ("Due today", "yellow")
    colour = "yellow" if days <= AMBER_DAYS else "green"
    return (f"Due in {days} day{'s' if days != 1 else ''}", colour)


COLUMN = CaseloadColumn(
    "File note due", _annotate, note_due_cell, place=10, annotate_for_reader=_annotate_draft
)
