import hashlib

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from keywork import access
from keywork.accounts.models import Invitation, Membership, User
from keywork.organisations.models import Service, Team


def two_factor_device_of(user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator, if they have set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def pending_two_factor_device_of(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def staff_visible_to(user: User) -> QuerySet[User]:
    """Colleagues the user may see: their team's for a senior, their services' teams
    for a lead manager, everyone in the organisation for an administrator."""
    staff = access.scoped_to_organisation(user, User.objects.all())
    team_ids = access.team_ids_in_scope(user, access.Capability.STAFF_VIEW)
    if team_ids is not None:
        staff = staff.filter(memberships__team_id__in=team_ids).distinct()
    return staff.prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("team", "service"))
    ).order_by("full_name", "pk")


def staff_list(*, fetched_by: User, include_inactive: bool = False) -> QuerySet[User]:
    access.require(fetched_by, access.Capability.STAFF_VIEW)
    staff = staff_visible_to(fetched_by)
    if not include_inactive:
        staff = staff.filter(is_active=True)
    return staff


def open_invitations(*, fetched_by: User) -> QuerySet[Invitation]:
    access.require(fetched_by, access.Capability.STAFF_MANAGE)
    return access.scoped_to_organisation(
        fetched_by,
        Invitation.objects.filter(
            accepted_at=None, revoked_at=None, expires_at__gt=timezone.now()
        ).select_related("team", "service", "invited_by"),
    )


def invitation_by_token(token: str) -> Invitation | None:
    token_hash = hashlib.sha256(token.encode()).hexdigest()
    return (
        Invitation.objects.filter(token_hash=token_hash)
        .select_related("organisation", "team", "service")
        .first()
    )


def teams_for_invitation(*, fetched_by: User) -> QuerySet[Team]:
    return access.scoped_to_organisation(fetched_by, Team.objects.filter(archived_at=None))


def services_for_invitation(*, fetched_by: User) -> QuerySet[Service]:
    return access.scoped_to_organisation(fetched_by, Service.objects.filter(archived_at=None))
