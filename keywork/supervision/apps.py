from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "keywork.supervision"
    verbose_name = "Supervision and staff development"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from keywork.supervision import models

        for model in (
            models.Arrangement,
            models.Frequency,
            models.Supervision,
            models.CaseDiscussion,
            models.AgreedAction,
            models.ActionProgress,
            models.Amendment,
            models.CompetencyFramework,
            models.Level,
            models.Competency,
            models.LevelDescriptor,
            models.RequiredLevel,
            models.Assessment,
            models.Score,
            models.DevelopmentGoal,
            models.GoalReview,
        ):
            auditlog.register(model, exclude_fields=["version"])
