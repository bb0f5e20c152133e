"""Notices and leaflets for the people supported: who they are for, their files, and who
has had each one on paper (and acknowledged it) and when."""

from django.conf import settings
from django.db import models

from keywork.core.ownership import OrganisationThrough
from keywork.events.models import Event
from keywork.housing.models import Property
from keywork.organisations.models import Organisation, Service
from keywork.people.models import PartOfPersonRecord


class Notice(models.Model):
    """A notice or leaflet a service gives the people it supports."""

    class Audience(models.TextChoices):
        SERVICE = "service", "Everyone the service supports"
        PROPERTY = "property", "Everyone living in one property"
        PEOPLE = "people", "Named people"
        GROUP = "group", "The people signed up to an event or group"

    class Language(models.TextChoices):
        ENGLISH = "en", "English"
        EASY_READ = "en-easy", "English, easy read"
        WELSH = "cy", "Welsh"
        POLISH = "pl", "Polish"
        ROMANIAN = "ro", "Romanian"
        SOMALI = "so", "Somali"
        ARABIC = "ar", "Arabic"
        URDU = "ur", "Urdu"
        PUNJABI = "pa", "Punjabi"
        BENGALI = "bn", "Bengali"
        PORTUGUESE = "pt", "Portuguese"
        OTHER = "other", "Another language"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="notices")
    title = models.CharField(max_length=200)
    body = models.TextField("what it says, in plain words")
    language = models.CharField(max_length=10, choices=Language.choices, default="en")
    audience = models.CharField("who it is for", max_length=10, choices=Audience.choices)
    property = models.ForeignKey(
        Property, on_delete=models.PROTECT, null=True, blank=True, related_name="notices"
    )
    # The event or series whose sign-ups (not cancelled) a notice for a group is for.
    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, null=True, blank=True, related_name="notices"
    )
    published_on = models.DateField("published on")
    expires_on = models.DateField("expires on", null=True, blank=True)
    needs_acknowledgement = models.BooleanField("ask each person to acknowledge it", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Moves on with each change, so that a change made from an older page is caught.
    version = models.PositiveIntegerField(default=1)
    # Withdrawn, not deleted: it leaves the lists of what to hand out, and keeps its
    # history and who had it.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_reason = models.CharField("why it is withdrawn", max_length=300, blank=True)

    class Meta:
        ordering = ["-published_on", "-pk"]
        indexes = [models.Index(fields=["service", "published_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True)
                | models.Q(expires_on__gte=models.F("published_on")),
                name="notice_expires_after_published",
            ),
            models.CheckConstraint(
                condition=~models.Q(audience="property") | models.Q(property__isnull=False),
                name="notice_for_a_property_names_it",
            ),
            models.CheckConstraint(
                condition=~models.Q(audience="group") | models.Q(event__isnull=False),
                name="notice_for_a_group_names_its_event",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class NoticeFor(PartOfPersonRecord, models.Model):
    """One of the named people a notice is for."""

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="named")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["notice", "person"], name="notice_names_once")
        ]

    def __str__(self) -> str:
        return f"{self.notice} for {self.person}"


class NoticeFile(OrganisationThrough, models.Model):
    """A leaflet or an easy-read version attached to a notice."""

    class Kind(models.TextChoices):
        LEAFLET = "leaflet", "Leaflet"
        EASY_READ = "easy_read", "Easy-read version"
        TRANSLATION = "translation", "Translation"
        OTHER = "other", "Other"

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="files")
    kind = models.CharField(max_length=20, choices=Kind.choices, default="leaflet")
    original_name = models.CharField(max_length=200)
    stored_name = models.CharField(max_length=64, unique=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    organisation_through = "notice"

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name


class Receipt(PartOfPersonRecord, models.Model):
    """A person had the notice (on paper, handed over by staff), and perhaps acknowledged
    it (recorded by staff on their behalf)."""

    class How(models.TextChoices):
        BY_HAND = "by_hand", "Handed to them"
        UNDER_DOOR = "under_door", "Through the door"
        POST = "post", "By post"

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="receipts")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="notice_receipts"
    )
    received_on = models.DateField("received on")
    how = models.CharField(max_length=20, choices=How.choices, default="by_hand")
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_on = models.DateField("acknowledged on", null=True, blank=True)
    acknowledged_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_on", "pk"]
        indexes = [models.Index(fields=["person", "received_on"])]
        constraints = [
            models.UniqueConstraint(fields=["notice", "person"], name="receipt_once_a_person"),
            models.CheckConstraint(
                condition=models.Q(acknowledged_on__isnull=True)
                | models.Q(acknowledged_on__gte=models.F("received_on")),
                name="receipt_acknowledged_after_received",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notice} received by {self.person}"

    @property
    def days_to_deliver(self) -> int:
        return (self.received_on - self.notice.published_on).days
