from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "keywork.risk"
    verbose_name = "Risk and safety"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from keywork.risk import models

        for model in (
            models.RiskAssessment,
            models.RiskArea,
            models.Incident,
            models.IncidentPerson,
            models.IncidentAction,
            models.SafeguardingReferral,
        ):
            auditlog.register(model)
        auditlog.register(models.RiskVersion, exclude_fields=["snapshot"])
        auditlog.register(models.Incident.staff_involved.through)
