from django.conf import settings
from django.db import models

from keywork.audit.models import person_id_through
from keywork.core.ownership import OrganisationThrough
from keywork.organisations.models import Organisation, Service
from keywork.people.models import Episode, PartOfPersonRecord


class Property(models.Model):
    """A building or address a service houses people in."""

    class Type(models.TextChoices):
        SHARED_HOUSE = "shared_house", "Shared house"
        HOSTEL = "hostel", "Hostel"
        SELF_CONTAINED = "self_contained", "Self-contained flats"
        DISPERSED = "dispersed", "Dispersed flat"
        OTHER = "other", "Other"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="properties")
    name = models.CharField(max_length=200)
    address = models.CharField(max_length=300)
    type = models.CharField(max_length=20, choices=Type.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name_plural = "properties"

    def __str__(self) -> str:
        return self.name


class Unit(OrganisationThrough, models.Model):
    """A room, flat or bed space that people live in; capacity is its number of beds."""

    property = models.ForeignKey(Property, on_delete=models.PROTECT, related_name="units")
    name = models.CharField(max_length=100)
    capacity = models.PositiveSmallIntegerField(default=1)
    opened_on = models.DateField("in use from")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["property__name", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["property", "name"], name="unit_name_once"),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="unit_has_a_bed"),
        ]

    def __str__(self) -> str:
        return f"{self.property.name}, {self.name}"

    organisation_through = "property"


class Tenancy(PartOfPersonRecord, models.Model):
    """A licence or tenancy: a person's stay in a unit during an episode. A night counts
    as occupied from the start date up to, not including, the end date."""

    class Kind(models.TextChoices):
        LICENCE = "licence", "Licence"
        ASSURED_SHORTHOLD = "ast", "Assured shorthold tenancy"
        ASSURED = "assured", "Assured tenancy"
        OTHER = "other", "Other"

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="tenancies")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="tenancies")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="tenancies")
    kind = models.CharField("type of agreement", max_length=20, choices=Kind.choices)
    start_date = models.DateField("moved in")
    end_date = models.DateField("moved out", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-start_date", "-pk"]
        indexes = [
            models.Index(fields=["unit", "start_date"]),
            models.Index(fields=["episode", "end_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="tenancy_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.unit}"


class MoveOnPlan(PartOfPersonRecord, models.Model):
    class Readiness(models.TextChoices):
        NOT_YET = "not_yet", "Not ready yet"
        NEARLY = "nearly", "Nearly ready"
        READY = "ready", "Ready to move on"

    episode = models.OneToOneField(Episode, on_delete=models.PROTECT, related_name="move_on_plan")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    readiness = models.CharField(max_length=10, choices=Readiness.choices)
    barriers = models.TextField("what stands in the way", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Move-on plan for {self.person}"


class HousingApplication(OrganisationThrough, models.Model):
    class Route(models.TextChoices):
        COUNCIL = "council", "Council housing register"
        PRIVATE = "private", "Private rented"
        SUPPORTED = "supported", "Supported move-on"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        PREPARING = "preparing", "Getting ready"
        SUBMITTED = "submitted", "Submitted"
        ACCEPTED = "accepted", "Accepted, waiting for an offer"
        OFFERED = "offered", "Offered a home"
        HOUSED = "housed", "Housed"
        REFUSED = "refused", "Refused"
        WITHDRAWN = "withdrawn", "Withdrawn"

    plan = models.ForeignKey(MoveOnPlan, on_delete=models.PROTECT, related_name="applications")
    route = models.CharField(max_length=20, choices=Route.choices)
    band = models.CharField("band or priority", max_length=30, blank=True)
    applied_on = models.DateField("date applied")
    status = models.CharField(max_length=20, choices=Status.choices)
    status_on = models.DateField("date of the status")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-applied_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status_on__gte=models.F("applied_on")),
                name="application_status_after_applying",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_route_display()} application"

    @property
    def audit_person_id(self) -> int | None:
        return person_id_through(self, "plan")

    organisation_through = "plan__person"


class SustainmentCheck(PartOfPersonRecord, models.Model):
    """After a move-on: is the person still housed 3, 6 and 12 months on?"""

    class HowKnown(models.TextChoices):
        PERSON = "person", "From the person"
        LANDLORD = "landlord", "From the landlord"
        AGENCY = "agency", "From another agency"
        OTHER = "other", "Other"

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="sustainment")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    months = models.PositiveSmallIntegerField(
        choices=[(3, "3 months"), (6, "6 months"), (12, "12 months")]
    )
    checked_on = models.DateField("date checked")
    still_housed = models.BooleanField()
    where = models.CharField("where they live now", max_length=300, blank=True)
    how_known = models.CharField("how we know", max_length=20, choices=HowKnown.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["months"]
        constraints = [
            models.UniqueConstraint(fields=["episode", "months"], name="one_check_per_point")
        ]

    def __str__(self) -> str:
        return f"{self.months}-month check for {self.person}"
