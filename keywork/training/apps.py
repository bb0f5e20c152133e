from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "keywork.training"
    verbose_name = "Training"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from keywork.training import models

        auditlog.register(models.Course, exclude_fields=["version"])
        auditlog.register(models.CourseRequirement)
        auditlog.register(
            models.TrainingRecord,
            exclude_fields=["version", "expiring_reminded_on", "expired_reminded_on"],
        )
        auditlog.register(models.Booking)
