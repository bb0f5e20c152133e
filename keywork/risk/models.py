from django.conf import settings
from django.db import models

from keywork.audit.models import person_id_through
from keywork.core.ownership import OrganisationThrough
from keywork.organisations.models import Organisation, Service
from keywork.people.models import PartOfPersonRecord, Person


class Level(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class RiskAssessment(PartOfPersonRecord, models.Model):
    """The person's current risk assessment. Edited with a version check; every save
    keeps a copy of the whole assessment as it then stood."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="risk_assessment")
    overall = models.CharField("overall level of risk", max_length=10, choices=Level.choices)
    summary = models.TextField("summary and how risk is managed", blank=True)
    review_on = models.DateField("review by")
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["review_on"])]

    def __str__(self) -> str:
        return f"Risk assessment of {self.person}"

    @property
    def staff_risk(self):
        """The 'risk to staff and lone working' area, if it was assessed."""
        return next((a for a in self.areas.all() if a.domain == RiskArea.Domain.STAFF), None)


class RiskArea(OrganisationThrough, models.Model):
    class Domain(models.TextChoices):
        SELF = "self", "Risk to self"
        OTHERS = "others", "Risk to others"
        FROM_OTHERS = "from_others", "Risk from others and exploitation"
        SELF_NEGLECT = "self_neglect", "Self-neglect"
        FIRE = "fire", "Fire"
        PROPERTY = "property", "Risk to property"
        SUBSTANCES = "substances", "Substance use"
        STAFF = "staff", "Risk to staff and lone working"
        OTHER = "other", "Other"

    assessment = models.ForeignKey(RiskAssessment, on_delete=models.CASCADE, related_name="areas")
    domain = models.CharField(max_length=20, choices=Domain.choices)
    level = models.CharField(max_length=10, choices=Level.choices)
    history = models.TextField("history", blank=True)
    triggers = models.TextField(blank=True)
    warning_signs = models.TextField("early warning signs", blank=True)
    management_plan = models.TextField("how it is managed", blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "domain"], name="risk_area_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_domain_display()}: {self.get_level_display()}"

    @property
    def audit_person_id(self) -> int | None:
        return person_id_through(self, "assessment")

    organisation_through = "assessment"


class RiskVersion(OrganisationThrough, models.Model):
    """The assessment as it stood after one save: a frozen document, kept whole."""

    assessment = models.ForeignKey(
        RiskAssessment, on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField()
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    saved_at = models.DateTimeField()
    overall = models.CharField(max_length=10, choices=Level.choices)
    snapshot = models.JSONField()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="risk_version_once")
        ]

    def __str__(self) -> str:
        return f"Version {self.number} of the risk assessment of {self.assessment.person_id}"

    @property
    def audit_person_id(self) -> int | None:
        return person_id_through(self, "assessment")

    organisation_through = "assessment"


class Incident(models.Model):
    """Something that happened in a service that a manager must know of and sign off.
    Several people may be involved; each person's record shows only their own part."""

    class Type(models.TextChoices):
        HEALTH_AND_SAFETY = "health_safety", "Health and safety"
        VIOLENCE = "violence", "Violence or aggression"
        SAFEGUARDING = "safeguarding", "Safeguarding concern"
        SELF_HARM = "self_harm", "Self-harm"
        OVERDOSE = "overdose", "Overdose"
        DEATH = "death", "Death"
        FIRE = "fire", "Fire"
        PROPERTY_DAMAGE = "property", "Property damage"
        EVICTION = "eviction", "Threat of eviction"
        NEIGHBOUR = "neighbour", "Neighbour complaint"
        OTHER = "other", "Other"

    class Severity(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High (serious)"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="incidents")
    type = models.CharField(max_length=20, choices=Type.choices)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    occurred_at = models.DateTimeField("date and time")
    place = models.CharField(max_length=200)
    what_happened = models.TextField("what happened")
    immediate_action = models.TextField("what was done straight away")
    staff_involved = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="incidents_involved_in"
    )
    others_involved = models.CharField("others involved", max_length=300, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField()
    manager_review = models.TextField("the manager's review", blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["service", "occurred_at"]),
            models.Index(fields=["service", "signed_off_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} on {self.occurred_at:%d/%m/%Y}"


class IncidentPerson(PartOfPersonRecord, models.Model):
    """One person's part in an incident: what it meant for them, seen on their record."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="people")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="incidents")
    their_part = models.TextField("what happened to or with them", blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["incident", "person"], name="incident_person_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.incident}"


class IncidentAction(OrganisationThrough, models.Model):
    """A follow-up the signing-off manager sets."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="actions")
    what = models.CharField(max_length=300)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField("due by")

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.what

    organisation_through = "incident"


class SafeguardingReferral(PartOfPersonRecord, models.Model):
    """A safeguarding concern about a person, and where it was referred."""

    class About(models.TextChoices):
        ADULT = "adult", "An adult at risk"
        CHILD = "child", "A child"

    class Outcome(models.TextChoices):
        OPEN = "", "Waiting for an outcome"
        ENQUIRY = "enquiry", "Enquiry opened"
        NO_FURTHER_ACTION = "nfa", "No further action"
        ADVICE = "advice", "Advice given"
        PLAN = "plan", "Protection plan in place"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="safeguarding_referrals"
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    incident = models.ForeignKey(
        Incident,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="safeguarding_referrals",
    )
    about = models.CharField("concern about", max_length=10, choices=About.choices)
    concern = models.TextField("the concern")
    referred_to = models.CharField("referred to", max_length=200)
    referred_on = models.DateField("date referred")
    reference = models.CharField("their reference", max_length=100, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_on = models.DateField("date of the outcome", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-referred_on", "-pk"]
        indexes = [models.Index(fields=["service", "outcome"])]

    def __str__(self) -> str:
        return f"Safeguarding referral to {self.referred_to} on {self.referred_on:%d/%m/%Y}"
