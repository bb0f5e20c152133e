"""What support plans, assessments and outcome ratings add to the shared places."""

from django.db.models import Count, F, Min, QuerySet, Window
from django.urls import reverse

from keywork import access
from keywork.accounts.models import User
from keywork.core.contributions import Contributions, PersonPanel, ServiceLink
from keywork.core.timeline import Shown, Source, StartOf, TimelineKind, shown_by_id
from keywork.outcomes.models import Rating
from keywork.people.contributions import RecordLink
from keywork.people.models import Person
from keywork.people.services import MergeMove
from keywork.planning.caseload import ACTIONS_COLUMN, REVIEW_COLUMN
from keywork.planning.models import Action, Assessment, PlanVersion, Review, SupportPlan
from keywork.planning.selectors import open_plan_items


def _plan_sources(fetched_by: User, person: Person) -> list[Source]:
    """Versions of the plan kept when it was agreed, and reviews (each of which keeps a
    version, shown once, as the review)."""
    versions = PlanVersion.objects.filter(plan__person=person, review__isnull=True)
    reviews = Review.objects.filter(plan__person=person)

    def show_version(v: PlanVersion) -> Shown:
        return (
            f"Support plan version {v.number}",
            v.reason,
            reverse("planning:plan_version", args=[v.plan_id, v.number]),
        )

    def show_review(r: Review) -> Shown:
        return (
            f"Support plan reviewed ({r.held_on:%d/%m/%Y})",
            f"By {r.held_by.full_name}" + (f": {r.summary[:160]}" if r.summary else ""),
            reverse("planning:plan_version", args=[r.plan_id, r.version.number])
            if hasattr(r, "version")
            else reverse("planning:plan", args=[r.plan_id]),
        )

    return [
        Source(
            "plan",
            versions,
            F("frozen_at"),
            lambda ids: shown_by_id(versions.filter(pk__in=ids).defer("snapshot"), show_version),
        ),
        Source(
            "plan",
            reviews,
            F("created_at"),
            lambda ids: shown_by_id(
                reviews.filter(pk__in=ids)
                .select_related("held_by", "version")
                .defer("version__snapshot"),
                show_review,
            ),
        ),
    ]


def _outcome_sources(fetched_by: User, person: Person) -> list[Source]:
    """Assessments of needs and strengths, and outcome ratings (one event per day's
    ratings in an episode, not one per area)."""
    assessments = Assessment.objects.filter(person=person)
    ratings = Rating.objects.filter(episode__person=person)

    def show_assessment(a: Assessment) -> Shown:
        return (
            "Needs and strengths assessed",
            f"By {a.assessed_by.full_name}",
            reverse("planning:assessment", args=[a.pk]),
        )

    def describe_rating_days(first_ids: list[int]) -> dict[int, Shown]:
        days = {
            d["first"]: d
            for d in ratings.filter(
                rated_on__in=ratings.filter(pk__in=first_ids).values("rated_on")
            )
            .values("episode__support_plan", "rated_on")
            .annotate(areas=Count("pk"), first=Min("pk"))
        }
        return {
            first: (
                "Outcome ratings",
                f"{d['areas']} area{'s' if d['areas'] != 1 else ''} of life rated",
                reverse("planning:outcomes", args=[d["episode__support_plan"]])
                if d["episode__support_plan"]
                else "",
            )
            for first, d in days.items()
            if first in first_ids
        }

    return [
        Source(
            "outcomes",
            assessments,
            StartOf("assessed_on"),
            lambda ids: shown_by_id(
                assessments.filter(pk__in=ids).select_related("assessed_by"), show_assessment
            ),
        ),
        Source(
            "outcomes",
            ratings.values("episode__support_plan", "rated_on"),
            StartOf("rated_on"),
            describe_rating_days,
            id=Min("pk"),
        ),
    ]


NEXT_ACTIONS_SHOWN = 5


def _open_actions(user: User, person: Person) -> dict:
    """What the support plans of the person's open episodes say is to be done next."""
    open_actions = Action.objects.filter(
        goal__plan__person=person,
        goal__plan__episode__end_date=None,
        status__in=Action.OPEN_STATUSES,
    )
    # How many there are in all comes with the rows (a window over the whole list, read
    # before the limit), so the page makes the same one query however many there are.
    actions = list(
        open_actions.select_related("owner_worker", "goal")
        .annotate(total=Window(Count("pk")))
        .order_by("due_on", "pk")[:NEXT_ACTIONS_SHOWN]
    )
    return {"actions": actions, "total": actions[0].total if actions else 0}


def _open_plan_items(person: Person) -> tuple[QuerySet, QuerySet]:
    return open_plan_items(person=person)


CONTRIBUTIONS = Contributions(
    timeline=[
        TimelineKind("plan", "Support plans", _plan_sources, place=60),
        TimelineKind("outcomes", "Assessments and ratings", _outcome_sources, place=70),
    ],
    caseload_columns=[REVIEW_COLUMN, ACTIONS_COLUMN],
    episode_links=[RecordLink("Support plan", "planning:episode_plan", place=10)],
    service_links=[
        ServiceLink(
            "Outcomes",
            "planning:service_outcomes",
            access.Capability.AGGREGATE_REPORTS,
            place=20,
        )
    ],
    merge_moves=[MergeMove(SupportPlan), MergeMove(Assessment)],
    person_panels=[PersonPanel("planning/_person_actions.html", _open_actions, place=30)],
    note_links=[_open_plan_items],
    object_rules={
        # The plan is written by the team of the episode's service and the workers
        # allocated to it.
        "planning.edit": access.does_casework
        & (access.works_in_episode_service | access.allocated_to_episode),
    },
)
