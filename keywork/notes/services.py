"""Writing, amending and voiding file notes. A note is never deleted and its text never
changed in place: each amendment adds a version with its reason."""

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from keywork import access
from keywork.accounts.models import User
from keywork.core.auditing import set_actor
from keywork.core.contributions import contributed
from keywork.notes import search
from keywork.notes.models import FileNote, FileNoteVersion, NoteDraft
from keywork.people.models import Episode, Person, Referral

LATE_AFTER = timedelta(hours=24)
_CONTROL = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))


def clean_text(text: str) -> str:
    """Keeps what a person typed, minus invisible control characters; it is shown as
    text, never as HTML, so markup in it is harmless."""
    return text.translate(_CONTROL).replace("\r\n", "\n").strip()


def _check_contact(contact_at: datetime, duration_minutes: int) -> None:
    errors = {}
    if contact_at > timezone.now() + timedelta(days=1):
        errors["contact_at"] = "The contact cannot be more than a day in the future."
    if duration_minutes < 0 or duration_minutes > 24 * 60:
        errors["duration_minutes"] = "The duration must be between 0 and 1,440 minutes (24 hours)."
    if errors:
        raise ValidationError(errors)


def check_belongs_to(
    *, person: Person, episode: Episode | None, referral: Referral | None, open_only: bool
) -> None:
    """A note or an appointment is about one of the person's episodes or, before their
    support starts (outreach, assessment), one of their referrals: exactly one of the
    two. Once an episode has started from a referral, new work goes on the episode."""
    if (episode is None) == (referral is None):
        raise ValidationError({"episode": "Choose the episode of support or the referral."})
    if episode is not None:
        if episode.person_id != person.pk or (open_only and episode.end_date is not None):
            which = "open episodes" if open_only else "episodes"
            raise ValidationError({"episode": f"Choose one of this person's {which}."})
        return
    assert referral is not None
    if referral.person_id != person.pk:
        raise ValidationError({"referral": "Choose one of this person's referrals."})
    if Episode.objects.filter(referral=referral).exists():
        raise ValidationError(
            {"referral": "Support has started from this referral: choose its episode instead."}
        )
    if open_only and referral.status not in Referral.OPEN_STATUSES:
        raise ValidationError({"referral": "Choose one of this person's open referrals."})


@transaction.atomic
def note_create(
    *,
    actor: User,
    person: Person,
    episode: Episode | None = None,
    referral: Referral | None = None,
    contact_type: str,
    contact_at: datetime,
    subject: str,
    text: str,
    duration_minutes: int = 0,
    place: str = "",
    others_present: str = "",
    staff_present: Sequence[User] = (),
    restricted: bool = False,
    named_staff: Sequence[User] = (),
    follow_up: str = "",
    follow_up_for: User | None = None,
    follow_up_by: date | None = None,
    # The support plan's goals and actions: notes knows their models only through its links.
    goals: Sequence[Any] = (),
    actions: Sequence[Any] = (),
) -> FileNote:
    """A file note on one of the person's episodes, or on a referral before support starts
    (give one of `episode` and `referral`)."""
    access.check_can_record_on(actor, person)
    check_belongs_to(person=person, episode=episode, referral=referral, open_only=False)
    _check_contact(contact_at, duration_minutes)
    named_staff = [u for u in named_staff if u.pk != actor.pk]
    if restricted and not named_staff:
        raise ValidationError(
            {"named_staff": "Name at least one other member of staff who may read it."}
        )
    for user in [*named_staff, *staff_present]:
        if user.organisation_id != actor.organisation_id:
            raise ValidationError("Choose staff from your organisation.")
    _check_plan_links(episode, goals, actions)
    now = timezone.now()
    note = FileNote(
        organisation_id=actor.organisation_id,
        person=person,
        episode=episode,
        referral=referral,
        contact_type=contact_type,
        contact_at=contact_at,
        duration_minutes=duration_minutes,
        place=place.strip(),
        others_present=others_present.strip(),
        subject=clean_text(subject),
        text=clean_text(text),
        author=actor,
        recorded_at=now,
        is_late_entry=now - contact_at > LATE_AFTER,
        restricted=restricted,
    )
    note.full_clean()
    with set_actor(actor):
        note.save()
        note.staff_present.set(staff_present)
        note.named_staff.set(named_staff if restricted else [])
        note.goals.set(goals)
        note.actions.set(actions)
        FileNoteVersion.objects.create(
            note=note,
            number=1,
            subject=note.subject,
            text=note.text,
            written_by=actor,
            written_at=now,
        )
    if follow_up:
        # The follow-up becomes a task, in the area that keeps tasks ("note_follow_ups").
        follow_ups = contributed("note_follow_ups")
        if not follow_ups:
            raise ValidationError({"follow_up": "Follow-ups cannot be set here."})
        for set_follow_up in follow_ups:
            set_follow_up(
                actor=actor,
                assigned_to=follow_up_for or actor,
                title=follow_up,
                due_on=follow_up_by,
                person=person,
                file_note=note,
            )
    search.index_note(note)
    NoteDraft.objects.filter(user=actor, person=person).delete()
    return note


def _check_plan_links(
    episode: Episode | None, goals: Iterable[Any], actions: Iterable[Any]
) -> None:
    """A note links only to goals and actions of the plan in its own episode; a note on a
    referral to none, as support plans start with support."""
    plan_of = {g.plan.episode_id for g in goals} | {a.goal.plan.episode_id for a in actions}
    if episode is None and plan_of:
        raise ValidationError(
            {
                "goals": "A note on a referral cannot link to a support plan: write it on the "
                "episode of support instead."
            }
        )
    if episode is not None and plan_of - {episode.pk}:
        raise ValidationError(
            {"goals": "Link the note only to goals and actions of the plan for its episode."}
        )


@transaction.atomic
def note_amend(
    *, actor: User, note: FileNote, subject: str, text: str, reason: str, version: int
) -> FileNote:
    """A new version of the note's text; the original and every earlier version stay."""
    access.check_or_404(actor, "notes.amend", note)
    note = FileNote.objects.select_for_update().get(pk=note.pk)
    if note.is_void:
        raise ValidationError("This note has been voided and cannot be amended.")
    if note.version != version:
        raise ValidationError(
            "Someone amended this note after you opened it. Your text is below: compare it "
            "with the note as it is now, then amend again."
        )
    if not reason.strip():
        raise ValidationError({"reason": "Say why the note is being amended."})
    subject, text = clean_text(subject), clean_text(text)
    if subject == note.subject and text == note.text:
        raise ValidationError("Nothing has changed.")
    note.version += 1
    note.subject, note.text = subject, text
    note.full_clean()
    now = timezone.now()
    with set_actor(actor):
        note.save(update_fields=["version", "subject", "text"])
        FileNoteVersion.objects.create(
            note=note,
            number=note.version,
            subject=subject,
            text=text,
            written_by=actor,
            written_at=now,
            reason=reason.strip(),
        )
    search.index_note(note)
    return note


@transaction.atomic
def note_void(*, actor: User, note: FileNote, reason: str) -> FileNote:
    """For a note written on the wrong person: it stays on file, marked void, and leaves
    search."""
    access.check_or_404(actor, "notes.amend", note)
    note = FileNote.objects.select_for_update().get(pk=note.pk)
    if note.is_void:
        raise ValidationError("This note has already been voided.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the note is being voided."})
    note.voided_at = timezone.now()
    note.voided_by = actor
    note.void_reason = reason.strip()[:300]
    with set_actor(actor):
        note.save(update_fields=["voided_at", "voided_by", "void_reason"])
    search.index_note(note)
    return note


# The note form's fields a draft keeps besides its subject and text, and how much of each.
DRAFT_FIELDS = {
    "episode": 20,
    "contact_type": 40,
    "contact_date": 20,
    "contact_time": 10,
    "duration_minutes": 10,
    "place": 200,
    "others_present": 500,
    "follow_up": 300,
    "follow_up_for": 20,
    "follow_up_by": 20,
}
DRAFT_LISTS = ("staff_present", "named_staff", "goals", "actions")


@transaction.atomic
def draft_save(
    *,
    actor: User,
    person: Person,
    subject: str,
    text: str,
    typed: Mapping[str, str | list[str]] | None = None,
) -> NoteDraft:
    """Keeps what the worker has typed so far, every field of the form, cleaned as a
    note's text is (no control characters). Nothing in a draft is checked: it is only
    kept, and checked when the note is saved."""
    access.check_can_record_on(actor, person)
    kept: dict[str, str | list[str]] = {}
    for name, value in (typed or {}).items():
        if name in DRAFT_FIELDS and isinstance(value, str):
            kept[name] = clean_text(value)[: DRAFT_FIELDS[name]]
        elif name in DRAFT_LISTS and isinstance(value, list):
            kept[name] = [clean_text(v)[:20] for v in value[:50] if isinstance(v, str)]
    draft, _ = NoteDraft.objects.update_or_create(
        user=actor,
        person=person,
        defaults={
            "subject": clean_text(subject)[:200],
            "text": clean_text(text)[:100_000],
            "typed": kept,
        },
    )
    return draft
