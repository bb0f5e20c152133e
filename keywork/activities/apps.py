from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "keywork.activities"
    verbose_name = "Education, training, work and activity"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from keywork.activities import models
        from keywork.people.services import MOVED_BY_MERGE

        auditlog.register(models.Activity)
        auditlog.register(models.OutcomeEvent)
        if (models.Activity, ()) not in MOVED_BY_MERGE:
            MOVED_BY_MERGE.append((models.Activity, ()))
