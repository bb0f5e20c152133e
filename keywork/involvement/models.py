"""Involvement of the people supported in how a service runs: the meetings, panels and
groups they took part in, in what role, what was decided, the actions that followed,
and what was said and done about it ("you said, we did")."""

from django.conf import settings
from django.db import models

from keywork.core.ownership import OrganisationThrough
from keywork.organisations.models import Organisation, Service
from keywork.people.models import PartOfPersonRecord


class InvolvementSession(models.Model):
    class Kind(models.TextChoices):
        RESIDENTS_MEETING = "residents_meeting", "Residents' meeting"
        PANEL = "panel", "Residents' panel"
        INTERVIEW_PANEL = "interview_panel", "Interview panel"
        FEEDBACK_GROUP = "feedback_group", "Feedback group"
        CO_PRODUCTION = "co_production", "Co-production of a policy"
        VOLUNTEERING = "volunteering", "Volunteering in the service"
        OTHER = "other", "Other"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(max_length=200)
    held_on = models.DateField("held on")
    decided = models.TextField("what was decided", blank=True)
    notes = models.TextField("notes", blank=True)
    # Raised by each edit: an edit saves only over the version its form was opened on.
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["service", "held_on"])]

    def __str__(self) -> str:
        return self.title


class Participation(PartOfPersonRecord, models.Model):
    class Role(models.TextChoices):
        TOOK_PART = "took_part", "Took part"
        CHAIR = "chair", "Chaired it"
        PANEL_MEMBER = "panel_member", "Panel member"
        REPRESENTATIVE = "representative", "Residents' representative"
        CO_AUTHOR = "co_author", "Co-wrote the policy"
        VOLUNTEER = "volunteer", "Volunteer"

    session = models.ForeignKey(
        InvolvementSession, on_delete=models.PROTECT, related_name="participants"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="involvement"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default="took_part")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Someone added in error is taken off, not deleted: the row and its audit stay, and
    # adding them again puts this row back (so a person is in a session's rows once).
    removed_at = models.DateTimeField("removed at", null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="takes_part_once"),
            models.CheckConstraint(
                condition=models.Q(removed_at__isnull=True, removed_by__isnull=True)
                | models.Q(removed_at__isnull=False, removed_by__isnull=False),
                name="removed_with_who_removed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.session}"


class InvolvementAction(OrganisationThrough, models.Model):
    session = models.ForeignKey(
        InvolvementSession, on_delete=models.PROTECT, related_name="actions"
    )
    what = models.CharField("what will be done", max_length=300)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField("due on")
    done_on = models.DateField("done on", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    organisation_through = "session"

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["owner", "done_on"])]

    def __str__(self) -> str:
        return self.what


class YouSaidWeDid(OrganisationThrough, models.Model):
    session = models.ForeignKey(
        InvolvementSession, on_delete=models.PROTECT, related_name="said_did"
    )
    you_said = models.TextField("you said")
    we_did = models.TextField("we did")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    organisation_through = "session"

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "you said, we did"
        verbose_name_plural = "you said, we did"

    def __str__(self) -> str:
        return f"You said, we did: {self.session}"
