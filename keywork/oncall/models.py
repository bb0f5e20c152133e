"""On call: the rota of cover for a group of services (recurring patterns that make
shifts, each shift changeable on its own), the on-call log written during a shift, the
follow-ups it leaves for the day team, and each service's morning handover."""

from django.conf import settings
from django.db import models

from keywork.audit.models import person_id_through
from keywork.core.ownership import OrganisationThrough
from keywork.organisations.models import Organisation, Service
from keywork.people.models import Person


class Line(models.TextChoices):
    FIRST = "first", "First on call"
    SECOND = "second", "Second on call"
    MANAGER = "manager", "Manager on call"


# Whose bank holidays a rota keeps: the same choice as a service's.
Nation = Service.Nation


class Rota(models.Model):
    """Cover out of hours (or round the clock) for a group of services, such as
    "Bristol out of hours"."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=120)
    services = models.ManyToManyField(Service, related_name="oncall_rotas")
    nation = models.CharField(
        "bank holidays of", max_length=3, choices=Nation.choices, default=Nation.ENGLAND_AND_WALES
    )
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


# The days a pattern can name: the weekdays (Monday 0, as date.weekday()) and bank holidays,
# on which only the patterns that name them apply.
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
BANK_HOLIDAY = "bank_holiday"
DAY_CHOICES = [
    ("mon", "Monday"),
    ("tue", "Tuesday"),
    ("wed", "Wednesday"),
    ("thu", "Thursday"),
    ("fri", "Friday"),
    ("sat", "Saturday"),
    ("sun", "Sunday"),
    (BANK_HOLIDAY, "Bank holidays"),
]


class Pattern(OrganisationThrough, models.Model):
    """A recurring shift (weekday nights, weekends) that makes the rota's shifts from one
    date to another; each shift it made can then be changed on its own."""

    organisation_through = "rota"

    rota = models.ForeignKey(Rota, on_delete=models.PROTECT, related_name="patterns")
    line = models.CharField(max_length=10, choices=Line.choices, default=Line.FIRST)
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    days = models.CharField(max_length=60)  # DAYS and BANK_HOLIDAY, comma-separated
    starts_at = models.TimeField("starts at")
    ends_at = models.TimeField("ends at")  # at or before the start: the next morning
    first_date = models.DateField("from")
    last_date = models.DateField("until")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["rota", "line", "starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_line_display()} pattern {self.pk} of rota {self.rota_id}"

    @property
    def day_list(self) -> list[str]:
        return [day for day in self.days.split(",") if day]


class Shift(OrganisationThrough, models.Model):
    organisation_through = "rota"

    rota = models.ForeignKey(Rota, on_delete=models.PROTECT, related_name="shifts")
    line = models.CharField(max_length=10, choices=Line.choices, default=Line.FIRST)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="oncall_shifts"
    )
    starts_at = models.DateTimeField("starts")
    ends_at = models.DateTimeField("ends")
    notes = models.CharField(max_length=300, blank=True)
    pattern = models.ForeignKey(
        Pattern, on_delete=models.PROTECT, null=True, blank=True, related_name="shifts"
    )
    changed = models.BooleanField(default=False)  # changed on its own since its pattern made it
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "line", "pk"]
        indexes = [
            models.Index(fields=["rota", "starts_at"]),
            models.Index(fields=["worker", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="shift_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_line_display()} shift {self.pk} of rota {self.rota_id}"

    @property
    def cover_key(self) -> str:
        return f"oncall.shift:{self.pk}"


class TimeOff(models.Model):
    """Leave, known to the rota so that a shift given to someone away shows as a gap."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    first_day = models.DateField("first day away")
    last_day = models.DateField("last day away")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["first_day", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_day__gte=models.F("first_day")),
                name="time_off_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"Time off {self.pk}"


class ContactNumber(models.Model):
    """How to reach a member of staff while on call: shown only to staff."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="oncall_number"
    )
    number = models.CharField("phone number", max_length=20)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"On-call number of user {self.user_id}"


class LogEntry(models.Model):
    """One call taken on call. Never deleted; an amendment keeps what it said before."""

    class Caller(models.TextChoices):
        PERSON = "person", "The person supported"
        STAFF = "staff", "Staff"
        NEIGHBOUR = "neighbour", "A neighbour"
        POLICE = "police", "Police"
        AMBULANCE = "ambulance", "Ambulance service"
        HOSPITAL = "hospital", "Hospital"
        AGENCY = "agency", "Another agency"
        OTHER = "other", "Someone else"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    rota = models.ForeignKey(Rota, on_delete=models.PROTECT, related_name="log")
    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="log")
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    call_at = models.DateTimeField("when the call came")
    caller = models.CharField("who called", max_length=20, choices=Caller.choices)
    caller_name = models.CharField("caller's name or agency", max_length=150, blank=True)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    not_known = models.CharField("who it was about, if not known", max_length=200, blank=True)
    # The covered service the call is filed under: the person's, or the one chosen.
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    what_happened = models.TextField("what happened")
    advice = models.TextField("advice given", blank=True)
    action_taken = models.TextField("what was done", blank=True)
    escalated_to = models.CharField("escalated to", max_length=150, blank=True)
    escalated_at = models.DateTimeField("escalated at", null=True, blank=True)
    escalation_answer = models.TextField("their answer", blank=True)
    police = models.BooleanField("police involved", default=False)
    ambulance = models.BooleanField("ambulance involved", default=False)
    fire = models.BooleanField("fire service involved", default=False)
    serious = models.BooleanField("serious: may need an incident report", default=False)
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-call_at", "-pk"]
        verbose_name_plural = "log entries"
        indexes = [
            models.Index(fields=["service", "call_at"]),
            models.Index(fields=["person", "call_at"]),
            models.Index(fields=["written_by", "call_at"]),
        ]

    def __str__(self) -> str:
        return f"On-call log entry {self.pk}"

    @property
    def emergency_services(self) -> list[str]:
        named = [("police", "police"), ("ambulance", "ambulance"), ("fire", "fire service")]
        return [label for name, label in named if getattr(self, name)]


class LogAmendment(OrganisationThrough, models.Model):
    """What a log entry said before a correction, with who corrected it and why."""

    organisation_through = "entry"

    entry = models.ForeignKey(LogEntry, on_delete=models.PROTECT, related_name="amendments")
    amended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    amended_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField("why it is corrected", max_length=300)
    was_what_happened = models.TextField()
    was_advice = models.TextField(blank=True)
    was_action_taken = models.TextField(blank=True)

    class Meta:
        ordering = ["amended_at", "pk"]

    def __str__(self) -> str:
        return f"Amendment {self.pk} of on-call log entry {self.entry_id}"

    @property
    def audit_person_id(self) -> int | None:
        return person_id_through(self, "entry")


class FollowUp(OrganisationThrough, models.Model):
    """What the day team must do after a call: on the handover and in the task list of
    the person's key worker (or the service's senior) until done."""

    organisation_through = "entry"

    entry = models.OneToOneField(LogEntry, on_delete=models.PROTECT, related_name="follow_up")
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    what = models.CharField("follow-up for the day team", max_length=300)
    due_on = models.DateField("follow up by")
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["assigned_to", "done_at", "due_on"])]

    def __str__(self) -> str:
        return f"Follow-up of on-call log entry {self.entry_id}"

    @property
    def audit_person_id(self) -> int | None:
        return person_id_through(self, "entry")


class HandoverRead(models.Model):
    """The day team's senior has read a service's morning handover."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "day"], name="one_handover_read_a_day")
        ]

    def __str__(self) -> str:
        return f"Handover of service {self.service_id} on {self.day}"
