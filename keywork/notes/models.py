from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator
from django.db import models

from keywork.audit.models import person_id_through
from keywork.core.ownership import OrganisationThrough
from keywork.organisations.models import Organisation
from keywork.people.models import Episode, Person, Referral


def _on_one_of_them(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(episode__isnull=False, referral__isnull=True)
        | models.Q(episode__isnull=True, referral__isnull=False),
        name=name,
        violation_error_message="Choose the episode or referral it belongs to.",
    )


class OnEpisodeOrReferral:
    """A note or an appointment belongs to one episode of support or, for outreach and
    assessment before support starts, to one referral: exactly one of the two, which a
    constraint holds. Its person is its own column either way."""

    episode: "models.ForeignKey[Episode | None]"
    referral: "models.ForeignKey[Referral | None]"

    @property
    def belongs_to(self) -> Episode | Referral:
        return self.episode or self.referral  # type: ignore[return-value]

    @property
    def support_label(self) -> str:
        """What it is part of, as a page names it: the service, or the referral to it."""
        if self.episode is not None:
            return str(self.episode.service)
        return f"Referral to {self.referral.service}" if self.referral is not None else ""


class FileNote(OnEpisodeOrReferral, models.Model):
    """A record of contact with, or work for, a person. Never deleted or silently changed:
    an amendment keeps every earlier version and its reason; a note on the wrong person
    is voided with a reason and stays on file."""

    class ContactType(models.TextChoices):
        KEY_WORK = "key_work", "Key-work session"
        FACE_TO_FACE = "face_to_face", "Face to face"
        PHONE = "phone", "Phone call"
        MESSAGE = "message", "Text or message"
        HOME_VISIT = "home_visit", "Home visit"
        GROUP_WORK = "group_work", "Group work"
        ADVICE = "advice", "Advice"
        ADVOCACY = "advocacy", "Advocacy"
        CRISIS = "crisis", "Crisis intervention"
        LIAISON = "liaison", "Liaison with an agency"
        DID_NOT_ATTEND = "did_not_attend", "Did not attend"
        OTHER = "other", "Other"
        # Written by supervision, the decision about a person a supervision discussed.
        SUPERVISION = "supervision", "Case discussion in supervision"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="file_notes")
    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, null=True, blank=True, related_name="file_notes"
    )
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="file_notes"
    )
    contact_type = models.CharField("type of contact", max_length=20, choices=ContactType.choices)
    contact_at = models.DateTimeField("date and time of the contact")
    duration_minutes = models.PositiveSmallIntegerField(
        "duration in minutes", default=0, validators=[MaxValueValidator(24 * 60)]
    )
    place = models.CharField(max_length=200, blank=True)
    others_present = models.CharField("others present", max_length=300, blank=True)
    staff_present = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name="staff present"
    )
    subject = models.CharField(max_length=200)
    # Plain text: paragraphs and "- " lists are laid out when shown; nothing typed is
    # ever treated as HTML.
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    is_late_entry = models.BooleanField(default=False)
    restricted = models.BooleanField(default=False)
    named_staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="restricted_notes",
        verbose_name="staff who may read it",
    )
    # The parts of the support plan this contact worked on.
    goals = models.ManyToManyField("planning.Goal", blank=True, related_name="file_notes")
    actions = models.ManyToManyField("planning.Action", blank=True, related_name="file_notes")
    version = models.PositiveIntegerField(default=1)
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    void_reason = models.CharField(max_length=300, blank=True)
    # PostgreSQL's full-text index; SQLite keeps an FTS5 table instead (see the migration).
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-contact_at", "-pk"]
        indexes = [
            models.Index(fields=["person", "-contact_at"]),
            models.Index(fields=["episode", "-contact_at"]),
            models.Index(fields=["organisation", "-contact_at"]),
            GinIndex(fields=["search_vector"], name="notes_filenote_search_gin"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_minutes__lte=24 * 60),
                name="note_duration_at_most_a_day",
            ),
            _on_one_of_them("note_on_an_episode_or_a_referral"),
        ]

    def __str__(self) -> str:
        return f"{self.get_contact_type_display()}: {self.subject}"

    @property
    def is_void(self) -> bool:
        return self.voided_at is not None


class FileNoteVersion(OrganisationThrough, models.Model):
    """Each text the note has had: version 1 is the original."""

    note = models.ForeignKey(FileNote, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    subject = models.CharField(max_length=200)
    text = models.TextField()
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField()
    reason = models.CharField("reason for the amendment", max_length=300, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["note", "number"], name="note_version_once")]

    def __str__(self) -> str:
        return f"Version {self.number} of note {self.note_id}"

    @property
    def audit_person_id(self) -> int | None:
        return person_id_through(self, "note")

    organisation_through = "note"


class NoteDraft(models.Model):
    """What a worker has typed of a note not yet saved, kept on the server as they type
    so that a dropped signal or a closed tab loses nothing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)
    # Every other field of the form as typed (type of contact, date, time, duration,
    # place, follow-up...), so that the draft comes back whole.
    typed = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "person"], name="one_draft_per_person")
        ]

    def __str__(self) -> str:
        return f"Draft note by {self.user_id} on {self.person_id}"


class Appointment(OnEpisodeOrReferral, models.Model):
    """A planned key-work session or visit."""

    class Kind(models.TextChoices):
        KEY_WORK = "key_work", "Key-work session"
        HOME_VISIT = "home_visit", "Home visit"
        FACE_TO_FACE = "face_to_face", "Meeting"
        PHONE = "phone", "Phone call"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        ATTENDED = "attended", "Attended"
        DID_NOT_ATTEND = "did_not_attend", "Did not attend"
        CANCELLED = "cancelled", "Cancelled"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="appointments")
    episode = models.ForeignKey(
        Episode, on_delete=models.PROTECT, null=True, blank=True, related_name="appointments"
    )
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="appointments"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.KEY_WORK)
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(
        default=60, validators=[MaxValueValidator(24 * 60)]
    )
    place = models.CharField(max_length=200, blank=True)
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="appointments")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    # Why it was called off, said when it was cancelled.
    cancel_reason = models.CharField(max_length=300, blank=True)
    file_note = models.OneToOneField(
        FileNote, on_delete=models.PROTECT, null=True, blank=True, related_name="appointment"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["person", "starts_at"])]
        constraints = [_on_one_of_them("appointment_on_an_episode_or_a_referral")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.starts_at:%d/%m/%Y %H:%M}"

    @property
    def ends_at(self):
        from datetime import timedelta

        return self.starts_at + timedelta(minutes=self.duration_minutes)


class CalendarFeed(models.Model):
    """A worker's appointments as an iCalendar feed at a secret address, which they can
    revoke. People appear by their initials unless the worker chooses full names."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    full_names = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user_id}"


class Attachment(OrganisationThrough, models.Model):
    """A document or photo kept with a file note, stored outside the web roots and handed
    out only after the same access check as the note itself."""

    note = models.ForeignKey(FileNote, on_delete=models.PROTECT, related_name="attachments")
    original_name = models.CharField(max_length=200)
    stored_name = models.CharField(max_length=100, unique=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def audit_person_id(self) -> int | None:
        return person_id_through(self, "note")

    organisation_through = "note"
