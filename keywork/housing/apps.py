from django.apps import AppConfig


class HousingConfig(AppConfig):
    name = "keywork.housing"
    verbose_name = "Accommodation and move-on"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from keywork.housing import models

        for model in (
            models.Property,
            models.Unit,
            models.Tenancy,
            models.MoveOnPlan,
            models.HousingApplication,
            models.SustainmentCheck,
        ):
            auditlog.register(model)

        from keywork.housing.caseload import UNIT_COLUMN
        from keywork.housing.selectors import destination_from_move_on
        from keywork.housing.services import end_stays_with_episode
        from keywork.people.selectors import CASELOAD_COLUMNS, DESTINATION_HINTS
        from keywork.people.services import MOVED_BY_MERGE, ON_EPISODE_CLOSE

        if UNIT_COLUMN not in CASELOAD_COLUMNS:
            CASELOAD_COLUMNS.insert(len(CASELOAD_COLUMNS) - 1, UNIT_COLUMN)
        if destination_from_move_on not in DESTINATION_HINTS:
            DESTINATION_HINTS.append(destination_from_move_on)
        if end_stays_with_episode not in ON_EPISODE_CLOSE:
            ON_EPISODE_CLOSE.append(end_stays_with_episode)
        for entry in (
            (models.Tenancy, ()),
            (models.MoveOnPlan, ()),
            (models.SustainmentCheck, ()),
        ):
            if entry not in MOVED_BY_MERGE:
                MOVED_BY_MERGE.append(entry)
