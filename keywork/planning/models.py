from django.conf import settings
from django.db import models

from keywork.audit.models import person_id_through
from keywork.core.ownership import OrganisationThrough
from keywork.organisations.models import Organisation
from keywork.outcomes.models import Domain, Framework
from keywork.people.models import Episode, Person


class SupportPlan(models.Model):
    """The person's support plan for one episode: goals in their own words, with the
    actions agreed to reach them. Edited with a version check; each agreement freezes a
    copy of the plan as it stood."""

    class AgreedHow(models.TextChoices):
        PAPER = "paper", "Signed on paper"
        VERBAL = "verbal", "Agreed out loud"
        PORTAL = "portal", "Agreed in the portal"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="support_plans")
    episode = models.OneToOneField(Episode, on_delete=models.PROTECT, related_name="support_plan")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="+")
    next_review_on = models.DateField("next review by")
    version = models.PositiveIntegerField(default=1)
    agreed_on = models.DateField(null=True, blank=True)
    agreed_how = models.CharField(max_length=10, choices=AgreedHow.choices, blank=True)
    person_comments = models.TextField("the person's comments", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["next_review_on"])]

    def __str__(self) -> str:
        return f"Support plan for {self.person} in {self.episode.service}"


class Goal(OrganisationThrough, models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Working on it"
        ACHIEVED = "achieved", "Achieved"
        NOT_ACHIEVED = "not_achieved", "Closed, not achieved"

    plan = models.ForeignKey(SupportPlan, on_delete=models.PROTECT, related_name="goals")
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="+")
    in_own_words = models.TextField("the goal, in their own words")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    closed_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.in_own_words[:80]

    @property
    def audit_person_id(self) -> int | None:
        return person_id_through(self, "plan")

    organisation_through = "plan"


class Action(OrganisationThrough, models.Model):
    class Owner(models.TextChoices):
        PERSON = "person", "The person"
        WORKER = "worker", "A worker"
        AGENCY = "agency", "Another agency"

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        NOT_NEEDED = "not_needed", "No longer needed"

    OPEN_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS)

    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="actions")
    what = models.CharField(max_length=300)
    owner = models.CharField(max_length=10, choices=Owner.choices)
    owner_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_actions",
    )
    owner_agency = models.CharField(max_length=200, blank=True)
    due_on = models.DateField("due by")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["owner_worker", "status", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(owner="worker") & models.Q(owner_worker__isnull=False))
                | (models.Q(owner="agency") & ~models.Q(owner_agency=""))
                | models.Q(owner="person"),
                name="action_has_its_owner",
                violation_error_message="Say who owns the action.",
            )
        ]

    def __str__(self) -> str:
        return self.what

    @property
    def audit_person_id(self) -> int | None:
        return person_id_through(self, "goal", "plan")

    organisation_through = "goal__plan"

    @property
    def owner_name(self) -> str:
        if self.owner == self.Owner.WORKER and self.owner_worker:
            return self.owner_worker.full_name
        if self.owner == self.Owner.AGENCY:
            return self.owner_agency
        return "The person"


class PlanVersion(OrganisationThrough, models.Model):
    """The plan as it stood when it was agreed: a frozen document, so kept whole."""

    plan = models.ForeignKey(SupportPlan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    frozen_at = models.DateTimeField()
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=100)
    snapshot = models.JSONField()
    # Set when a review kept this version, so the timeline shows the review once.
    review = models.OneToOneField(
        "Review", on_delete=models.PROTECT, null=True, blank=True, related_name="version"
    )

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_once")]

    def __str__(self) -> str:
        return f"Version {self.number} of plan {self.plan_id}"

    @property
    def audit_person_id(self) -> int | None:
        return person_id_through(self, "plan")

    organisation_through = "plan"


class Review(OrganisationThrough, models.Model):
    """A review meeting: progress on each goal, goals closed (achieved or not, and why),
    and the next review date. Each review keeps a version of the plan."""

    plan = models.ForeignKey(SupportPlan, on_delete=models.PROTECT, related_name="reviews")
    held_on = models.DateField("date of the review")
    summary = models.TextField(blank=True)
    next_review_on = models.DateField("next review by")
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"Review of plan {self.plan_id} on {self.held_on:%d/%m/%Y}"

    @property
    def audit_person_id(self) -> int | None:
        return person_id_through(self, "plan")

    organisation_through = "plan"


class GoalProgress(OrganisationThrough, models.Model):
    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="progress")
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="progress")
    progress = models.TextField()
    outcome = models.CharField(max_length=20, choices=Goal.Status.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "goal"], name="goal_progress_once")
        ]

    def __str__(self) -> str:
        return f"Progress on goal {self.goal_id}"

    @property
    def audit_person_id(self) -> int | None:
        return person_id_through(self, "review", "plan")

    organisation_through = "review__plan"


class Assessment(models.Model):
    """Needs and strengths in each area of life, as the person and their worker see them
    on one day. A later assessment is added beside the earlier ones, never written over
    them, so the record shows how the picture changed."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="assessments")
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="assessments")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="+")
    assessed_on = models.DateField("date of the assessment")
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        indexes = [models.Index(fields=["episode", "-assessed_on"])]

    def __str__(self) -> str:
        return f"Needs and strengths of {self.person} on {self.assessed_on:%d/%m/%Y}"


class AssessmentArea(OrganisationThrough, models.Model):
    class Need(models.TextChoices):
        NONE = "none", "No support needed"
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="areas")
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="+")
    person_view = models.TextField("in their words", blank=True)
    worker_view = models.TextField("the worker's view", blank=True)
    strengths = models.TextField(blank=True)
    need = models.CharField("level of need", max_length=10, choices=Need.choices)

    class Meta:
        ordering = ["domain__position", "domain_id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "domain"], name="assessment_area_once")
        ]

    def __str__(self) -> str:
        return f"{self.domain}: {self.get_need_display()}"

    @property
    def audit_person_id(self) -> int | None:
        return person_id_through(self, "assessment")

    organisation_through = "assessment"
