"""The pages for running the organisation: its staff and their roles, its set-up and
its audit."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from keywork import access
from keywork.administration import selectors, services
from keywork.administration.forms import (
    AreaForm,
    AuditSearchForm,
    InvitationForm,
    RoleForm,
    ServiceForm,
    TeamForm,
)
from keywork.core.contributions import panels_about
from keywork.core.pages import form_page
from keywork.organisations.models import Area, Service, Team

C = access.Capability

# --- Staff and their roles ------------------------------------------------------------------


@access.capability_required(C.STAFF_VIEW)
def staff_list(request):
    user = request.user
    show_leavers = request.GET.get("leavers") == "1"
    can_manage = access.has_capability(user, C.STAFF_MANAGE)
    return render(
        request,
        "administration/staff_list.html",
        {
            "staff": selectors.staff_list(fetched_by=user, include_inactive=show_leavers),
            "show_leavers": show_leavers,
            "can_manage": can_manage,
            "invitations": selectors.open_invitations(fetched_by=user) if can_manage else [],
        },
    )


@access.capability_required(C.STAFF_VIEW)
def staff_detail(request, user_id: int):
    member = access.get_visible_or_404(selectors.staff_visible_to(request.user), pk=user_id)
    return render(
        request,
        "administration/staff_detail.html",
        {
            "member": member,
            "can_deactivate": access.check(request.user, "accounts.deactivate", member),
            "can_manage_roles": access.check(request.user, "accounts.manage_roles", member),
            "panels": panels_about("staff_panels", member, request.user),
        },
    )


@access.capability_required(C.STAFF_MANAGE)
@require_http_methods(["GET", "POST"])
def staff_invite(request):
    user = request.user
    form = InvitationForm(
        request.POST or None,
        teams=selectors.teams_for_invitation(fetched_by=user),
        services=selectors.services_for_invitation(fetched_by=user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = services.invitation_create(actor=user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"Invitation sent to {invitation.email}. The link works for 7 days, once."
            )
            return redirect("administration:staff_list")
    return render(request, "administration/staff_invite.html", {"form": form})


@access.capability_required(C.STAFF_MANAGE)
def invitation_revoke(request, invitation_id: int):
    invitation = access.get_visible_or_404(
        selectors.open_invitations(fetched_by=request.user), pk=invitation_id
    )
    if request.method != "POST":  # after the lookup, so a stranger learns nothing
        return HttpResponseNotAllowed(["POST"])
    services.invitation_revoke(actor=request.user, invitation=invitation)
    messages.success(request, f"Withdrew the invitation for {invitation.email}.")
    return redirect("administration:staff_list")


@access.capability_required(C.STAFF_MANAGE)
@require_http_methods(["GET", "POST"])
def staff_deactivate(request, user_id: int):
    member = access.get_visible_or_404(selectors.staff_visible_to(request.user), pk=user_id)
    access.check_or_404(request.user, "accounts.deactivate", member)
    if request.method == "POST":
        services.user_deactivate(actor=request.user, user=member)
        messages.success(
            request, f"{member.full_name} can no longer sign in. Their sessions have ended."
        )
        return redirect("administration:staff_detail", user_id=member.pk)
    return render(request, "administration/staff_deactivate.html", {"member": member})


@access.capability_required(C.STAFF_MANAGE)
@require_http_methods(["GET", "POST"])
def role_add(request, user_id: int):
    user = request.user
    member = access.get_visible_or_404(selectors.staff_visible_to(user), pk=user_id)
    access.check_or_404(user, "accounts.manage_roles", member)
    form = RoleForm(
        request.POST or None,
        teams=selectors.teams_for_invitation(fetched_by=user),
        services=selectors.services_for_invitation(fetched_by=user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_add(actor=user, user=member, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Gave {member.full_name} the new role.")
            return redirect("administration:staff_detail", user_id=member.pk)
    return render(request, "administration/role_add.html", {"form": form, "member": member})


@access.capability_required(C.STAFF_MANAGE)
def role_remove(request, user_id: int, membership_id: int):
    member = access.get_visible_or_404(selectors.staff_visible_to(request.user), pk=user_id)
    membership = access.get_visible_or_404(member.memberships.all(), pk=membership_id)
    if request.method != "POST":  # after the lookup, so a stranger learns nothing
        return HttpResponseNotAllowed(["POST"])
    try:
        services.membership_remove(actor=request.user, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Removed the role {membership} from {member.full_name}.")
    return redirect("administration:staff_detail", user_id=member.pk)


# --- The organisation's set-up ------------------------------------------------------------


manage = access.capability_required(C.ORGANISATION_MANAGE)


@manage
def organisation(request):
    user = request.user
    return render(
        request,
        "administration/organisation.html",
        {
            "organisation": user.organisation,
            "areas": selectors.areas_of(fetched_by=user),
            "services": selectors.services_of(fetched_by=user),
            "teams": selectors.teams_of(fetched_by=user),
        },
    )


def _save_form(request, form, save, *, existing, kind: str):
    """Shared by the set-up forms: the form page, titled for what it adds or changes."""
    title = (
        f"Change {existing.name}" if existing else f"Add {'an' if kind == 'area' else 'a'} {kind}"
    )
    return form_page(
        request,
        form=form,
        save=save,
        saved=f"{'Saved' if existing else 'Added'} the {kind}.",
        then="administration:organisation",
        template="administration/organisation_form.html",
        context={"title": title},
    )


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
    return redirect("administration:organisation")


@manage
def team_archive(request, team_id: int):
    team = access.get_visible_or_404(selectors.teams_of(fetched_by=request.user), pk=team_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    archive = team.archived_at is None
    services.team_archive(actor=request.user, team=team, archive=archive)
    messages.success(request, f"{'Archived' if archive else 'Restored'} {team.name}.")
    return redirect("administration:organisation")


# --- The audit ------------------------------------------------------------------------------

AUDIT_PAGE_SIZE = 50


@access.capability_required(access.Capability.AUDIT_VIEW)
def audit(request):
    user = request.user
    form = AuditSearchForm(
        request.GET or None,
        users=selectors.audit_users(fetched_by=user),
        record_types=selectors.audited_record_types(),
    )
    query = selectors.AuditQuery()
    if form.is_bound and form.is_valid():
        query = selectors.AuditQuery(**form.cleaned_data)
    show = request.GET.get("show", "changes")
    if show == "sign-ins":
        rows = selectors.auth_events(fetched_by=user, query=query)
    else:
        show = "changes"
        rows = selectors.audit_entries(fetched_by=user, query=query)
    page = Paginator(rows, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    entries = []
    if show == "changes":
        entries = selectors.audit_rows_shown(fetched_by=user, entries=list(page.object_list))
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("show", None)
    return render(
        request,
        "administration/audit.html",
        {
            "form": form,
            "page": page,
            "entries": entries,
            "show": show,
            "params": params.urlencode(),
        },
    )
