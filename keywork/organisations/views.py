from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from keywork import access
from keywork.organisations import selectors, services
from keywork.organisations.forms import AreaForm, ServiceForm, TeamForm
from keywork.organisations.models import Area, Service, Team

manage = access.capability_required(access.Capability.ORGANISATION_MANAGE)


@manage
def overview(request):
    user = request.user
    return render(
        request,
        "organisations/overview.html",
        {
            "organisation": user.organisation,
            "areas": selectors.areas_of(fetched_by=user),
            "services": selectors.services_of(fetched_by=user),
            "teams": selectors.teams_of(fetched_by=user),
        },
    )


def _save_form(request, form, save, *, existing, kind: str):
    """Shared by the set-up forms: validate, call the service, show errors per field."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{'Saved' if existing else 'Added'} the {kind}.")
            return redirect("organisations:overview")
    title = (
        f"Change {existing.name}" if existing else f"Add {'an' if kind == 'area' else 'a'} {kind}"
    )
    return render(request, "organisations/form.html", {"form": form, "title": title})


@manage
@require_http_methods(["GET", "POST"])
def area_edit(request, area_id: int | None = None):
    user = request.user
    area = (
        access.get_visible_or_404(selectors.areas_of(fetched_by=user), pk=area_id)
        if area_id
        else None
    )
    form = AreaForm(request.POST or None, instance=area or Area(organisation=user.organisation))
    return _save_form(
        request,
        form,
        lambda data: services.area_save(actor=user, area=area, **data),
        existing=area,
        kind="area",
    )


@manage
@require_http_methods(["GET", "POST"])
def service_edit(request, service_id: int | None = None):
    user = request.user
    service = (
        access.get_visible_or_404(selectors.services_of(fetched_by=user), pk=service_id)
        if service_id
        else None
    )
    form = ServiceForm(
        request.POST or None,
        instance=service or Service(organisation=user.organisation),
        areas=selectors.areas_of(fetched_by=user).filter(archived_at=None),
    )
    return _save_form(
        request,
        form,
        lambda data: services.service_save(actor=user, service=service, **data),
        existing=service,
        kind="service",
    )


@manage
@require_http_methods(["GET", "POST"])
def team_edit(request, team_id: int | None = None):
    user = request.user
    team = (
        access.get_visible_or_404(selectors.teams_of(fetched_by=user), pk=team_id)
        if team_id
        else None
    )
    form = TeamForm(
        request.POST or None,
        instance=team or Team(organisation=user.organisation),
        services=selectors.services_of(fetched_by=user).filter(archived_at=None),
    )
    return _save_form(
        request,
        form,
        lambda data: services.team_save(actor=user, team=team, **data),
        existing=team,
        kind="team",
    )


@manage
def service_archive(request, service_id: int):
    service = access.get_visible_or_404(
        selectors.services_of(fetched_by=request.user), pk=service_id
    )
    if request.method != "POST":  # after the lookup, so a stranger learns nothing
        return HttpResponseNotAllowed(["POST"])
    archive = service.archived_at is None
    services.service_archive(actor=request.user, service=service, archive=archive)
    messages.success(request, f"{'Archived' if archive else 'Restored'} {service.name}.")
    return redirect("organisations:overview")


@manage
def team_archive(request, team_id: int):
    team = access.get_visible_or_404(selectors.teams_of(fetched_by=request.user), pk=team_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    archive = team.archived_at is None
    services.team_archive(actor=request.user, team=team, archive=archive)
    messages.success(request, f"{'Archived' if archive else 'Restored'} {team.name}.")
    return redirect("organisations:overview")
