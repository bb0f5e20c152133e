from django.db.models import Prefetch, QuerySet

from keywork import access
from keywork.accounts.models import User
from keywork.people.models import Episode
from keywork.planning.models import Action, Goal, SupportPlan


def plans_visible_to(user: User) -> QuerySet[SupportPlan]:
    return access.scoped_to_organisation(user, SupportPlan.objects.all()).filter(
        person__in=access.people_visible_to(user)
    )


def episode_for_plan_or_404(*, fetched_by: User, episode_id: int) -> Episode:
    episodes = Episode.objects.filter(person__in=access.people_visible_to(fetched_by))
    return access.get_visible_or_404(
        episodes.select_related("person", "service", "key_worker"), pk=episode_id
    )


def plan_page(*, fetched_by: User, plan_id: int) -> SupportPlan:
    plans = (
        plans_visible_to(fetched_by)
        .select_related("person", "episode__service", "episode__key_worker", "framework")
        .prefetch_related(
            Prefetch(
                "goals",
                queryset=Goal.objects.select_related("domain").prefetch_related(
                    Prefetch("actions", queryset=Action.objects.select_related("owner_worker"))
                ),
            ),
            "versions",
        )
    )
    return access.get_visible_or_404(plans, pk=plan_id)


def goal_or_404(*, fetched_by: User, goal_id: int) -> Goal:
    goals = Goal.objects.filter(plan__in=plans_visible_to(fetched_by)).select_related(
        "plan__episode__service", "plan__person", "domain"
    )
    return access.get_visible_or_404(goals, pk=goal_id)


def action_or_404(*, fetched_by: User, action_id: int) -> Action:
    actions = Action.objects.filter(goal__plan__in=plans_visible_to(fetched_by)).select_related(
        "goal__plan__episode__service"
    )
    return access.get_visible_or_404(actions, pk=action_id)


def actions_owned_by(*, user: User) -> list[Action]:
    """Open plan actions the worker owns, for their task list."""
    return list(
        Action.objects.filter(
            owner_worker=user,
            status__in=Action.OPEN_STATUSES,
            goal__plan__organisation_id=user.organisation_id,
        )
        .select_related("goal__plan__person")
        .order_by("due_on", "pk")
    )
