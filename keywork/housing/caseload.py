"""The "Room or flat" column of the caseloads: where the person lives in the service."""

from django.db.models import OuterRef, QuerySet, Subquery

from keywork.housing.models import Tenancy
from keywork.people.models import Episode
from keywork.people.selectors import CaseloadColumn


def _annotate(episodes: QuerySet[Episode]) -> QuerySet[Episode]:
    current = Tenancy.objects.filter(episode=OuterRef("pk"), end_date__isnull=True)
    return episodes.annotate(
        unit_name=Subquery(current.values("unit__name")[:1]),
        unit_property=Subquery(current.values("unit__property__name")[:1]),
    )


def unit_cell(episode: Episode) -> tuple[str, str]:
    if episode.unit_name is None:
        return ("–", "")
    return (f"{episode.unit_property}, {episode.unit_name}", "")


UNIT_COLUMN = CaseloadColumn("Room or flat", _annotate, unit_cell, place=40)
