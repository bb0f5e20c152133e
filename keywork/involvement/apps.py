from django.apps import AppConfig


class InvolvementConfig(AppConfig):
    name = "keywork.involvement"
    verbose_name = "Involvement"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from keywork.involvement import models

        for model in (
            models.InvolvementSession,
            models.Participation,
            models.InvolvementAction,
            models.YouSaidWeDid,
        ):
            auditlog.register(model)
