from django.apps import AppConfig


class NotesConfig(AppConfig):
    name = "keywork.notes"
    verbose_name = "File notes"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from keywork.notes import models

        auditlog.register(
            models.FileNote,
            exclude_fields=["search_vector", "text", "subject"],
            m2m_fields={"named_staff", "staff_present"},
        )
        auditlog.register(models.FileNoteVersion, exclude_fields=["text"])
        auditlog.register(models.Appointment, m2m_fields={"staff"})
        auditlog.register(models.CalendarFeed, exclude_fields=["token_hash"])
        auditlog.register(models.Attachment)
