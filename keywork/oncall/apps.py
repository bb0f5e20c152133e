from django.apps import AppConfig


class OncallConfig(AppConfig):
    name = "keywork.oncall"
    verbose_name = "On call"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from keywork.oncall import models

        auditlog.register(models.Rota, m2m_fields={"services"}, exclude_fields=["version"])
        for model in (
            models.Pattern,
            models.Shift,
            models.TimeOff,
            models.ContactNumber,
            models.LogEntry,
            models.LogAmendment,
            models.FollowUp,
            models.HandoverRead,
        ):
            auditlog.register(model)
