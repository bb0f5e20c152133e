import re
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from keywork import access
from keywork.core.fields import EARLIEST_DATE, LATEST_DATE
from keywork.core.pages import apply_to_form, form_page
from keywork.housing import forms, selectors, services
from keywork.housing.models import HousingApplication, Property, Tenancy
from keywork.people import selectors as people_selectors
from keywork.people.selectors import person_header

casework = access.capability_required(access.Capability.CASEWORK)


# A year and month as the page's form asks for them (2026-10), in digits 0 to 9 only:
# int() would take other scripts' digits too.
_MONTH = re.compile(r"\s*([0-9]{4})-([0-9]{1,2})\s*")


def _month(request) -> tuple[date, bool]:
    """The month asked for as ?month=2026-10, else the one before this (complete); and
    whether something else was asked for, which the page says it did not understand."""
    value = request.GET.get("month", "")
    found = _MONTH.fullmatch(value)
    if found:
        year, month = int(found[1]), int(found[2])
        if EARLIEST_DATE.year <= year <= LATEST_DATE.year and 1 <= month <= 12:
            return date(year, month, 1), False
    first = timezone.localdate().replace(day=1)
    return (first - timezone.timedelta(days=1)).replace(day=1), bool(value.strip())


@login_required
def service(request, service_id: int):
    """A service's accommodation: the vacancy board, occupancy and void bed-nights in a
    month, and how many people were still housed 3, 6 and 12 months after moving on."""
    service = access.get_visible_or_404(selectors.services_for_housing(request.user), pk=service_id)
    month, month_error = _month(request)
    return render(
        request,
        "housing/service.html",
        {
            "service": service,
            "month_error": month_error,
            "month_asked": request.GET["month"] if month_error else "",
            "properties": selectors.properties_of(service),
            "vacancies": selectors.vacancy_board(service),
            "occupancy": selectors.occupancy(service, month.year, month.month),
            "sustainment": selectors.sustainment(service),
            "can_manage": access.check(request.user, "housing.manage", service),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def property_new(request, service_id: int):
    service = access.get_visible_or_404(selectors.services_for_housing(request.user), pk=service_id)
    access.check_or_404(request.user, "housing.manage", service)
    form = forms.PropertyForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and apply_to_form(
            form, lambda d: services.property_add(actor=request.user, service=service, **d)
        )
    ):
        messages.success(request, "Added the property.")
        return redirect("housing:service", service_id=service.pk)
    return render(
        request,
        "housing/form.html",
        {"form": form, "title": f"Add a property to {service.name}", "service": service},
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_new(request, property_id: int):
    property = access.get_visible_or_404(
        Property.objects.filter(
            service__in=selectors.services_for_housing(request.user)
        ).select_related("service"),
        pk=property_id,
    )
    access.check_or_404(request.user, "housing.manage", property.service)
    form = forms.UnitForm(request.POST or None, initial={"opened_on": timezone.localdate()})
    if (
        request.method == "POST"
        and form.is_valid()
        and apply_to_form(
            form, lambda d: services.unit_add(actor=request.user, property=property, **d)
        )
    ):
        messages.success(request, "Added the room or flat.")
        return redirect("housing:service", service_id=property.service_id)
    return render(
        request,
        "housing/form.html",
        {"form": form, "title": f"Add a room or flat to {property}", "service": property.service},
    )


@casework
def episode(request, episode_id: int):
    episode = people_selectors.episode_or_404(fetched_by=request.user, episode_id=episode_id)
    return render(
        request,
        "housing/episode.html",
        {
            "episode": episode,
            **selectors.episode_housing(episode),
            "can_work": access.check(request.user, "people.work_in_service", episode.service),
            **person_header(episode.person),
        },
    )


def _episode_form(request, episode_id: int, form_class, save, title: str, done: str, form_kwargs):
    episode = people_selectors.episode_or_404(fetched_by=request.user, episode_id=episode_id)
    access.check_or_404(request.user, "people.work_in_service", episode.service)
    return form_page(
        request,
        form=form_class(request.POST or None, **form_kwargs(episode)),
        save=lambda d: save(request.user, episode, d),
        saved=done,
        then=reverse("housing:episode", args=[episode.pk]),
        template="people/part_form.html",
        context={"title": title, **person_header(episode.person)},
    )


@casework
@require_http_methods(["GET", "POST"])
def move_in(request, episode_id: int):
    return _episode_form(
        request,
        episode_id,
        forms.MoveInForm,
        lambda user, episode, d: services.move_in(actor=user, episode=episode, **d),
        "Move into a room or flat",
        "Recorded the move.",
        form_kwargs=lambda episode: {
            "units": selectors.units_of(episode.service),
            "initial": {"start_date": timezone.localdate(), "kind": Tenancy.Kind.LICENCE},
        },
    )


@casework
@require_http_methods(["GET", "POST"])
def move_on_plan(request, episode_id: int):
    from keywork.housing.models import MoveOnPlan

    def initial(episode):
        plan = MoveOnPlan.objects.filter(episode=episode).first()
        return {"initial": {"readiness": plan.readiness, "barriers": plan.barriers}} if plan else {}

    return _episode_form(
        request,
        episode_id,
        forms.MoveOnPlanForm,
        lambda user, episode, d: services.move_on_plan_save(actor=user, episode=episode, **d),
        "Move-on plan",
        "Saved the move-on plan.",
        form_kwargs=initial,
    )


@casework
@require_http_methods(["GET", "POST"])
def application_new(request, episode_id: int):
    from keywork.housing.models import MoveOnPlan

    def save(user, episode, data):
        plan = MoveOnPlan.objects.filter(episode=episode).first()
        if plan is None:
            plan = services.move_on_plan_save(
                actor=user, episode=episode, readiness="not_yet", barriers=""
            )
        services.application_add(actor=user, plan=plan, **data)

    today = timezone.localdate()
    return _episode_form(
        request,
        episode_id,
        forms.ApplicationForm,
        save,
        "Add a housing application",
        "Added the housing application.",
        form_kwargs=lambda episode: {"initial": {"applied_on": today, "status_on": today}},
    )


@casework
@require_http_methods(["GET", "POST"])
def sustainment_new(request, episode_id: int):
    return _episode_form(
        request,
        episode_id,
        forms.SustainmentForm,
        lambda user, episode, d: services.sustainment_check(actor=user, episode=episode, **d),
        "Record a follow-up check",
        "Recorded the follow-up check.",
        form_kwargs=lambda episode: {"initial": {"checked_on": timezone.localdate()}},
    )


@casework
@require_http_methods(["GET", "POST"])
def move_out(request, tenancy_id: int):
    tenancy = access.get_visible_or_404(
        Tenancy.objects.filter(person__in=access.people_visible_to(request.user)).select_related(
            "episode__service", "person", "unit__property"
        ),
        pk=tenancy_id,
    )
    form = forms.MoveOutForm(request.POST or None, initial={"end_date": timezone.localdate()})
    if (
        request.method == "POST"
        and form.is_valid()
        and apply_to_form(
            form, lambda d: services.move_out(actor=request.user, tenancy=tenancy, **d)
        )
    ):
        messages.success(request, f"Recorded the move out of {tenancy.unit}.")
        return redirect("housing:episode", episode_id=tenancy.episode_id)
    return render(
        request,
        "people/part_form.html",
        {"form": form, "title": f"Move out of {tenancy.unit}", **person_header(tenancy.person)},
    )


@casework
@require_http_methods(["GET", "POST"])
def application(request, application_id: int):
    application = access.get_visible_or_404(
        HousingApplication.objects.filter(
            plan__person__in=access.people_visible_to(request.user)
        ).select_related("plan__episode__service", "plan__person"),
        pk=application_id,
    )
    form = forms.ApplicationStatusForm(
        request.POST or None,
        initial={
            "status": application.status,
            "status_on": timezone.localdate(),
            "note": application.note,
        },
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and apply_to_form(
            form,
            lambda d: services.application_update(actor=request.user, application=application, **d),
        )
    ):
        messages.success(request, "Saved where the application has got to.")
        return redirect("housing:episode", episode_id=application.plan.episode_id)
    return render(
        request,
        "people/part_form.html",
        {
            "form": form,
            "title": f"{application}: applied {application.applied_on:%d/%m/%Y}",
            **person_header(application.plan.person),
        },
    )
