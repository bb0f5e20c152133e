"""Pages about colleagues: the staff list, a staff member, invitations, leavers."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from keywork import access
from keywork.accounts import selectors, services
from keywork.accounts.forms import InvitationForm, RoleForm

C = access.Capability


@access.capability_required(C.STAFF_VIEW)
def staff_list(request):
    user = request.user
    show_leavers = request.GET.get("leavers") == "1"
    can_manage = access.has_capability(user, C.STAFF_MANAGE)
    return render(
        request,
        "accounts/staff_list.html",
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
        "accounts/staff_detail.html",
        {
            "member": member,
            "can_deactivate": access.check(request.user, "accounts.deactivate", member),
            "can_manage_roles": access.check(request.user, "accounts.manage_roles", member),
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
            return redirect("accounts:staff_list")
    return render(request, "accounts/staff_invite.html", {"form": form})


@access.capability_required(C.STAFF_MANAGE)
def invitation_revoke(request, invitation_id: int):
    invitation = access.get_visible_or_404(
        selectors.open_invitations(fetched_by=request.user), pk=invitation_id
    )
    if request.method != "POST":  # after the lookup, so a stranger learns nothing
        return HttpResponseNotAllowed(["POST"])
    services.invitation_revoke(actor=request.user, invitation=invitation)
    messages.success(request, f"Withdrew the invitation for {invitation.email}.")
    return redirect("accounts:staff_list")


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
        return redirect("accounts:staff_detail", user_id=member.pk)
    return render(request, "accounts/staff_deactivate.html", {"member": member})


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
            return redirect("accounts:staff_detail", user_id=member.pk)
    return render(request, "accounts/role_add.html", {"form": form, "member": member})


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
    return redirect("accounts:staff_detail", user_id=member.pk)
