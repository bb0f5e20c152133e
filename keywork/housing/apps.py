from django.apps import AppConfig


class HousingConfig(AppConfig):
    name = "keywork.housing"
    verbose_name = "Accommodation and move-on"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from keywork.housing import models

        for model in (
            models.Property,
            models.Unit,
            models.Tenancy,
            models.MoveOnPlan,
            models.HousingApplication,
            models.SustainmentCheck,
        ):
            auditlog.register(model)
