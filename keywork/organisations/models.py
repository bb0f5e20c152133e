from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower


class Organisation(models.Model):
    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def organisation_id(self) -> int:
        # Lets the audit file an organisation's own rows under it, like every other row.
        return self.pk


class Area(models.Model):
    """A council area or directorate that an organisation works in."""

    class Kind(models.TextChoices):
        COUNCIL_AREA = "council_area", "Council area"
        DIRECTORATE = "directorate", "Directorate"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="areas")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.COUNCIL_AREA)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "organisation",
                Lower("name"),
                name="area_name_unique_in_organisation",
                violation_error_message="Your organisation already has an area with this name.",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    class Type(models.TextChoices):
        ACCOMMODATION = "accommodation", "Accommodation-based"
        FLOATING = "floating", "Floating support"
        OUTREACH = "outreach", "Outreach"
        DAY_SERVICE = "day_service", "Day service"

    class Nation(models.TextChoices):
        """Whose bank holidays count against the service's working-day deadlines."""

        ENGLAND_AND_WALES = "ENG", "England and Wales"
        SCOTLAND = "SCT", "Scotland"
        NORTHERN_IRELAND = "NIR", "Northern Ireland"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="services"
    )
    name = models.CharField(max_length=200)
    type = models.CharField(max_length=20, choices=Type.choices)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="services", verbose_name="council area"
    )
    commissioner = models.CharField(
        max_length=200, blank=True, help_text="The body that funds the service, if any."
    )
    nation = models.CharField(
        "nation",
        max_length=3,
        choices=Nation.choices,
        default=Nation.ENGLAND_AND_WALES,
        help_text="Its bank holidays are not counted as working days in deadlines.",
    )
    note_interval_days = models.PositiveSmallIntegerField(
        "most days between file notes",
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    plan_review_weeks = models.PositiveSmallIntegerField(
        "weeks between support plan reviews",
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(104)],
    )
    risk_review_weeks = models.PositiveSmallIntegerField(
        "weeks between risk reviews",
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(104)],
    )
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "organisation",
                Lower("name"),
                name="service_name_unique_in_organisation",
                violation_error_message="Your organisation already has a service with this name.",
            ),
            models.CheckConstraint(
                condition=models.Q(note_interval_days__gte=1)
                & models.Q(plan_review_weeks__gte=1)
                & models.Q(risk_review_weeks__gte=1),
                name="service_recording_standards_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)
    services = models.ManyToManyField(Service, related_name="teams")
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "organisation",
                Lower("name"),
                name="team_name_unique_in_organisation",
                violation_error_message="Your organisation already has a team with this name.",
            )
        ]

    def __str__(self) -> str:
        return self.name
