"""The complaints pages: the list a manager works from, logging a complaint, a
complaint's page with its stages, the forms that move a stage on, and the response
letter as a PDF."""

from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from keywork import access
from keywork.accounts.models import User
from keywork.core.errors import NotFoundOrNotAllowed
from keywork.core.fields import is_record_id
from keywork.core.pages import form_page
from keywork.feedback import forms, selectors, services
from keywork.feedback.models import Complaint, Stage

casework = access.capability_required(access.Capability.CASEWORK)


def _staff(user: User) -> QuerySet[User]:
    return User.objects.filter(organisation_id=user.organisation_id, is_active=True).order_by(
        "full_name"
    )


def _managers(user: User, services: QuerySet) -> QuerySet[User]:
    return (
        _staff(user)
        .filter(
            memberships__role__in=access.MANAGER_ROLES, memberships__team__services__in=services
        )
        .distinct()
    )


@casework
@require_http_methods(["GET"])
def complaints(request):
    rows = selectors.complaint_list(fetched_by=request.user)
    return render(
        request,
        "feedback/complaints.html",
        {"complaints": rows, "today": timezone.localdate()},
    )


@casework
@require_http_methods(["GET", "POST"])
def complaint_new(request):
    user = request.user
    # From the person's page: a reference the reader may not see gives a form for no one.
    person = None
    person_id = request.GET.get("person", "")
    if is_record_id(person_id):
        try:
            person = access.visible_person_or_404(user, int(person_id))
        except NotFoundOrNotAllowed:
            person = None
    services_ = selectors.services_to_log_in(user)
    form = forms.ComplaintForm(
        request.POST or None,
        services=services_,
        staff=_staff(user),
        handlers=_managers(user, services_),
        initial={"received_on": timezone.localdate(), "who": "person" if person else None},
    )

    def save(data: dict) -> None:
        request.complaint = services.complaint_log(actor=user, person=person, **data)

    response = form_page(
        request,
        form=form,
        save=save,
        saved="Complaint logged.",
        then=reverse("feedback:complaints"),
        template="feedback/complaint_new.html",
        context={"person": person},
    )
    complaint = getattr(request, "complaint", None)
    if complaint is not None and access.check(user, "feedback.read", complaint):
        response["Location"] = reverse("feedback:complaint", args=[complaint.pk])
    return response


@casework
@require_http_methods(["GET"])
def complaint(request, complaint_id: int):
    user = request.user
    found = selectors.complaint_page(fetched_by=user, complaint_id=complaint_id)
    stages = list(found.stages.all())
    can_handle = access.check(user, "feedback.handle", found)
    first = next((s for s in stages if s.number == 1), None)
    return render(
        request,
        "feedback/complaint.html",
        {
            "complaint": found,
            "stages": stages,
            "can_handle": can_handle,
            "can_escalate": can_handle
            and len(stages) == 1
            and first is not None
            and first.responded_on is not None,
            "today": timezone.localdate(),
        },
    )


def _stage_or_404(complaint: Complaint, number: int) -> Stage:
    for stage in complaint.stages.all():
        if stage.number == number:
            return stage
    raise NotFoundOrNotAllowed


def _stage_page(
    request, complaint_id: int, number: int, *, form_class, title: str, call, saved: str
):
    user = request.user
    found = selectors.complaint_page(fetched_by=user, complaint_id=complaint_id)
    access.check_or_404(user, "feedback.handle", found)
    stage = _stage_or_404(found, number)
    form = form_class(request.POST or None, initial={"version": found.version})

    def save(data: dict) -> None:
        version = data.pop("version") or 0
        call(actor=user, complaint=found, number=number, version=version, data=data)

    return form_page(
        request,
        form=form,
        save=save,
        saved=saved,
        then=reverse("feedback:complaint", args=[found.pk]),
        template="feedback/stage_form.html",
        context={"complaint": found, "stage": stage, "title": title},
    )


@casework
@require_http_methods(["GET", "POST"])
def stage_acknowledge(request, complaint_id: int, number: int):
    return _stage_page(
        request,
        complaint_id,
        number,
        form_class=forms.AcknowledgeForm,
        title="Record the acknowledgement",
        saved="Acknowledgement recorded.",
        call=lambda data, **kw: services.stage_acknowledge(**kw, **data),
    )


@casework
@require_http_methods(["GET", "POST"])
def stage_extend(request, complaint_id: int, number: int):
    return _stage_page(
        request,
        complaint_id,
        number,
        form_class=forms.ExtendForm,
        title="Extend the time to answer",
        saved="Extension recorded.",
        call=lambda data, **kw: services.stage_extend(**kw, **data),
    )


def _respond(data: dict, **kw) -> None:
    points = [
        services.PointAnswer(data[f"point_{n}"], data[f"point_{n}_outcome"])
        for n in range(1, forms.POINTS + 1)
        if data.get(f"point_{n}")
    ]
    remedies = [
        services.RemedyGiven(
            data[f"remedy_{n}"],
            data.get(f"remedy_{n}_details") or "",
            data.get(f"remedy_{n}_amount"),
        )
        for n in range(1, forms.REMEDIES + 1)
        if data.get(f"remedy_{n}")
    ]
    services.stage_respond(
        **kw,
        responded_on=data["responded_on"],
        decision=data["decision"],
        still_to_do=data["still_to_do"],
        learning=data["learning"],
        points=points,
        remedies=remedies,
    )


@casework
@require_http_methods(["GET", "POST"])
def stage_respond(request, complaint_id: int, number: int):
    return _stage_page(
        request,
        complaint_id,
        number,
        form_class=forms.RespondForm,
        title="Record the answer",
        saved="Answer recorded.",
        call=_respond,
    )


@casework
@require_http_methods(["GET", "POST"])
def complaint_escalate(request, complaint_id: int):
    user = request.user
    found = selectors.complaint_page(fetched_by=user, complaint_id=complaint_id)
    access.check_or_404(user, "feedback.handle", found)
    form = forms.EscalateForm(
        request.POST or None,
        handlers=_managers(user, access.services_for_casework(user).filter(pk=found.service_id)),
        initial={"version": found.version, "asked_on": timezone.localdate()},
    )

    def save(data: dict) -> None:
        version = data.pop("version") or 0
        services.complaint_escalate(actor=user, complaint=found, version=version, **data)

    return form_page(
        request,
        form=form,
        save=save,
        saved="Escalated to stage 2.",
        then=reverse("feedback:complaint", args=[found.pk]),
        template="feedback/stage_form.html",
        context={"complaint": found, "stage": None, "title": "Escalate to stage 2"},
    )


@casework
@require_http_methods(["GET"])
def stage_letter(request, complaint_id: int, number: int):
    """The stage's response letter as a PDF; ?print=large for large print."""
    from keywork.feedback.printing import letter_pdf

    found = selectors.complaint_page(fetched_by=request.user, complaint_id=complaint_id)
    access.check_or_404(request.user, "feedback.handle", found)
    stage = _stage_or_404(found, number)
    if stage.responded_on is None:
        raise NotFoundOrNotAllowed
    large = request.GET.get("print") == "large"
    response = HttpResponse(letter_pdf(stage, large_print=large), content_type="application/pdf")
    name = f"complaint-stage-{number}-response{'-large-print' if large else ''}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
