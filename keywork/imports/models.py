from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from keywork.organisations.models import Organisation, Service


class ImportJob(models.Model):
    """One spreadsheet of people (and their episodes) being brought into Keywork: it is
    uploaded, its columns are matched to Keywork's fields, every row is checked, and
    then every row is saved, or none."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", "Uploaded: match the columns"
        CHECKING = "checking", "Checking the rows"
        CHECKED = "checked", "Checked"
        IMPORTING = "importing", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Not imported"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    original_name = models.CharField(max_length=200)
    stored_name = models.CharField(max_length=100, unique=True)
    file_format = models.CharField(max_length=4, choices=[("csv", "CSV"), ("xlsx", "Excel")])
    # The file's own header row and the column chosen for each Keywork field: both are
    # shaped by whatever spreadsheet was uploaded, so they are kept as JSON.
    headers = models.JSONField(default=list)
    mapping = models.JSONField(default=dict)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UPLOADED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    error_rows = models.PositiveIntegerField(default=0)
    warning_rows = models.PositiveIntegerField(default=0)
    people_created = models.PositiveIntegerField(default=0)
    episodes_created = models.PositiveIntegerField(default=0)
    failure = models.CharField(max_length=500, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # What the rows write to, as the last check read them: the services of their
    # episodes. Until a check has read the file, or when a row has no service Keywork
    # knows (a person with no episode, a service misspelt), the import reaches beyond any
    # set of services, and only its creator and those who see the whole organisation's
    # imports may see it (imports.selectors).
    services = models.ManyToManyField(Service, blank=True, related_name="+")
    beyond_services = models.BooleanField(default=True)
    # A running check or import says it is alive as it goes. One that has not said so
    # for a while lost its worker (a restart, a kill): it is shown as stopped and may be
    # started again. Each start is a new attempt; a worker saves its work only while its
    # attempt is still the job's, so an old worker that wakes up saves nothing.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempt = models.PositiveIntegerField(default=0)

    # Longer than the quietest stretch of a live worker: the saving of the last rows.
    LEASE = timedelta(minutes=2)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Import of {self.original_name}"

    @property
    def percent_done(self) -> int:
        """How far the rows are read; never 100 while running, since the rows are saved
        after the last is read."""
        if not self.total_rows:
            return 0
        return min(99, round(100 * self.processed_rows / self.total_rows))

    @property
    def running(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.IMPORTING) and not self.stalled

    @property
    def stalled(self) -> bool:
        """Running, by its status, but its worker has not been heard from for too long."""
        if self.status not in (self.Status.CHECKING, self.Status.IMPORTING):
            return False
        last_heard = self.heartbeat_at or self.checked_at or self.created_at
        return last_heard < timezone.now() - self.LEASE


class ImportProblem(models.Model):
    """An error that stops the import, or a warning (a likely duplicate) to look at."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="problems")
    row_number = models.PositiveIntegerField()
    column = models.CharField(max_length=200, blank=True)
    message = models.CharField(max_length=500)
    is_warning = models.BooleanField(default=False)

    class Meta:
        ordering = ["row_number", "pk"]
        indexes = [models.Index(fields=["job", "is_warning", "row_number"])]

    def __str__(self) -> str:
        return f"Row {self.row_number}: {self.message}"
