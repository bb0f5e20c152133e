from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "keywork.notices"
    verbose_name = "Notices and leaflets"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from keywork.notices import models

        for model in (models.Notice, models.NoticeFor, models.NoticeFile, models.Receipt):
            auditlog.register(model)
