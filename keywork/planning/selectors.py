from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet

from keywork import access
from keywork.accounts.models import User
from keywork.audit.reads import record_shown
from keywork.notes.models import FileNote
from keywork.notes.selectors import notes_visible_to
from keywork.people.models import Episode, Person
from keywork.planning.models import (
    Action,
    Assessment,
    AssessmentArea,
    Goal,
    PlanVersion,
    SupportPlan,
)

# How many of a goal's file notes the plan page names; the rest are a page away.
GOAL_NOTES_SHOWN = 3
GOAL_NOTES_PAGE_SIZE = 25


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
                    Prefetch("actions", queryset=Action.objects.select_related("owner_worker")),
                    # Only the notes this reader may open: a restricted note stays unseen.
                    Prefetch(
                        "file_notes",
                        queryset=notes_visible_to(fetched_by)
                        .only("pk", "subject", "contact_at")
                        .order_by("-contact_at"),
                    ),
                ),
            ),
            # The list of versions, not what each kept: a snapshot is the whole plan.
            Prefetch("versions", queryset=PlanVersion.objects.defer("snapshot")),
            "episode__assessments",
        )
    )
    return access.get_visible_or_404(plans, pk=plan_id)


def goal_or_404(*, fetched_by: User, goal_id: int) -> Goal:
    goals = Goal.objects.filter(plan__in=plans_visible_to(fetched_by)).select_related(
        "plan__episode__service", "plan__person", "domain"
    )
    return access.get_visible_or_404(goals, pk=goal_id)


def goal_notes_page(*, fetched_by: User, goal: Goal, page_number: Any) -> Page:
    """One page of the file notes that worked on the goal, newest first: only those the
    reader may open, as on the plan page; those shown are a read of the person's record."""
    notes = (
        notes_visible_to(fetched_by, about=goal.plan.person)
        .filter(goals=goal)
        .select_related("author")
        .order_by("-contact_at", "-pk")
    )
    page = Paginator(notes, GOAL_NOTES_PAGE_SIZE).get_page(page_number)
    record_shown(actor=fetched_by, model=FileNote, objects=page.object_list, about=goal.plan.person)
    return page


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
        # The episode and its service: whether the worker may tick it off from the list.
        .select_related("goal__plan__person", "goal__plan__episode__service")
        .order_by("due_on", "pk")
    )


def compare_versions(older: dict, newer: dict) -> list[str]:
    """What changed between two kept versions of a plan, in plain words."""
    changes = []

    def goals(snapshot: dict) -> dict[tuple[str, str], Any]:
        return {(g["domain"], g["in_own_words"]): g for g in snapshot.get("goals", [])}

    before, after = goals(older), goals(newer)
    for key in after.keys() - before.keys():
        changes.append(f"Goal added ({key[0]}): “{key[1]}”")
    for key in before.keys() - after.keys():
        changes.append(f"Goal removed ({key[0]}): “{key[1]}”")
    for key in sorted(before.keys() & after.keys()):
        old, new = before[key], after[key]
        if old["status"] != new["status"]:
            changes.append(f"“{key[1]}”: {old['status'].lower()} → {new['status'].lower()}")
        old_actions = {a["what"]: a for a in old["actions"]}
        new_actions = {a["what"]: a for a in new["actions"]}
        for what in new_actions.keys() - old_actions.keys():
            changes.append(f"Action added to “{key[1]}”: {what}")
        for what in old_actions.keys() - new_actions.keys():
            changes.append(f"Action removed from “{key[1]}”: {what}")
        for what in sorted(old_actions.keys() & new_actions.keys()):
            if old_actions[what]["status"] != new_actions[what]["status"]:
                changes.append(
                    f"{what}: {old_actions[what]['status'].lower()} → "
                    f"{new_actions[what]['status'].lower()}"
                )
    if older.get("next_review_on") != newer.get("next_review_on"):
        changes.append(
            f"Next review moved from {older.get('next_review_on')} to {newer.get('next_review_on')}"
        )
    return changes


def _with_areas(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    return assessments.select_related(
        "person", "episode__service", "framework", "assessed_by"
    ).prefetch_related(Prefetch("areas", queryset=AssessmentArea.objects.select_related("domain")))


def assessment_or_404(*, fetched_by: User, assessment_id: int) -> Assessment:
    assessments = access.scoped_to_organisation(fetched_by, Assessment.objects.all()).filter(
        person__in=access.people_visible_to(fetched_by)
    )
    return access.get_visible_or_404(_with_areas(assessments), pk=assessment_id)


def assessments_of(*, episode: Episode) -> list[Assessment]:
    """The episode's assessments, newest first, each with its areas."""
    return list(_with_areas(Assessment.objects.filter(episode=episode)))


def open_plan_items(*, person: Person) -> tuple[QuerySet[Goal], QuerySet[Action]]:
    """The open goals and actions of the person's plans in open episodes: what a file
    note about them can say it worked on."""
    goals = Goal.objects.filter(
        plan__person=person, plan__episode__end_date=None, status=Goal.Status.OPEN
    ).select_related("domain", "plan")
    actions = Action.objects.filter(goal__in=goals, status__in=Action.OPEN_STATUSES).select_related(
        "goal__plan"
    )
    return goals, actions
