"""What file notes and appointments add to the shared places: the timeline, the
caseloads, the person's page, the home page, the menu, the rules on a note, what a
merge of two records moves, and the attachments' files a restored copy must hold."""

from datetime import timedelta

import rules
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from keywork import access
from keywork.accounts.models import User
from keywork.audit.reads import record_shown
from keywork.core.contributions import Contributions, HomePanel, MenuItem, PersonPanel
from keywork.core.timeline import Shown, Source, TimelineKind, shown_by_id
from keywork.notes import attachments, drafts, selectors
from keywork.notes.caseload import COLUMN
from keywork.notes.models import Appointment, FileNote, NoteDraft
from keywork.people.contributions import RecordLink
from keywork.people.models import Person
from keywork.people.services import MergeMove


def _note_sources(fetched_by: User, person: Person) -> list[Source]:
    notes = selectors.notes_visible_to(fetched_by, about=person)

    def show(n: FileNote) -> Shown:
        return (
            f"{n.get_contact_type_display()}: {n.subject}" + (" (void)" if n.is_void else ""),
            f"By {n.author.full_name}"
            + (" · late entry" if n.is_late_entry else "")
            + (" · restricted" if n.restricted else ""),
            reverse("notes:note", args=[n.pk]),
        )

    return [
        Source(
            "note",
            notes,
            F("contact_at"),
            lambda ids: shown_by_id(notes.filter(pk__in=ids).select_related("author"), show),
            per_user=True,
        )
    ]


def _appointment_sources(fetched_by: User, person: Person) -> list[Source]:
    # Only what the line shows: not the risk and staff that go with an appointment's page.
    appointments = (
        selectors.appointments_visible_to(fetched_by, about=person)
        .select_related(None)
        .prefetch_related(None)
    )

    def show(a) -> Shown:
        return (
            f"Appointment: {a.get_kind_display()}",
            a.get_status_display(),
            reverse("notes:appointment", args=[a.pk]),
        )

    return [
        Source(
            "appointment",
            appointments,
            F("starts_at"),
            lambda ids: shown_by_id(appointments.filter(pk__in=ids), show),
            per_user=True,
        )
    ]


@rules.predicate
def manages_note(user: User, note: FileNote | None) -> bool:
    # The service of the episode, or of the referral for a note written before support.
    return note is not None and note.belongs_to.service_id in access.managed_service_ids(user)


@rules.predicate
def wrote_note(user: User, note: FileNote | None) -> bool:
    return note is not None and note.author_id == user.pk


NEXT_SHOWN = 3


def _whats_next(user: User, person: Person) -> dict:
    """The next appointments with the person and their latest notes, for the top of
    their page: what a worker opening the record wants first."""
    upcoming = list(
        selectors.appointments_visible_to(user, about=person)
        .filter(starts_at__gte=timezone.now(), status=Appointment.Status.PLANNED)
        .select_related(None)
        .prefetch_related(None)
        .order_by("starts_at", "pk")[:NEXT_SHOWN]
    )
    latest = list(selectors.notes_of(fetched_by=user, person=person).defer("text")[:NEXT_SHOWN])
    record_shown(actor=user, model=Appointment, objects=upcoming, about=person)
    record_shown(actor=user, model=FileNote, objects=latest, about=person)
    return {"person": person, "upcoming": upcoming, "latest": latest}


def _today(user: User) -> dict | None:
    """The user's appointments today, first thing on their home page."""
    if not access.has_capability(user, access.Capability.CASEWORK):
        return None
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    today = list(
        selectors.appointments_visible_to(user)
        .filter(staff=user, starts_at__gte=start, starts_at__lt=start + timedelta(days=1))
        .exclude(status=Appointment.Status.CANCELLED)
        .select_related("person")
        .prefetch_related(None)
        .order_by("starts_at", "pk")[:20]
    )
    record_shown(actor=user, model=Appointment, objects=today)
    return {"appointments": today}


CONTRIBUTIONS = Contributions(
    home_panels=[HomePanel("notes/_home_today.html", _today, place=10)],
    menu=[
        MenuItem("Appointments", "notes:my_appointments", access.Capability.CASEWORK, place=30),
        MenuItem("Search notes", "notes:search", access.Capability.CASEWORK, place=50),
    ],
    timeline=[
        TimelineKind("note", "File notes", _note_sources, place=10, shows_time=True),
        TimelineKind("appointment", "Appointments", _appointment_sources, place=50),
    ],
    caseload_columns=[COLUMN],
    person_links=[
        RecordLink("Write a file note", "notes:note_new", place=0, primary=True),
        RecordLink("File notes", "notes:note_list", place=10),
        RecordLink("Plan an appointment", "notes:appointment_new", place=50),
    ],
    merge_moves=[MergeMove(FileNote), MergeMove(Appointment), MergeMove(NoteDraft, ("user",))],
    person_panels=[PersonPanel("notes/_whats_next.html", _whats_next, place=10)],
    stored_files=[attachments.stored_files],
    kept_when_signed_out=[drafts.keep_note_sent_after_sign_out],
    object_rules={
        # A note's text is changed only by amendment, by its author or a manager of the
        # service.
        "notes.amend": access.does_casework & (wrote_note | manages_note),
        "notes.see_versions": access.does_casework & manages_note,
    },
)
