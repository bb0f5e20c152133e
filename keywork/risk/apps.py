from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "keywork.risk"
    verbose_name = "Risk and safety"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from keywork.risk import models

        for model in (
            models.RiskAssessment,
            models.RiskArea,
            models.Incident,
            models.IncidentPerson,
            models.IncidentAction,
            models.SafeguardingReferral,
        ):
            auditlog.register(model)
        auditlog.register(models.RiskVersion, exclude_fields=["snapshot"])
        auditlog.register(models.Incident.staff_involved.through)

        from keywork.people.selectors import CASELOAD_COLUMNS
        from keywork.risk.caseload import RISK_REVIEW_COLUMN

        if RISK_REVIEW_COLUMN not in CASELOAD_COLUMNS:
            CASELOAD_COLUMNS.insert(len(CASELOAD_COLUMNS) - 1, RISK_REVIEW_COLUMN)

        from keywork.people.services import MOVED_BY_MERGE

        for entry in (
            (models.RiskAssessment, ()),
            (models.IncidentPerson, ("incident",)),
            (models.SafeguardingReferral, ()),
        ):
            if entry not in MOVED_BY_MERGE:
                MOVED_BY_MERGE.append(entry)
