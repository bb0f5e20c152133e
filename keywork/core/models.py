from django.conf import settings
from django.db import models


class Notification(models.Model):
    """A message for one member of staff, shown in the app until they have read it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # Named, not imported: core sits below every app.
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    # The person the text is about, if any: it is shown only while its reader may still
    # see them. A plain number, not a key, because core sits below the people app.
    about_person_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at", "-created_at"])]

    def __str__(self) -> str:
        return self.text
