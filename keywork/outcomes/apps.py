from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "keywork.outcomes"
    verbose_name = "Outcome frameworks"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from keywork.outcomes import models

        for model in (models.Framework, models.Domain, models.Stage, models.Rating):
            auditlog.register(model)
