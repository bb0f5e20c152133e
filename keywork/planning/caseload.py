"""The "Plan review due" and "Actions overdue" columns of the caseloads."""

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from keywork.people.models import Episode
from keywork.people.selectors import CaseloadColumn


def _annotate_review(episodes: QuerySet[Episode]) -> QuerySet[Episode]:
    return episodes.annotate(plan_review_on=Max("support_plan__next_review_on"))


def review_cell(episode: Episode) -> tuple[str, str]:
    if episode.plan_review_on is None:
        return (
            "No plan yet",
            "red" if (timezone.localdate() - episode.start_date).days > 28 else "yellow",
        )
    days = (episode.plan_review_on - timezone.localdate()).days
    if days < 0:
        return (f"{-days} day{'s' if days != -1 else ''} overdue", "red")
    if days <= 14:
        return (
            "Due today" if days == 0 else f"Due in {days} day{'s' if days != 1 else ''}",
            "yellow",
        )
    return (f"Due {episode.plan_review_on:%d/%m/%Y}", "green")


def _annotate_actions(episodes: QuerySet[Episode]) -> QuerySet[Episode]:
    return episodes.annotate(
        overdue_actions=Count(
            "support_plan__goals__actions",
            filter=Q(
                support_plan__goals__actions__status__in=["not_started", "in_progress"],
                support_plan__goals__actions__due_on__lt=timezone.localdate(),
            ),
            distinct=True,
        )
    )


def actions_cell(episode: Episode) -> tuple[str, str]:
    count = episode.overdue_actions
    return (f"{count} overdue" if count else "None overdue", "red" if count else "")


REVIEW_COLUMN = CaseloadColumn("Plan review due", _annotate_review, review_cell)
ACTIONS_COLUMN = CaseloadColumn("Actions overdue", _annotate_actions, actions_cell)
