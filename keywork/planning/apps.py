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
