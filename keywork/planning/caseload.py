"""The "Plan review due" and "Actions overdue" columns of the caseloads."""

from django.db.models import Count, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from keywork.people.models import Episode
from keywork.people.selectors import CaseloadColumn


def _annotate_review(episodes: QuerySet[Episode]) -> QuerySet[Episode]:
    return episodes.annotate(plan_review_on=F("support_plan__next_review_on"))


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
    from keywork.planning.models import Action

    overdue = (
        Action.objects.filter(
            goal__plan__episode=OuterRef("pk"),
            status__in=Action.OPEN_STATUSES,
            due_on__lt=timezone.localdate(),
        )
        .order_by()
        .values("goal__plan__episode")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return episodes.annotate(overdue_actions=Coalesce(Subquery(overdue), 0))


def actions_cell(episode: Episode) -> tuple[str, str]:
    count = episode.overdue_actions
    return (f"{count} overdue" if count else "None overdue", "red" if count else "")


REVIEW_COLUMN = CaseloadColumn("Plan review due", _annotate_review, review_cell, place=20)
ACTIONS_COLUMN = CaseloadColumn("Actions overdue", _annotate_actions, actions_cell, place=21)
