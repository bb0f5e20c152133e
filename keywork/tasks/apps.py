from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "keywork.tasks"
    verbose_name = "Tasks"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from keywork.tasks import models

        auditlog.register(models.Task)
