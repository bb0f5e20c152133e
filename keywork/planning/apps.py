from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "keywork.planning"
    verbose_name = "Support planning"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from keywork.planning import models

        for model in (
            models.SupportPlan,
            models.Goal,
            models.Action,
            models.Review,
            models.GoalProgress,
            models.Assessment,
            models.AssessmentArea,
        ):
            auditlog.register(model)
        auditlog.register(models.PlanVersion, exclude_fields=["snapshot"])

        from keywork.people.selectors import CASELOAD_COLUMNS
        from keywork.planning.caseload import ACTIONS_COLUMN, REVIEW_COLUMN

        for column in (REVIEW_COLUMN, ACTIONS_COLUMN):
            if column not in CASELOAD_COLUMNS:
                CASELOAD_COLUMNS.insert(len(CASELOAD_COLUMNS) - 1, column)

        from keywork.people.services import MOVED_BY_MERGE

        for entry in ((models.SupportPlan, ()), (models.Assessment, ())):
            if entry not in MOVED_BY_MERGE:
                MOVED_BY_MERGE.append(entry)
