"""Supervision of staff, and their development against a competency framework.

A supervision record is about a member of staff, not about a person supported: it is
read only by the supervisee, whoever supervises them and their team's managers. Its
case discussions write a file note on each person discussed, which follows that
person's own access rules."""

from django.conf import settings
from django.db import models

from keywork.accounts.models import Role
from keywork.organisations.models import Organisation

USER = settings.AUTH_USER_MODEL
TEAM_ROLES = [
    (value, label)
    for value, label in Role.choices
    if value not in ("administrator", "commissioner")
]


class Arrangement(models.Model):
    """Who supervises a member of staff (usually their line manager), and who stands in."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    supervisee = models.OneToOneField(
        USER, on_delete=models.PROTECT, related_name="supervision_arrangement"
    )
    supervisor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="supervisees")
    stand_in = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="stand_in_for"
    )
    # Supervision is more often until the end of probation.
    probation_ends_on = models.DateField("probation ends on", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(supervisor=models.F("supervisee")),
                name="supervisor_is_not_the_supervisee",
            ),
        ]

    def __str__(self) -> str:
        return f"Supervision arrangement {self.pk}"


class Frequency(models.Model):
    """How often each role is supervised in an organisation, in weeks."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=30, choices=TEAM_ROLES)
    every_weeks = models.PositiveSmallIntegerField("every (weeks)")
    probation_every_weeks = models.PositiveSmallIntegerField("every, in probation (weeks)")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "role"], name="one_frequency_per_role"),
            models.CheckConstraint(
                condition=models.Q(every_weeks__gte=1, every_weeks__lte=52)
                & models.Q(probation_every_weeks__gte=1, probation_every_weeks__lte=52),
                name="frequency_between_1_and_52_weeks",
            ),
        ]

    def __str__(self) -> str:
        return f"Supervision frequency {self.pk}"


class Supervision(models.Model):
    """One supervision: scheduled, then held and written up by the supervisor, then
    agreed by the supervisee, after which it is locked and only amended."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    supervisee = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="supervisions")
    supervisor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="supervisions_held")
    scheduled_for = models.DateField("date planned")
    held_on = models.DateField("date held", null=True, blank=True)
    present = models.CharField("who was there", max_length=300, blank=True)
    wellbeing = models.TextField("wellbeing", blank=True)
    workload = models.TextField("workload", blank=True)
    learning = models.TextField("learning and development", blank=True)
    next_on = models.DateField("next supervision", null=True, blank=True)
    supervisee_comment = models.TextField("supervisee's comment", blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-scheduled_for", "-pk"]
        indexes = [models.Index(fields=["supervisee", "-scheduled_for"])]

    def __str__(self) -> str:
        # No content: the audit's label for it names nothing discussed.
        return f"Supervision {self.pk}"

    @property
    def is_locked(self) -> bool:
        return self.agreed_at is not None


class CaseDiscussion(models.Model):
    """A person discussed in a supervision: the decision is also a file note on them."""

    supervision = models.ForeignKey(
        Supervision, on_delete=models.PROTECT, related_name="discussions"
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    decision = models.TextField()
    file_note = models.ForeignKey("notes.FileNote", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Case discussion {self.pk}"

    @property
    def audit_person_id(self) -> int:
        return self.person_id


class AgreedAction(models.Model):
    """An action agreed in a supervision; open ones are carried over to the next."""

    supervision = models.ForeignKey(Supervision, on_delete=models.PROTECT, related_name="actions")
    text = models.CharField("action", max_length=300)
    owner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField("due by")
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"Supervision action {self.pk}"


class ActionProgress(models.Model):
    """What became of an earlier action, as a later supervision found it."""

    action = models.ForeignKey(AgreedAction, on_delete=models.PROTECT, related_name="progress")
    supervision = models.ForeignKey(Supervision, on_delete=models.PROTECT, related_name="progress")
    progress = models.TextField()
    done = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Action progress {self.pk}"


class Amendment(models.Model):
    """A correction to an agreed record: the original text stays beside it."""

    supervision = models.ForeignKey(
        Supervision, on_delete=models.PROTECT, related_name="amendments"
    )
    field = models.CharField(
        max_length=30,
        choices=[
            ("present", "Who was there"),
            ("wellbeing", "Wellbeing"),
            ("workload", "Workload"),
            ("learning", "Learning and development"),
        ],
    )
    before = models.TextField(blank=True)
    after = models.TextField()
    reason = models.CharField(max_length=300)
    made_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField()

    class Meta:
        ordering = ["made_at", "pk"]

    def __str__(self) -> str:
        return f"Supervision amendment {self.pk}"


# --- Competency frameworks and assessments ----------------------------------------------


class CompetencyFramework(models.Model):
    """Keywork's own (no organisation) or one an organisation entered."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="competency_framework_name_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Level(models.Model):
    """A level of a framework (1 entry, 2 desired, 3 exceptional): numbered from 1, no gaps."""

    framework = models.ForeignKey(
        CompetencyFramework, on_delete=models.CASCADE, related_name="levels"
    )
    number = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=60)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "number"], name="competency_level_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.label}"


class Competency(models.Model):
    framework = models.ForeignKey(
        CompetencyFramework, on_delete=models.CASCADE, related_name="competencies"
    )
    name = models.CharField(max_length=150)
    description = models.TextField()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name_plural = "competencies"
        constraints = [
            models.UniqueConstraint(fields=["framework", "name"], name="competency_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class LevelDescriptor(models.Model):
    """What a competency looks like at one level."""

    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="descriptors")
    level = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["level"]
        constraints = [
            models.UniqueConstraint(fields=["competency", "level"], name="descriptor_level_unique"),
        ]

    def __str__(self) -> str:
        return f"Descriptor {self.pk}"


class RequiredLevel(models.Model):
    """The level a role needs in a competency."""

    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="required")
    role = models.CharField(max_length=30, choices=TEAM_ROLES)
    level = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["competency", "role"], name="required_level_per_role"),
        ]

    def __str__(self) -> str:
        return f"Required level {self.pk}"


class Assessment(models.Model):
    """A member of staff's self-assessment and their supervisor's, competency by competency."""

    class Occasion(models.TextChoices):
        PROBATION = "probation", "End of probation"
        APPRAISAL = "appraisal", "Yearly appraisal"
        ANY_TIME = "any_time", "Any time"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    framework = models.ForeignKey(CompetencyFramework, on_delete=models.PROTECT, related_name="+")
    staff_member = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="competency_assessments"
    )
    occasion = models.CharField(max_length=20, choices=Occasion.choices)
    assessed_on = models.DateField("date of the assessment")
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-assessed_on", "-pk"]

    def __str__(self) -> str:
        return f"Competency assessment {self.pk}"


class Score(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    self_level = models.PositiveSmallIntegerField(null=True, blank=True)
    self_evidence = models.TextField(blank=True)
    supervisor_level = models.PositiveSmallIntegerField(null=True, blank=True)
    supervisor_evidence = models.TextField(blank=True)
    agreed_level = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["competency__position", "competency_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "competency"], name="one_score_per_competency"
            ),
        ]

    def __str__(self) -> str:
        return f"Competency score {self.pk}"


class DevelopmentGoal(models.Model):
    """A goal of a member of staff's development plan, which supervision reviews."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    staff_member = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="development_goals"
    )
    competency = models.ForeignKey(
        Competency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    goal = models.CharField(max_length=300)
    actions = models.TextField("actions", blank=True)
    training = models.CharField("training to do", max_length=300, blank=True)
    due_on = models.DateField("due by")
    done_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"Development goal {self.pk}"


class GoalReview(models.Model):
    goal = models.ForeignKey(DevelopmentGoal, on_delete=models.PROTECT, related_name="reviews")
    supervision = models.ForeignKey(
        Supervision, on_delete=models.PROTECT, related_name="goal_reviews"
    )
    note = models.TextField()
    done = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Development goal review {self.pk}"
