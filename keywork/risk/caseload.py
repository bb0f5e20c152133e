"""The "Risk review due" column of the caseloads."""

from django.db.models import F, QuerySet
from django.utils import timezone

from keywork.people.models import Episode
from keywork.people.selectors import CaseloadColumn, Level


def _annotate(episodes: QuerySet[Episode]) -> QuerySet[Episode]:
    return episodes.annotate(
        risk_review_on=F("person__risk_assessment__review_on"),
        risk_overall=F("person__risk_assessment__overall"),
    )


# The level of risk has colours of its own, never green: a high risk whose review is not
# yet due is still a high risk.
LEVEL_COLOURS = {"high": "red", "medium": "orange", "low": "grey"}


def risk_cell(episode: Episode) -> list[tuple[str, str]]:
    """Two things, looking like two things: the level of risk (a badge), and when its
    review is due (a tag)."""
    if episode.risk_review_on is None:
        return [
            (
                "Not assessed",
                "red" if (timezone.localdate() - episode.start_date).days > 28 else "yellow",
            )
        ]
    level = Level(
        (f"{episode.risk_overall.capitalize()} risk", LEVEL_COLOURS[episode.risk_overall])
    )
    days = (episode.risk_review_on - timezone.localdate()).days
    if days < 0:
        return [level, (f"Review {-days} day{'s' if days != -1 else ''} overdue", "red")]
    if days <= 14:
        due = "due today" if days == 0 else f"due in {days} day{'s' if days != 1 else ''}"
        return [level, (f"Review {due}", "yellow")]
    return [level, (f"Review by {episode.risk_review_on:%d/%m/%Y}", "green")]


RISK_REVIEW_COLUMN = CaseloadColumn("Risk review due", _annotate, risk_cell, place=30)
