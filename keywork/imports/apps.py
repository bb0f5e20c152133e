from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "keywork.imports"
    verbose_name = "Imports"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from keywork.imports import models

        auditlog.register(models.ImportJob, include_fields=["status", "original_name"])
