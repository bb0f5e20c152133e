from django.conf import settings
from django.db import models

from keywork.audit.models import person_id_through
from keywork.core.ownership import OrganisationThrough
from keywork.people.models import PartOfPersonRecord, Person


class Activity(PartOfPersonRecord, models.Model):
    """Education, training, volunteering, work or another meaningful activity."""

    class Kind(models.TextChoices):
        COURSE = "course", "Course or training"
        VOLUNTEERING = "volunteering", "Volunteering"
        WORK = "work", "Paid work"
        OTHER = "other", "Other meaningful activity"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="activities")
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    title = models.CharField("what it is", max_length=200)
    provider = models.CharField("provider or employer", max_length=200, blank=True)
    start_date = models.DateField("start date")
    end_date = models.DateField("end date", null=True, blank=True)
    hours_per_week = models.DecimalField(
        "hours a week", max_digits=4, decimal_places=1, null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name_plural = "activities"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="activity_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class OutcomeEvent(OrganisationThrough, models.Model):
    """Something that counts: a start, a completion, a qualification, a job, a job kept."""

    class Kind(models.TextChoices):
        STARTED = "started", "Started"
        COMPLETED = "completed", "Completed"
        QUALIFICATION = "qualification", "Qualification gained"
        JOB_ENTRY = "job_entry", "Started a job"
        SUSTAINED_13 = "sustained_13", "Job kept for 13 weeks"
        SUSTAINED_26 = "sustained_26", "Job kept for 26 weeks"

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    happened_on = models.DateField("date")
    detail = models.CharField(max_length=300, blank=True)
    # A job entry may come from a course: the one it came from.
    came_from = models.ForeignKey(
        Activity, on_delete=models.PROTECT, null=True, blank=True, related_name="led_to"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["happened_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "kind"],
                condition=~models.Q(kind="qualification"),
                name="one_event_of_a_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.happened_on:%d/%m/%Y}"

    @property
    def audit_person_id(self) -> int | None:
        return person_id_through(self, "activity")

    organisation_through = "activity__person"
