"""Training: an organisation's catalogue of courses (which roles must do each, and how
often it must be renewed), what each member of staff has done and when it expires, and
the courses booked for them."""

from django.conf import settings
from django.db import models

from keywork.accounts.models import Role
from keywork.core.ownership import OrganisationThrough
from keywork.organisations.models import Organisation

STAFF_ROLES = [
    (role.value, role.label) for role in Role if role not in ("administrator", "commissioner")
]


class Course(models.Model):
    """A course in the organisation's catalogue, such as "Safeguarding adults"."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    # Months until it must be done again (12 for safeguarding and first aid, 36 for most
    # others); empty when it never needs renewing.
    renewal_months = models.PositiveSmallIntegerField("renew every (months)", null=True, blank=True)
    provider = models.CharField("usual provider", max_length=120, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                "organisation", models.functions.Lower("name"), name="course_name_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(renewal_months__isnull=True)
                | models.Q(renewal_months__gte=1, renewal_months__lte=120),
                name="course_renewal_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CourseRequirement(OrganisationThrough, models.Model):
    """A role whose staff must have done the course."""

    organisation_through = "course"

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="requirements")
    role = models.CharField(max_length=30, choices=STAFF_ROLES)

    class Meta:
        ordering = ["role"]
        constraints = [
            models.UniqueConstraint(fields=["course", "role"], name="course_requirement_unique")
        ]

    def __str__(self) -> str:
        return f"{self.course} for {self.get_role_display()}"


class TrainingRecord(models.Model):
    """A course a member of staff completed, with its certificate where there is one."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_records"
    )
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="records")
    completed_on = models.DateField("completed on")
    # No longer valid from this day; empty for a course that never needs renewing.
    expires_on = models.DateField("expires on", null=True, blank=True)
    provider = models.CharField(max_length=120, blank=True)
    hours = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    certificate_name = models.CharField(max_length=200, blank=True)
    certificate_stored_name = models.CharField(max_length=64, blank=True)
    certificate_type = models.CharField(max_length=100, blank=True)
    certificate_size = models.PositiveIntegerField(null=True, blank=True)
    certificate_sha256 = models.CharField(max_length=64, blank=True)
    # When the worker and their managers were told it was about to expire, and that it had.
    expiring_reminded_on = models.DateField(null=True, blank=True)
    expired_reminded_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-completed_on", "-pk"]
        indexes = [models.Index(fields=["staff", "course", "completed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True)
                | models.Q(expires_on__gt=models.F("completed_on")),
                name="training_expires_after_completion",
            ),
            models.CheckConstraint(
                condition=models.Q(hours__isnull=True) | models.Q(hours__gte=0),
                name="training_hours_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course} ({self.completed_on:%d/%m/%Y})"


class Booking(models.Model):
    """Planned training: a course booked for a member of staff on a date."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_bookings"
    )
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="bookings")
    booked_for = models.DateField("booked for")
    provider = models.CharField(max_length=120, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    booked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["booked_for", "pk"]

    def __str__(self) -> str:
        return f"{self.course} on {self.booked_for:%d/%m/%Y}"
