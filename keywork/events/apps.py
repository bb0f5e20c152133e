from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "keywork.events"
    verbose_name = "Events and groups"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from keywork.events import models

        auditlog.register(models.Event, m2m_fields={"services", "organisers"})
        auditlog.register(models.Session)
        auditlog.register(models.SignUp)
        auditlog.register(models.EventFeed, exclude_fields=["token_hash"])
