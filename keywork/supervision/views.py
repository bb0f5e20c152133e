"""The pages of supervision and staff development. Each record is fetched through the
selectors, which answer 404 to anyone who may not see it and audit each read."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from keywork import access
from keywork.accounts.models import User
from keywork.core.errors import NotFoundOrNotAllowed
from keywork.core.pages import errors_onto_form, form_page, post_only
from keywork.core.saving import ChangedSinceOpened
from keywork.supervision import forms, selectors, services
from keywork.supervision.models import Arrangement, Competency, Frequency

casework = access.capability_required(access.Capability.CASEWORK)
organisation = access.capability_required(access.Capability.ORGANISATION_MANAGE)
GET_POST = require_http_methods(["GET", "POST"])


def _colleagues(request: HttpRequest):
    return access.scoped_to_organisation(
        request.user, User.objects.filter(is_active=True)
    ).order_by("full_name")


def _versioned(
    request: HttpRequest,
    form: forms.forms.Form,
    save: Callable[[dict[str, Any]], object],
    *,
    saved: str,
    then: str,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """A form over a record two people may edit: a save over a later version is refused,
    with the user's words kept and the version brought up to date."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ChangedSinceOpened as changed:
            form.add_error(None, changed)
            form.data = form.data.copy()
            form.data["version"] = changed.current_version
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            messages.success(request, saved)
            return redirect(then)
    return render(request, template, {"form": form, **context})


# --- Supervision ------------------------------------------------------------------------


@casework
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "supervision/home.html",
        {
            "mine": selectors.summary_for(user),
            "my_supervisions": selectors.supervisions_of(fetched_by=user, member=user)[:10],
            "supervising": selectors.supervised_by(user),
            "managing": selectors.managed_by(user),
            "today": timezone.localdate(),
        },
    )


@casework
def member(request: HttpRequest, user_id: int) -> HttpResponse:
    person = selectors.staff_member_or_404(fetched_by=request.user, user_id=user_id)
    return render(
        request,
        "supervision/member.html",
        {
            "member": person,
            "arrangement": Arrangement.objects.filter(supervisee=person)
            .select_related("supervisor", "stand_in")
            .first(),
            "due": selectors.summary_for(person),
            "supervisions": selectors.supervisions_of(fetched_by=request.user, member=person),
            "can_arrange": access.check(request.user, "supervision.arrange", person),
            "can_hold": access.check(request.user, "supervision.hold_for", person),
            "schedule_form": forms.ScheduleForm(),
        },
    )


@casework
@GET_POST
def arrangement(request: HttpRequest, user_id: int) -> HttpResponse:
    person = selectors.staff_member_or_404(fetched_by=request.user, user_id=user_id)
    access.check_or_404(request.user, "supervision.arrange", person)
    current = Arrangement.objects.filter(supervisee=person).first()
    initial = (
        {
            "supervisor": current.supervisor_id,
            "stand_in": current.stand_in_id,
            "probation_ends_on": current.probation_ends_on,
            "version": current.version,
        }
        if current
        else {"version": 0}
    )
    form = forms.ArrangementForm(request.POST or None, initial=initial, staff=_colleagues(request))
    return _versioned(
        request,
        form,
        lambda data: services.arrangement_set(
            actor=request.user,
            supervisee=person,
            supervisor=data["supervisor"],
            stand_in=data["stand_in"],
            probation_ends_on=data["probation_ends_on"],
            version=data["version"] or 0,
        ),
        saved=f"Supervision of {person.full_name} saved",
        then=reverse("supervision:member", args=[person.pk]),
        template="supervision/form.html",
        context={
            "title": f"Who supervises {person.full_name}",
            "back": reverse("supervision:member", args=[person.pk]),
        },
    )


@casework
@GET_POST
def schedule(request: HttpRequest, user_id: int) -> HttpResponse:
    person = selectors.staff_member_or_404(fetched_by=request.user, user_id=user_id)
    access.check_or_404(request.user, "supervision.hold_for", person)
    return form_page(
        request,
        form=forms.ScheduleForm(request.POST or None),
        save=lambda data: services.supervision_schedule(
            actor=request.user, supervisee=person, scheduled_for=data["scheduled_for"]
        ),
        saved="Supervision planned",
        then=reverse("supervision:member", args=[person.pk]),
        template="supervision/form.html",
        context={
            "title": f"Plan a supervision with {person.full_name}",
            "back": reverse("supervision:member", args=[person.pk]),
        },
    )


@organisation
@GET_POST
def frequencies(request: HttpRequest) -> HttpResponse:
    form = forms.FrequencyForm(request.POST or None)
    return form_page(
        request,
        form=form,
        save=lambda data: services.frequency_set(actor=request.user, **data),
        saved="How often that role is supervised is saved",
        then=reverse("supervision:frequencies"),
        template="supervision/frequencies.html",
        context={
            "frequencies": Frequency.objects.filter(organisation_id=request.user.organisation_id),
            "default_weeks": services.DEFAULT_EVERY_WEEKS,
            "default_probation": services.DEFAULT_PROBATION_WEEKS,
        },
    )


def _record_context(request: HttpRequest, supervision) -> dict[str, Any]:
    user = request.user
    can_hold = access.check(user, "supervision.hold", supervision)
    return {
        "supervision": supervision,
        **selectors.supervision_parts(supervision, fetched_by=user),
        "can_hold": can_hold and not supervision.is_locked,
        "can_amend": can_hold and supervision.is_locked,
        "can_agree": access.check(user, "supervision.agree", supervision)
        and not supervision.is_locked
        and supervision.held_on is not None,
        "agree_form": forms.AgreeForm(initial={"version": supervision.version}),
    }


@casework
def record(request: HttpRequest, supervision_id: int) -> HttpResponse:
    supervision = selectors.supervision_or_404(
        fetched_by=request.user, supervision_id=supervision_id
    )
    return render(request, "supervision/record.html", _record_context(request, supervision))


def _held(request: HttpRequest, supervision_id: int):
    supervision = selectors.supervision_or_404(
        fetched_by=request.user, supervision_id=supervision_id
    )
    access.check_or_404(request.user, "supervision.hold", supervision)
    return supervision


def _back(supervision) -> str:
    return reverse("supervision:record", args=[supervision.pk])


@casework
@GET_POST
def record_edit(request: HttpRequest, supervision_id: int) -> HttpResponse:
    supervision = _held(request, supervision_id)
    initial = {
        name: getattr(supervision, name)
        for name in (
            "held_on",
            "present",
            "wellbeing",
            "workload",
            "learning",
            "next_on",
            "version",
        )
    }
    initial["held_on"] = initial["held_on"] or min(supervision.scheduled_for, timezone.localdate())
    form = forms.RecordForm(request.POST or None, initial=initial)
    return _versioned(
        request,
        form,
        lambda data: services.supervision_record(
            actor=request.user,
            supervision=supervision,
            version=data.pop("version") or 0,
            **data,
        ),
        saved="Supervision record saved",
        then=_back(supervision),
        template="supervision/form.html",
        context={
            "title": f"Supervision with {supervision.supervisee.full_name}",
            "back": _back(supervision),
        },
    )


@casework
@GET_POST
def discussion_new(request: HttpRequest, supervision_id: int) -> HttpResponse:
    supervision = _held(request, supervision_id)
    people = selectors.caseload_to_discuss(
        fetched_by=request.user, supervisee=supervision.supervisee
    )
    return form_page(
        request,
        form=forms.DiscussionForm(request.POST or None, people=people),
        save=lambda data: services.case_discussion_add(
            actor=request.user,
            supervision=supervision,
            person=data["person"],
            decision=data["decision"],
        ),
        saved="Case discussion saved, and written on their record as a file note",
        then=_back(supervision),
        template="supervision/form.html",
        context={"title": "Discuss a person on the caseload", "back": _back(supervision)},
    )


@casework
@GET_POST
def action_new(request: HttpRequest, supervision_id: int) -> HttpResponse:
    supervision = _held(request, supervision_id)
    return form_page(
        request,
        form=forms.ActionForm(request.POST or None, staff=_colleagues(request)),
        save=lambda data: services.supervision_action_add(
            actor=request.user, supervision=supervision, **data
        ),
        saved="Action agreed",
        then=_back(supervision),
        template="supervision/form.html",
        context={"title": "Agree an action", "back": _back(supervision)},
    )


@casework
@GET_POST
def progress(request: HttpRequest, supervision_id: int, action_id: int) -> HttpResponse:
    supervision = _held(request, supervision_id)
    carried = {
        a.pk: a
        for a in selectors.supervision_parts(supervision, fetched_by=request.user)["carried"]
    }
    if action_id not in carried:
        raise NotFoundOrNotAllowed
    action = carried[action_id]
    return form_page(
        request,
        form=forms.ProgressForm(request.POST or None),
        save=lambda data: services.supervision_action_progress(
            actor=request.user, supervision=supervision, action=action, **data
        ),
        saved="Progress saved",
        then=_back(supervision),
        template="supervision/form.html",
        context={"title": f"Progress on: {action.text}", "back": _back(supervision)},
    )


@casework
@GET_POST
def goal_review(request: HttpRequest, supervision_id: int, goal_id: int) -> HttpResponse:
    supervision = _held(request, supervision_id)
    goals = {
        g.pk: g for g in selectors.supervision_parts(supervision, fetched_by=request.user)["goals"]
    }
    if goal_id not in goals:
        raise NotFoundOrNotAllowed
    goal = goals[goal_id]
    return form_page(
        request,
        form=forms.GoalReviewForm(request.POST or None),
        save=lambda data: services.development_goal_review(
            actor=request.user, supervision=supervision, goal=goal, **data
        ),
        saved="Review of the development goal saved",
        then=_back(supervision),
        template="supervision/form.html",
        context={"title": f"Review: {goal.goal}", "back": _back(supervision)},
    )


@casework
def agree(request: HttpRequest, supervision_id: int) -> HttpResponse:
    supervision = selectors.supervision_or_404(
        fetched_by=request.user, supervision_id=supervision_id
    )
    access.check_or_404(request.user, "supervision.agree", supervision)
    if refused := post_only(request):
        return refused
    form = forms.AgreeForm(request.POST)
    if form.is_valid():
        try:
            services.supervision_agree(
                actor=request.user,
                supervision=supervision,
                version=form.cleaned_data["version"] or 0,
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            messages.success(request, "You have agreed the record: it is now locked")
            return redirect(_back(supervision))
    context = _record_context(request, supervision)
    context["agree_form"] = form
    return render(request, "supervision/record.html", context, status=200)


@casework
@GET_POST
def amend(request: HttpRequest, supervision_id: int) -> HttpResponse:
    supervision = _held(request, supervision_id)
    return form_page(
        request,
        form=forms.AmendForm(request.POST or None),
        save=lambda data: services.supervision_amend(
            actor=request.user, supervision=supervision, **data
        ),
        saved="Correction saved; the original is kept",
        then=_back(supervision),
        template="supervision/form.html",
        context={"title": "Correct the agreed record", "back": _back(supervision)},
    )


# --- Competencies and development -------------------------------------------------------

staff_pages = access.signed_in_required


def _is_staff(request: HttpRequest) -> None:
    if not (
        access.has_capability(request.user, access.Capability.CASEWORK)
        or access.has_capability(request.user, access.Capability.ORGANISATION_MANAGE)
    ):
        raise NotFoundOrNotAllowed


@staff_pages
def frameworks(request: HttpRequest) -> HttpResponse:
    _is_staff(request)
    return render(
        request,
        "supervision/frameworks.html",
        {
            "frameworks": selectors.frameworks_for(request.user),
            "can_add": access.check(
                request.user, "supervision.manage_frameworks", request.user.organisation
            ),
        },
    )


@staff_pages
def framework(request: HttpRequest, framework_id: int) -> HttpResponse:
    _is_staff(request)
    shown = selectors.framework_or_404(fetched_by=request.user, framework_id=framework_id)
    return render(request, "supervision/framework.html", {"framework": shown})


@organisation
@GET_POST
def framework_new(request: HttpRequest) -> HttpResponse:
    access.check_or_404(request.user, "supervision.manage_frameworks", request.user.organisation)

    def save(data: dict[str, Any]) -> object:
        levels, competencies = forms.parse_framework(data["levels"], data["competencies"])
        return services.competency_framework_create(
            actor=request.user,
            name=data["name"],
            description=data["description"],
            levels=levels,
            competencies=competencies,
        )

    return form_page(
        request,
        form=forms.FrameworkForm(request.POST or None),
        save=save,
        saved="Competency framework saved",
        then=reverse("supervision:frameworks"),
        template="supervision/form.html",
        context={
            "title": "Enter a competency framework",
            "back": reverse("supervision:frameworks"),
        },
    )


@casework
def development(request: HttpRequest, user_id: int) -> HttpResponse:
    person = selectors.staff_member_or_404(fetched_by=request.user, user_id=user_id)
    return render(
        request,
        "supervision/development.html",
        {
            "member": person,
            **selectors.development_of(fetched_by=request.user, member=person),
            "today": timezone.localdate(),
        },
    )


@casework
@GET_POST
def assessment_new(request: HttpRequest, user_id: int) -> HttpResponse:
    person = selectors.staff_member_or_404(fetched_by=request.user, user_id=user_id)
    started: dict[str, Any] = {}

    def save(data: dict[str, Any]) -> object:
        started["assessment"] = services.competency_assessment_start(
            actor=request.user, staff_member=person, **data
        )
        return started["assessment"]

    form = forms.AssessmentStartForm(
        request.POST or None,
        initial={"assessed_on": timezone.localdate()},
        frameworks=selectors.frameworks_for(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            messages.success(request, "Assessment started")
            return redirect("supervision:assessment", assessment_id=started["assessment"].pk)
    return render(
        request,
        "supervision/form.html",
        {
            "form": form,
            "title": f"Assess {person.full_name}",
            "back": reverse("supervision:development", args=[person.pk]),
        },
    )


def _assessment_context(request: HttpRequest, assessment) -> dict[str, Any]:
    rows = selectors.score_rows(assessment)
    levels = list(assessment.framework.levels.all())
    user = request.user
    context: dict[str, Any] = {"assessment": assessment, "rows": rows, "levels": levels}
    if access.check(user, "supervision.self_assess", assessment):
        context["self_form"] = forms.ScoresForm(
            initial={
                "version": assessment.version,
                **{f"level_{r.competency.pk}": r.score.self_level for r in rows},
                **{f"evidence_{r.competency.pk}": r.score.self_evidence for r in rows},
            },
            rows=rows,
            levels=levels,
            part="self",
        )
    if access.check(user, "supervision.assess", assessment):
        context["supervisor_form"] = forms.ScoresForm(
            initial={
                "version": assessment.version,
                **{f"level_{r.competency.pk}": r.score.supervisor_level for r in rows},
                **{f"evidence_{r.competency.pk}": r.score.supervisor_evidence for r in rows},
                **{f"agreed_{r.competency.pk}": r.score.agreed_level for r in rows},
            },
            rows=rows,
            levels=levels,
            part="supervisor",
        )
    return context


@casework
def assessment(request: HttpRequest, assessment_id: int) -> HttpResponse:
    shown = selectors.assessment_or_404(fetched_by=request.user, assessment_id=assessment_id)
    return render(request, "supervision/assessment.html", _assessment_context(request, shown))


def _scores_page(request: HttpRequest, assessment_id: int, part: str) -> HttpResponse:
    shown = selectors.assessment_or_404(fetched_by=request.user, assessment_id=assessment_id)
    access.check_or_404(
        request.user, "supervision.self_assess" if part == "self" else "supervision.assess", shown
    )
    if refused := post_only(request):
        return refused
    context = _assessment_context(request, shown)
    form = forms.ScoresForm(request.POST, rows=context["rows"], levels=context["levels"], part=part)
    if form.is_valid():
        try:
            if part == "self":
                services.competency_self_assess(
                    actor=request.user,
                    assessment=shown,
                    version=form.cleaned_data["version"] or 0,
                    levels=form.values("level"),  # type: ignore[arg-type]
                    evidence=form.values("evidence"),  # type: ignore[arg-type]
                )
            else:
                services.competency_supervisor_assess(
                    actor=request.user,
                    assessment=shown,
                    version=form.cleaned_data["version"] or 0,
                    levels=form.values("level"),  # type: ignore[arg-type]
                    evidence=form.values("evidence"),  # type: ignore[arg-type]
                    agreed=form.values("agreed"),  # type: ignore[arg-type]
                )
        except ChangedSinceOpened as changed:
            form.add_error(None, changed)
            form.data = form.data.copy()
            form.data["version"] = changed.current_version
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            messages.success(request, "Assessment saved")
            return redirect("supervision:assessment", assessment_id=shown.pk)
    context["self_form" if part == "self" else "supervisor_form"] = form
    return render(request, "supervision/assessment.html", context)


@casework
def assessment_self(request: HttpRequest, assessment_id: int) -> HttpResponse:
    return _scores_page(request, assessment_id, "self")


@casework
def assessment_supervisor(request: HttpRequest, assessment_id: int) -> HttpResponse:
    return _scores_page(request, assessment_id, "supervisor")


@casework
@GET_POST
def goal_new(request: HttpRequest, user_id: int) -> HttpResponse:
    person = selectors.staff_member_or_404(fetched_by=request.user, user_id=user_id)
    latest = selectors.development_of(fetched_by=request.user, member=person)["latest"]
    competencies = (
        Competency.objects.filter(framework=latest.framework)
        if latest
        else Competency.objects.none()
    )
    return form_page(
        request,
        form=forms.GoalForm(request.POST or None, competencies=competencies),
        save=lambda data: services.development_goal_add(
            actor=request.user, staff_member=person, **data
        ),
        saved="Development goal added",
        then=reverse("supervision:development", args=[person.pk]),
        template="supervision/form.html",
        context={
            "title": f"Add to {person.full_name}’s development plan",
            "back": reverse("supervision:development", args=[person.pk]),
        },
    )
