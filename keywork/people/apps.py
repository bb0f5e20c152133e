from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "keywork.people"
    verbose_name = "People, referrals and episodes"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from keywork.people import models

        auditlog.register(models.Person, exclude_fields=["search_names", "version"])
        for model in (
            models.PersonIdentifier,
            models.SupportNeed,
            models.Agency,
            models.Professional,
            models.EmergencyContact,
            models.Consent,
            models.Alert,
            models.PossibleDuplicate,
            models.Referral,
            models.BreakGlassAccess,
            models.ServiceCover,
            models.EpisodeWorker,
        ):
            auditlog.register(model)
        auditlog.register(models.Episode, exclude_fields=["version"])
