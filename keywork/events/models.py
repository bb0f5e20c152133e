"""Events and groups for the people supported: an event (one-off, or a series by a
rule), its sessions (rows made from the rule, each movable or cancelled on its own), and
who is signed up to each session, waiting for a place, or on its register."""

from django.conf import settings
from django.db import models

from keywork.core.ownership import OrganisationThrough
from keywork.organisations.models import Organisation, Service
from keywork.people.models import PartOfPersonRecord, Person


class Event(models.Model):
    class Kind(models.TextChoices):
        SOCIAL = "social", "Social"
        SKILLS = "skills", "Skills"
        WELLBEING = "wellbeing", "Health and wellbeing"
        RESIDENTS_MEETING = "residents_meeting", "Residents' meeting"
        TRIP = "trip", "Trip"
        OTHER = "other", "Other"

    class Repeat(models.TextChoices):
        ONCE = "once", "Once"
        WEEKLY = "weekly", "Every week"
        FORTNIGHTLY = "fortnightly", "Every two weeks"
        MONTHLY = "monthly", "Every month, on the same week and day (the first Tuesday)"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    services = models.ManyToManyField(Service, related_name="events")
    title = models.CharField(max_length=200)
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    venue = models.CharField(max_length=300)
    organisers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    capacity = models.PositiveSmallIntegerField("places")
    what_to_bring = models.TextField(blank=True)
    cost = models.DecimalField("cost to the person", max_digits=7, decimal_places=2, default=0)
    accessibility = models.TextField("accessibility notes", blank=True)
    description = models.TextField(blank=True)
    repeat = models.CharField(max_length=20, choices=Repeat.choices, default=Repeat.ONCE)
    first_date = models.DateField("date")
    until = models.DateField("last date", null=True, blank=True)
    starts_at = models.TimeField("starts at")
    ends_at = models.TimeField("ends at")
    ended_on = models.DateField("series ended after", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Raised by each change of its details: a change made from an older version is
    # refused, not saved over someone else's.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="event_has_a_place"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="event_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_series(self) -> bool:
        return self.repeat != self.Repeat.ONCE


class Session(OrganisationThrough, models.Model):
    """One meeting of an event. Its time and venue start as the rule's and may be moved."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="sessions")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    venue = models.CharField(max_length=300)
    moved = models.BooleanField(default=False)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=300, blank=True)

    organisation_through = "event"

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["event", "starts_at"]), models.Index(fields=["starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event.title}, {self.starts_at:%d/%m/%Y}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class SignUp(PartOfPersonRecord, models.Model):
    """A person on a session's list: with a place, waiting for one, or on the register."""

    class Status(models.TextChoices):
        PLACE = "place", "Has a place"
        WAITING = "waiting", "Waiting for a place"
        ATTENDED = "attended", "Attended"
        LATE = "late", "Arrived late"
        DID_NOT_ATTEND = "did_not_attend", "Did not attend"
        CANCELLED = "cancelled", "Cancelled"

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="sign_ups")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="event_sign_ups")
    status = models.CharField(max_length=20, choices=Status.choices)
    walk_in = models.BooleanField("came without signing up", default=False)
    signed_up_at = models.DateTimeField()
    signed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=300, blank=True)
    marked_at = models.DateTimeField(null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    # What takes up one of the session's places.
    HOLDING = (Status.PLACE, Status.ATTENDED, Status.LATE, Status.DID_NOT_ATTEND)
    # What the register records once the session has happened.
    ATTENDANCE = (Status.ATTENDED, Status.LATE, Status.DID_NOT_ATTEND, Status.CANCELLED)

    class Meta:
        ordering = ["signed_up_at", "pk"]
        indexes = [
            models.Index(fields=["session", "status"]),
            models.Index(fields=["person", "session"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="signed_up_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} at {self.session}"


class EventFeed(models.Model):
    """A service's sessions as an iCalendar feed at a secret address, which staff of the
    service can revoke. It names no one supported: the events, times and venues only."""

    service = models.OneToOneField(Service, on_delete=models.CASCADE, related_name="event_feed")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Events feed of service {self.service_id}"

    @property
    def organisation_id(self) -> int:
        return self.service.organisation_id
