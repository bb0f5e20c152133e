from django.db import models

from keywork.audit.models import person_id_through
from keywork.core.ownership import OrganisationThrough
from keywork.organisations.models import Organisation


class Framework(models.Model):
    """An outcome framework: the domains a person's progress is rated in, on a 1 to 10
    scale divided into named stages. Keywork ships one open framework of its own (with
    no organisation); an organisation may enter the domains of one it licenses."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    scale_min = models.PositiveSmallIntegerField(default=1)
    scale_max = models.PositiveSmallIntegerField(default=10)
    archived_at = models.DateTimeField(null=True, blank=True)
    # The organisation's choice for new support plans; none chosen means Keywork's own.
    used_for_new_plans = models.BooleanField("used for new support plans", default=False)
    # Moves on with every change, so a save made from an older view of it is caught.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Domain(OrganisationThrough, models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="domains")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "name"], name="domain_name_once")
        ]

    def __str__(self) -> str:
        return self.name

    organisation_through = "framework"


class Stage(OrganisationThrough, models.Model):
    """A named band of the scale, such as 'Getting started' for 1 to 2."""

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="stages")
    label = models.CharField(max_length=80)
    description = models.TextField(blank=True)
    low = models.PositiveSmallIntegerField()
    high = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["low"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(low__lte=models.F("high")), name="stage_low_high"
            )
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.low}–{self.high})"

    organisation_through = "framework"


class Rating(models.Model):
    """Where the person is on one domain of the framework, on one day. The first rating
    of a domain in an episode is its baseline; distance travelled is measured from it."""

    class RatedBy(models.TextChoices):
        TOGETHER = "together", "The person and their worker together"
        PERSON = "person", "The person"
        WORKER = "worker", "The worker"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    episode = models.ForeignKey(
        "people.Episode", on_delete=models.PROTECT, related_name="outcome_ratings"
    )
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="ratings")
    score = models.PositiveSmallIntegerField()
    rated_by = models.CharField(max_length=10, choices=RatedBy.choices)
    rated_on = models.DateField()
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["rated_on", "pk"]
        indexes = [models.Index(fields=["episode", "domain", "rated_on"])]

    def __str__(self) -> str:
        return f"{self.domain}: {self.score}"

    @property
    def audit_person_id(self) -> int | None:
        return person_id_through(self, "episode")
