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

        from keywork.notes.caseload import COLUMN
        from keywork.people.selectors import CASELOAD_COLUMNS

        if COLUMN not in CASELOAD_COLUMNS:
            CASELOAD_COLUMNS.insert(0, COLUMN)

        from keywork.notes.models import Appointment, FileNote, NoteDraft
        from keywork.people.services import MOVED_BY_MERGE

        for entry in ((FileNote, ()), (Appointment, ()), (NoteDraft, ("user",))):
            if entry not in MOVED_BY_MERGE:
                MOVED_BY_MERGE.append(entry)
