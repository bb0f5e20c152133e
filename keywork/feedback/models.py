"""Complaints to the Housing Ombudsman's Complaint Handling Code: who complained, how and
about what, and its two stages, each acknowledged within 5 working days and answered
within 10 (stage 1) or 20 (stage 2) working days of the acknowledgement, counted with the
bank holidays of the service's nation. Each stage gives an outcome per point, any remedy,
and what the service learnt."""

from datetime import date

from django.conf import settings
from django.db import models

from keywork.audit.models import person_id_through
from keywork.core.ownership import OrganisationThrough
from keywork.core.working_days import add_working_days
from keywork.organisations.models import Organisation, Service
from keywork.people.models import Person

ACKNOWLEDGE_WITHIN = 5
ANSWER_WITHIN = {1: 10, 2: 20}


class Complaint(models.Model):
    class Who(models.TextChoices):
        PERSON = "person", "A person supported, by name"
        PERSON_ANONYMOUS = "anonymous", "A person supported, anonymously"
        FAMILY_OR_ADVOCATE = "family", "A family member or advocate"
        PUBLIC = "public", "A neighbour or member of the public"
        PROFESSIONAL = "professional", "A professional"

    class How(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        PHONE = "phone", "Phone"
        LETTER = "letter", "Letter"
        EMAIL = "email", "Email"

    class About(models.TextChoices):
        SERVICE = "service", "The service"
        STAFF = "staff", "A member of staff"
        RESIDENT = "resident", "Another resident"
        BUILDING = "building", "The building"
        DECISION = "decision", "A decision"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="complaints")
    who = models.CharField("who complained", max_length=20, choices=Who.choices)
    # The person supported who complained, or on whose behalf; none when anonymous.
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="complaints"
    )
    complainant_name = models.CharField("their name", max_length=200, blank=True)
    consent_recorded_on = models.DateField(
        "the person's consent recorded on", null=True, blank=True
    )
    how = models.CharField("how they complained", max_length=20, choices=How.choices)
    about = models.CharField("what it is about", max_length=20, choices=About.choices)
    about_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="the member of staff it is about",
    )
    summary = models.TextField("what the complaint is")
    wanted = models.TextField("what they want to happen")
    received_on = models.DateField("received on")
    # Straight to stage 2 only when recorded so, with the reason.
    straight_to_stage_2_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    logged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"Complaint {self.pk} received {self.received_on:%d/%m/%Y}"


class Stage(OrganisationThrough, models.Model):
    organisation_through = "complaint"

    class Number(models.IntegerChoices):
        ONE = 1, "Stage 1"
        TWO = 2, "Stage 2"

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="stages")
    number = models.PositiveSmallIntegerField(choices=Number.choices)
    opened_on = models.DateField("the stage started on")  # received, or asked to escalate
    escalation_reason = models.TextField("why they are not satisfied", blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_on = models.DateField(null=True, blank=True)
    extended_to = models.DateField("answer agreed by", null=True, blank=True)
    extension_reason = models.TextField(blank=True)
    responded_on = models.DateField(null=True, blank=True)
    decision = models.TextField("the decision and the reasons for it", blank=True)
    still_to_do = models.TextField("what is still to be done", blank=True)
    learning = models.TextField("what the service learnt and will do", blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint("complaint", "number", name="feedback_one_stage_of_each")
        ]

    def __str__(self) -> str:
        return f"{self.get_number_display()} of complaint {self.complaint_id}"

    @property
    def audit_person_id(self) -> int | None:
        return person_id_through(self, "complaint")

    @property
    def nation(self) -> str:
        return self.complaint.service.nation

    @property
    def acknowledge_by(self) -> date:
        return add_working_days(self.opened_on, ACKNOWLEDGE_WITHIN, nation=self.nation)

    @property
    def answer_by(self) -> date:
        """The agreed extension if there is one, else 10 (stage 1) or 20 (stage 2) working
        days from the acknowledgement (or from when it was due, until it is made)."""
        if self.extended_to:
            return self.extended_to
        start = self.acknowledged_on or self.acknowledge_by
        return add_working_days(start, ANSWER_WITHIN[self.number], nation=self.nation)

    @property
    def due_next(self) -> date | None:
        if self.responded_on:
            return None
        return self.answer_by if self.acknowledged_on else self.acknowledge_by

    @property
    def answered_in_time(self) -> bool | None:
        if not self.responded_on:
            return None
        acknowledged = bool(self.acknowledged_on and self.acknowledged_on <= self.acknowledge_by)
        return acknowledged and self.responded_on <= self.answer_by


class Point(OrganisationThrough, models.Model):
    organisation_through = "stage__complaint"

    class Outcome(models.TextChoices):
        UPHELD = "upheld", "Upheld"
        PARTLY = "partly", "Partly upheld"
        NOT_UPHELD = "not_upheld", "Not upheld"

    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="points")
    what = models.TextField("the point")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Point {self.pk}: {self.get_outcome_display()}"

    @property
    def audit_person_id(self) -> int | None:
        return person_id_through(self, "stage", "complaint")


class Remedy(OrganisationThrough, models.Model):
    organisation_through = "stage__complaint"

    class Kind(models.TextChoices):
        APOLOGY = "apology", "An apology"
        ACTION = "action", "Something put right"
        PAYMENT = "payment", "A payment"

    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="remedies")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    details = models.TextField(blank=True)
    amount = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="payment") | models.Q(amount__gt=0),
                name="feedback_payment_has_an_amount",
            )
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def audit_person_id(self) -> int | None:
        return person_id_through(self, "stage", "complaint")
