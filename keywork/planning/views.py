from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from keywork import access
from keywork.audit.reads import record_shown
from keywork.core.fields import record_id_in
from keywork.core.pages import apply_to_form
from keywork.core.saving import ChangedSinceOpened
from keywork.people import selectors as people_selectors
from keywork.people.selectors import person_header
from keywork.planning import forms, selectors, services
from keywork.planning.models import Action, PlanVersion

casework = access.capability_required(access.Capability.CASEWORK)


def _context(plan_or_episode) -> dict:
    return person_header(plan_or_episode.person)


@casework
def episode_plan(request, episode_id: int):
    """The episode's plan, or the way to start one."""
    episode = selectors.episode_for_plan_or_404(fetched_by=request.user, episode_id=episode_id)
    plan = getattr(episode, "support_plan", None)
    if request.method == "POST":
        try:
            plan = services.plan_start(actor=request.user, episode=episode)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("planning:episode_plan", episode_id=episode.pk)
    if plan is not None:
        return redirect("planning:plan", plan_id=plan.pk)
    return render(
        request,
        "planning/no_plan.html",
        {
            "episode": episode,
            "can_edit": access.check(request.user, "planning.edit", episode),
            **_context(episode),
        },
    )


@casework
def plan(request, plan_id: int):
    plan = selectors.plan_page(fetched_by=request.user, plan_id=plan_id)
    return render(
        request,
        "planning/plan.html",
        {
            "plan": plan,
            "notes_shown": selectors.GOAL_NOTES_SHOWN,
            "can_edit": access.check(request.user, "planning.edit", plan.episode),
            "today": timezone.localdate(),
            **_context(plan),
        },
    )


@casework
def plan_print(request, plan_id: int):
    """The plan as a PDF for the person to keep; ?print=large for large print."""
    from django.http import HttpResponse

    from keywork.planning.printing import plan_pdf

    plan = selectors.plan_page(fetched_by=request.user, plan_id=plan_id)
    large = request.GET.get("print") == "large"
    response = HttpResponse(plan_pdf(plan, large_print=large), content_type="application/pdf")
    name = "support-plan-large-print.pdf" if large else "support-plan.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@casework
@require_http_methods(["GET", "POST"])
def plan_edit(request, plan_id: int):
    plan = selectors.plan_page(fetched_by=request.user, plan_id=plan_id)
    access.check_or_404(request.user, "planning.edit", plan.episode)
    form = forms.PlanForm(
        request.POST or None,
        initial={
            "next_review_on": plan.next_review_on,
            "person_comments": plan.person_comments,
            "version": plan.version,
        },
    )
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(actor=request.user, plan=plan, **form.cleaned_data)
        except ChangedSinceOpened as error:
            stale = True
            form.add_error(None, error)
            form.data = form.data.copy()
            form.data["version"] = error.current_version
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Saved the plan.")
            return redirect("planning:plan", plan_id=plan.pk)
    if stale:
        plan = selectors.plan_page(fetched_by=request.user, plan_id=plan_id)
    return render(
        request,
        "planning/plan_edit.html",
        {"form": form, "plan": plan, "stale": stale, **_context(plan)},
    )


@casework
@require_http_methods(["GET", "POST"])
def goal_new(request, plan_id: int):
    plan = selectors.plan_page(fetched_by=request.user, plan_id=plan_id)
    access.check_or_404(request.user, "planning.edit", plan.episode)
    form = forms.GoalForm(request.POST or None, domains=plan.framework.domains.all())
    if (
        request.method == "POST"
        and form.is_valid()
        and apply_to_form(form, lambda d: services.goal_add(actor=request.user, plan=plan, **d))
    ):
        messages.success(request, "Added the goal.")
        return redirect("planning:plan", plan_id=plan.pk)
    return render(
        request, "people/part_form.html", {"form": form, "title": "Add a goal", **_context(plan)}
    )


@casework
@require_http_methods(["GET", "POST"])
def action_new(request, goal_id: int):
    goal = selectors.goal_or_404(fetched_by=request.user, goal_id=goal_id)
    access.check_or_404(request.user, "planning.edit", goal.plan.episode)
    added: list[Action] = []
    form = forms.ActionForm(
        request.POST or None,
        workers=access.staff_who_may_see(
            person=goal.plan.person,
            among=people_selectors.possible_co_workers(goal.plan.organisation_id),
        ),
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and apply_to_form(
            form,
            lambda d: added.append(services.action_add(actor=request.user, goal=goal, **d)),
        )
    ):
        messages.success(request, "Added the action.")
        return redirect(_at_action(goal.plan_id, added[0]))
    return render(
        request,
        "people/part_form.html",
        {"form": form, "title": f"Add an action to: {goal}", **_context(goal.plan)},
    )


@casework
def goal_notes(request, goal_id: int):
    """Every file note that worked on the goal, a page at a time (the plan names the
    latest few)."""
    goal = selectors.goal_or_404(fetched_by=request.user, goal_id=goal_id)
    page = selectors.goal_notes_page(
        fetched_by=request.user, goal=goal, page_number=request.GET.get("page")
    )
    return render(
        request, "planning/goal_notes.html", {"goal": goal, "page": page, **_context(goal.plan)}
    )


@casework
def action_status(request, action_id: int):
    action = selectors.action_or_404(fetched_by=request.user, action_id=action_id)
    if request.method != "POST":  # after the lookup, so a stranger learns nothing
        return HttpResponseNotAllowed(["POST"])
    form = forms.ActionStatusForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        services.action_set_status(actor=request.user, action=action, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Saved: {action.what}")
    return redirect(_at_action(action.goal.plan_id, action))


def _at_action(plan_id: int, action: Action) -> str:
    """The plan page, scrolled to the action just saved, not to the top of the plan."""
    return f"{reverse('planning:plan', args=[plan_id])}#action-{action.pk}"


@casework
@require_http_methods(["GET", "POST"])
def plan_agree(request, plan_id: int):
    plan = selectors.plan_page(fetched_by=request.user, plan_id=plan_id)
    access.check_or_404(request.user, "planning.edit", plan.episode)
    form = forms.AgreeForm(request.POST or None, initial={"agreed_on": timezone.localdate()})
    if (
        request.method == "POST"
        and form.is_valid()
        and apply_to_form(form, lambda d: services.plan_agree(actor=request.user, plan=plan, **d))
    ):
        messages.success(request, "Recorded their agreement. This version of the plan is kept.")
        return redirect("planning:plan", plan_id=plan.pk)
    return render(
        request,
        "people/part_form.html",
        {"form": form, "title": "Record their agreement to the plan", **_context(plan)},
    )


@casework
def plan_version(request, plan_id: int, number: int):
    plan = selectors.plan_page(fetched_by=request.user, plan_id=plan_id)
    version = access.get_visible_or_404(plan.versions.all(), number=number)
    return render(
        request, "planning/plan_version.html", {"plan": plan, "version": version, **_context(plan)}
    )


@casework
@require_http_methods(["GET", "POST"])
def plan_review(request, plan_id: int):
    plan = selectors.plan_page(fetched_by=request.user, plan_id=plan_id)
    access.check_or_404(request.user, "planning.edit", plan.episode)
    weeks = plan.episode.service.plan_review_weeks
    form = forms.ReviewForm(
        request.POST or None,
        goals=[g for g in plan.goals.all() if g.status == "open"],
        initial={
            "held_on": timezone.localdate(),
            "next_review_on": timezone.localdate() + timezone.timedelta(weeks=weeks),
        },
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and apply_to_form(
            form,
            lambda d: services.plan_review(
                actor=request.user,
                plan=plan,
                held_on=d["held_on"],
                summary=d["summary"],
                next_review_on=d["next_review_on"],
                progress=form.progress(),
            ),
        )
    ):
        messages.success(request, "Recorded the review. This version of the plan is kept.")
        return redirect("planning:plan", plan_id=plan.pk)
    return render(request, "planning/review.html", {"form": form, "plan": plan, **_context(plan)})


@casework
@require_http_methods(["GET", "POST"])
def outcomes(request, plan_id: int):
    """Ratings by area of life: the baseline, the latest, and the distance travelled."""
    from keywork.outcomes.charts import ratings_chart
    from keywork.outcomes.selectors import progress_for
    from keywork.outcomes.services import ratings_record

    plan = selectors.plan_page(fetched_by=request.user, plan_id=plan_id)
    can_edit = access.check(request.user, "planning.edit", plan.episode)
    form = forms.RatingsForm(
        request.POST if can_edit and request.method == "POST" else None,
        framework=plan.framework,
        initial={"rated_on": timezone.localdate(), "rated_by": "together"},
    )
    if request.method == "POST":
        access.check_or_404(request.user, "planning.edit", plan.episode)
        if form.is_valid() and apply_to_form(
            form,
            lambda d: ratings_record(
                actor=request.user,
                episode=plan.episode,
                framework=plan.framework,
                rated_on=d["rated_on"],
                rated_by=d["rated_by"],
                scores=form.scores(),
                note=d["note"],
            ),
        ):
            messages.success(request, "Saved the ratings.")
            return redirect("planning:outcomes", plan_id=plan.pk)
    progress = progress_for(episode=plan.episode, framework=plan.framework)
    chart = ratings_chart(
        progress,
        scale_min=plan.framework.scale_min,
        scale_max=plan.framework.scale_max,
        title_id="ratings-chart-title",
    )
    return render(
        request,
        "planning/outcomes.html",
        {
            "plan": plan,
            "form": form,
            "can_edit": can_edit,
            "progress": progress,
            "chart": chart,
            **_context(plan),
        },
    )


@casework
def plan_compare(request, plan_id: int):
    """Any two kept versions of the plan, and what changed between them."""
    plan = selectors.plan_page(fetched_by=request.user, plan_id=plan_id)
    versions = list(plan.versions.all())
    numbers = [v.number for v in versions]

    def chosen(name: str, default: int | None) -> int | None:
        value = record_id_in(request.GET.get(name))
        return value if value in numbers else default

    first = chosen("from", numbers[0] if numbers else None)
    second = chosen("to", numbers[-1] if numbers else None)
    by_number = {v.number: v for v in versions}
    older, newer = by_number.get(first), by_number.get(second)
    changes = selectors.compare_versions(older.snapshot, newer.snapshot) if older and newer else []
    # The two versions shown side by side are a read of the plan, named in its audit row.
    record_shown(
        actor=request.user, model=PlanVersion, objects=[v for v in (older, newer) if v], about=plan
    )
    return render(
        request,
        "planning/plan_compare.html",
        {
            "plan": plan,
            "versions": versions,
            "older": older,
            "newer": newer,
            "changes": changes,
            **_context(plan),
        },
    )


def _framework_for(episode):
    plan = getattr(episode, "support_plan", None)
    return plan.framework if plan else services.default_framework_for(episode.organisation_id)


@casework
def assessments(request, episode_id: int):
    """Every assessment of needs and strengths in the episode, newest first."""
    episode = selectors.episode_for_plan_or_404(fetched_by=request.user, episode_id=episode_id)
    return render(
        request,
        "planning/assessments.html",
        {
            "episode": episode,
            "assessments": selectors.assessments_of(episode=episode),
            "can_edit": access.check(request.user, "planning.edit", episode)
            and episode.end_date is None,
            **_context(episode),
        },
    )


@casework
def assessment(request, assessment_id: int):
    assessment = selectors.assessment_or_404(fetched_by=request.user, assessment_id=assessment_id)
    return render(
        request,
        "planning/assessment.html",
        {"assessment": assessment, "episode": assessment.episode, **_context(assessment)},
    )


@casework
@require_http_methods(["GET", "POST"])
def assessment_new(request, episode_id: int):
    episode = selectors.episode_for_plan_or_404(fetched_by=request.user, episode_id=episode_id)
    access.check_or_404(request.user, "planning.edit", episode)
    framework = _framework_for(episode)
    earlier = selectors.assessments_of(episode=episode)
    form = forms.AssessmentForm(
        request.POST or None,
        framework=framework,
        initial={
            "assessed_on": timezone.localdate(),
            **forms.AssessmentForm.initial_from(earlier[0] if earlier else None),
        },
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and apply_to_form(
            form,
            lambda d: services.assessment_record(
                actor=request.user,
                episode=episode,
                framework=framework,
                assessed_on=d["assessed_on"],
                areas=form.areas(),
            ),
        )
    ):
        messages.success(request, "Saved the assessment of needs and strengths.")
        return redirect("planning:assessments", episode_id=episode.pk)
    return render(
        request,
        "planning/assessment_new.html",
        {
            "form": form,
            "episode": episode,
            "starts_from_earlier": bool(earlier),
            **_context(episode),
        },
    )


@access.capability_required(access.Capability.AGGREGATE_REPORTS)
def service_outcomes(request, service_id: int):
    """For managers and commissioners: how far people in the service moved, by area of
    life. Figures only; no one is named."""
    from keywork.outcomes.charts import service_chart
    from keywork.outcomes.reports import SMALLEST_GROUP, service_outcomes

    service = access.get_visible_or_404(access.services_for_reports(request.user), pk=service_id)
    areas = service_outcomes(service_id=service.pk)
    return render(
        request,
        "planning/service_outcomes.html",
        {
            "service": service,
            "areas": areas,
            "chart": service_chart(areas, title_id="service-chart-title"),
            "smallest_group": SMALLEST_GROUP,
        },
    )
