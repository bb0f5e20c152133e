from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "keywork.feedback"
    verbose_name = "Complaints and compliments"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from keywork.feedback import models

        auditlog.register(models.Complaint, exclude_fields=["version"])
        for model in (models.Stage, models.Point, models.Remedy):
            auditlog.register(model)
