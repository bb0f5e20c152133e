from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "keywork.organisations"
    verbose_name = "Organisations"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from keywork.organisations import models

        for model in (models.Organisation, models.Area, models.Service, models.Team):
            auditlog.register(model, m2m_fields={"services"} if model is models.Team else None)
