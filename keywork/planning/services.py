"""Writes for support plans: goals in the person's words, agreed actions, the review date
and the person's agreement, which freezes a version of the plan."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from keywork import access
from keywork.accounts.models import User
from keywork.core.auditing import set_actor
from keywork.core.errors import NotFoundOrNotAllowed
from keywork.core.saving import ChangedSinceOpened, check_version, save_checked, save_first
from keywork.outcomes.models import Domain, Framework
from keywork.outcomes.selectors import framework_for_new_plans
from keywork.people.models import Episode
from keywork.planning.models import (
    Action,
    Assessment,
    AssessmentArea,
    Goal,
    GoalProgress,
    PlanVersion,
    Review,
    SupportPlan,
)

ACTION_CHANGED = (
    "Someone else changed this plan after you opened it, so “{what}” was not changed: "
    "check the plan as it is now, then save the action's status again."
)


def default_framework_for(organisation_id: int) -> Framework:
    """The framework the organisation's administrators chose for new plans (if it is not
    archived), else Keywork's open one."""
    return framework_for_new_plans(organisation_id=organisation_id)


@transaction.atomic
def plan_start(*, actor: User, episode: Episode) -> SupportPlan:
    access.check_or_404(actor, "planning.edit", episode)
    if episode.end_date is not None:
        raise ValidationError("Support has ended: start a plan in an open episode.")
    if SupportPlan.objects.filter(episode=episode).exists():
        raise ValidationError("This episode already has a support plan.")
    weeks = episode.service.plan_review_weeks
    # Two people pressing "Start" at once: one plan, and the other is shown it.
    return save_first(
        actor,
        SupportPlan(
            organisation_id=episode.organisation_id,
            person=episode.person,
            episode=episode,
            framework=default_framework_for(episode.organisation_id),
            next_review_on=timezone.localdate() + timedelta(weeks=weeks),
            created_by=actor,
        ),
        what="support plan",
        theirs=lambda: SupportPlan.objects.filter(episode=episode).first(),
        message="Someone else started this support plan a moment ago: it is below.",
    )


@transaction.atomic
def plan_update(
    *, actor: User, plan: SupportPlan, version: int, next_review_on: date, person_comments: str
) -> SupportPlan:
    """Saves only over the version the user opened; otherwise nothing is saved and the
    user is shown the plan as it now is, with their own text kept in the form."""
    access.check_or_404(actor, "planning.edit", plan.episode)
    plan = SupportPlan.objects.select_for_update().get(pk=plan.pk)
    check_version(plan, version, what="plan")
    if next_review_on < timezone.localdate():
        raise ValidationError({"next_review_on": "The review date must be today or later."})
    plan.next_review_on = next_review_on
    plan.person_comments = person_comments.strip()
    plan.version += 1
    return save_checked(actor, plan)


def _bump(plan: SupportPlan) -> None:
    # Goals and actions are part of the plan: changing them moves its version on, so an
    # edit made from an older view of the plan is caught.
    SupportPlan.objects.filter(pk=plan.pk).update(version=plan.version + 1)
    plan.version += 1


@transaction.atomic
def goal_add(*, actor: User, plan: SupportPlan, domain: Domain, in_own_words: str) -> Goal:
    access.check_or_404(actor, "planning.edit", plan.episode)
    if domain.framework_id != plan.framework_id:
        raise ValidationError({"domain": "Choose one of the plan's areas of life."})
    goal = save_checked(actor, Goal(plan=plan, domain=domain, in_own_words=in_own_words.strip()))
    _bump(plan)
    return goal


@transaction.atomic
def action_add(
    *,
    actor: User,
    goal: Goal,
    what: str,
    owner: str,
    due_on: date,
    owner_worker: User | None = None,
    owner_agency: str = "",
) -> Action:
    access.check_or_404(actor, "planning.edit", goal.plan.episode)
    errors = {}
    if owner == Action.Owner.WORKER and owner_worker is None:
        errors["owner_worker"] = "Choose the worker who will do it."
    if owner == Action.Owner.AGENCY and not owner_agency.strip():
        errors["owner_agency"] = "Name the agency that will do it."
    if owner_worker is not None and owner_worker.organisation_id != actor.organisation_id:
        errors["owner_worker"] = "Choose a worker from your organisation."
    elif owner_worker is not None and not access.may_see_person_id(
        owner_worker, goal.plan.person_id
    ):
        # The action would land on their task list, naming someone they may not see.
        errors["owner_worker"] = (
            f"{owner_worker} cannot see this person's record, so cannot own this action."
        )
    if due_on < timezone.localdate():
        errors["due_on"] = "The due date must be today or later."
    if errors:
        raise ValidationError(errors)
    action = save_checked(
        actor,
        Action(
            goal=goal,
            what=what.strip(),
            owner=owner,
            owner_worker=owner_worker if owner == Action.Owner.WORKER else None,
            owner_agency=owner_agency.strip() if owner == Action.Owner.AGENCY else "",
            due_on=due_on,
        ),
    )
    _bump(goal.plan)
    return action


@transaction.atomic
def action_set_status(*, actor: User, action: Action, status: str, version: int) -> Action:
    """Saves only over the version of the plan the user opened (the plan page or their
    task list): an action someone else changed meanwhile is not changed back."""
    access.check_or_404(actor, "planning.edit", action.goal.plan.episode)
    plan = SupportPlan.objects.select_for_update().get(pk=action.goal.plan_id)
    if plan.version != version:
        raise ChangedSinceOpened("plan", plan, message=ACTION_CHANGED.format(what=action.what))
    if status not in Action.Status.values:
        raise ValidationError({"status": "Choose the action's status."})
    action.status = status
    save_checked(actor, action)
    _bump(plan)
    return action


def _snapshot(plan: SupportPlan) -> dict:
    return {
        "next_review_on": plan.next_review_on.isoformat(),
        "person_comments": plan.person_comments,
        "goals": [
            {
                "domain": goal.domain.name,
                "in_own_words": goal.in_own_words,
                "status": goal.get_status_display(),
                "actions": [
                    {
                        "what": a.what,
                        "owner": a.owner_name,
                        "due_on": a.due_on.isoformat(),
                        "status": a.get_status_display(),
                    }
                    for a in goal.actions.all()
                ],
            }
            for goal in plan.goals.select_related("domain").prefetch_related(
                "actions__owner_worker"
            )
        ],
    }


@transaction.atomic
def plan_agree(
    *, actor: User, plan: SupportPlan, agreed_on: date, agreed_how: str, person_comments: str
) -> PlanVersion:
    """Records the person's agreement and freezes the plan as it stands."""
    access.check_or_404(actor, "planning.edit", plan.episode)
    plan = SupportPlan.objects.select_for_update().get(pk=plan.pk)
    if agreed_on > timezone.localdate():
        raise ValidationError({"agreed_on": "The date of agreement cannot be in the future."})
    if not plan.goals.exists():
        raise ValidationError("Add at least one goal before the plan is agreed.")
    plan.agreed_on = agreed_on
    plan.agreed_how = agreed_how
    plan.person_comments = person_comments.strip()
    plan.version += 1
    save_checked(actor, plan)
    number = plan.versions.count() + 1
    with set_actor(actor):
        return PlanVersion.objects.create(
            plan=plan,
            number=number,
            frozen_at=timezone.now(),
            frozen_by=actor,
            reason=f"Agreed ({plan.get_agreed_how_display().lower()})",
            snapshot=_snapshot(plan),
        )


@transaction.atomic
def plan_review(
    *,
    actor: User,
    plan: SupportPlan,
    held_on: date,
    summary: str,
    next_review_on: date,
    progress: dict[int, tuple[str, str, str]],
) -> Review:
    """Records a review: for each open goal its progress and whether it stays open or
    closes (achieved or not, with a word on why). Sets the next review date and keeps a
    version of the plan."""
    access.check_or_404(actor, "planning.edit", plan.episode)
    plan = SupportPlan.objects.select_for_update().get(pk=plan.pk)
    today = timezone.localdate()
    errors = {}
    if held_on > today:
        errors["held_on"] = "The review cannot be in the future."
    if next_review_on <= today:
        errors["next_review_on"] = "The next review must be after today."
    open_goals = list(plan.goals.filter(status=Goal.Status.OPEN))
    if not open_goals:
        errors["summary"] = "There are no open goals to review: add a goal first."
    for goal in open_goals:
        text, outcome, why = progress.get(goal.pk, ("", "", ""))
        if not text.strip():
            errors[f"progress_{goal.pk}"] = "Say how this goal has gone."
        if outcome not in Goal.Status.values:
            errors[f"outcome_{goal.pk}"] = "Choose whether the goal stays open or closes."
        elif outcome != Goal.Status.OPEN and not why.strip():
            errors[f"why_{goal.pk}"] = "Say in a word why the goal is closing."
    if errors:
        raise ValidationError(errors)
    review = save_checked(
        actor,
        Review(
            plan=plan,
            held_on=held_on,
            summary=summary.strip(),
            next_review_on=next_review_on,
            held_by=actor,
        ),
    )
    with set_actor(actor):
        for goal in open_goals:
            text, outcome, why = progress[goal.pk]
            GoalProgress.objects.create(
                review=review, goal=goal, progress=text.strip(), outcome=outcome
            )
            if outcome != Goal.Status.OPEN:
                goal.status = outcome
                goal.closed_reason = why.strip()[:300]
                goal.save(update_fields=["status", "closed_reason"])
        plan.next_review_on = next_review_on
        plan.version += 1
        plan.save(update_fields=["next_review_on", "version"])
        PlanVersion.objects.create(
            plan=plan,
            number=plan.versions.count() + 1,
            frozen_at=timezone.now(),
            frozen_by=actor,
            reason=f"Reviewed on {held_on:%d/%m/%Y}",
            snapshot=_snapshot(plan),
            review=review,
        )
    return review


@transaction.atomic
def assessment_record(
    *,
    actor: User,
    episode: Episode,
    framework: Framework,
    assessed_on: date,
    areas: dict[int, dict[str, str]],
) -> Assessment:
    """A new assessment of needs and strengths. Each area given has the person's view,
    the worker's view, strengths and a level of need; areas left wholly empty are left
    out. Nothing is saved unless every area given is complete."""
    access.check_or_404(actor, "planning.edit", episode)
    # Keywork's own framework, or one of the episode's organisation's.
    if framework.organisation_id not in (None, episode.organisation_id):
        raise NotFoundOrNotAllowed
    errors = {}
    if assessed_on > timezone.localdate():
        errors["assessed_on"] = "The assessment cannot be dated in the future."
    elif assessed_on < episode.start_date:
        errors["assessed_on"] = (
            f"The assessment cannot be before support started on {episode.start_date:%d/%m/%Y}."
        )
    if episode.end_date is not None:
        errors["__all__"] = "Support has ended: assess needs in an open episode."
    domains = {d.pk: d for d in framework.domains.all()}
    given = {}
    for domain_id, area in areas.items():
        if domain_id not in domains:
            errors["__all__"] = "Assess only the plan's areas of life."
            continue
        texts = {
            k: (area.get(k) or "").strip() for k in ("person_view", "worker_view", "strengths")
        }
        need = area.get("need") or ""
        if not any(texts.values()) and not need:
            continue
        if need not in AssessmentArea.Need.values:
            errors[f"need_{domain_id}"] = f"Choose the level of need for {domains[domain_id]}."
        given[domain_id] = {**texts, "need": need}
    if not given and "__all__" not in errors:
        errors["__all__"] = "Fill in at least one area of life."
    if errors:
        raise ValidationError(errors)
    assessment = save_checked(
        actor,
        Assessment(
            organisation_id=episode.organisation_id,
            person=episode.person,
            episode=episode,
            framework=framework,
            assessed_on=assessed_on,
            assessed_by=actor,
        ),
    )
    for domain_id, area in given.items():
        save_checked(
            actor, AssessmentArea(assessment=assessment, domain=domains[domain_id], **area)
        )
    return assessment
