from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "keywork.activities"
    verbose_name = "Education, training, work and activity"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from keywork.activities import models

        auditlog.register(models.Activity)
        auditlog.register(models.OutcomeEvent)
