"""Writes for running the organisation: inviting staff, their roles and leavers, and
its set-up (areas, services and teams). Each checks that the actor may make it; every
change is audited."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from keywork import access
from keywork.accounts import services as accounts
from keywork.accounts.models import (
    ROLES_IN_A_TEAM,
    Invitation,
    Membership,
    Role,
    StaffSession,
    User,
)
from keywork.audit.models import AuthEvent
from keywork.audit.services import auth_event_record
from keywork.core.auditing import set_actor
from keywork.core.saving import save_checked
from keywork.organisations.models import Area, Service, Team

# --- Staff: invitations, roles and leavers ---------------------------------------------------


@transaction.atomic
def invitation_create(
    *,
    actor: User,
    email: str,
    full_name: str,
    role: str,
    team: Team | None = None,
    service: Service | None = None,
) -> tuple[Invitation, str]:
    """Invites someone to the actor's organisation. Returns the invitation and the
    secret token, which exists only in the emailed link."""
    access.check_or_404(actor, "accounts.invite", actor.organisation)
    return accounts.invitation_issue(
        organisation=actor.organisation,
        invited_by=actor,
        email=email,
        full_name=full_name,
        role=role,
        team=team,
        service=service,
    )


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> None:
    access.check_or_404(actor, "accounts.invite", invitation)
    if invitation.accepted_at is not None:
        raise ValidationError("This invitation has already been accepted.")
    with set_actor(actor):
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])


# --- Roles ------------------------------------------------------------------------------


@transaction.atomic
def membership_add(
    *,
    actor: User,
    user: User,
    role: str,
    team: Team | None = None,
    service: Service | None = None,
) -> Membership:
    """Gives a member of staff another role, for example when they join a second team.
    An administrator cannot give themself a role that opens people's records: another
    administrator must, and the others are told of every such role given."""
    access.check_or_404(actor, "accounts.manage_roles", user)
    if role not in Role.values:
        raise ValidationError({"role": "Choose a role."})
    if role in ROLES_IN_A_TEAM and user.pk == actor.pk:
        raise ValidationError(
            {"role": "You cannot give yourself a casework role: ask another administrator"}
        )
    team, service = accounts.membership_place(
        organisation=user.organisation, role=role, team=team, service=service
    )
    if Membership.objects.filter(user=user, role=role, team=team, service=service).exists():
        raise ValidationError(f"{user.full_name} already has this role.")
    membership = Membership(user=user, role=role, team=team, service=service)
    save_checked(actor, membership)
    access.forget_memberships(user)
    if role in ROLES_IN_A_TEAM:
        accounts.administrators_tell(
            organisation_id=user.organisation_id,
            but=actor,
            text=f"{actor.full_name} gave {user.full_name} the role {membership}.",
            url=reverse("administration:staff_detail", args=[user.pk]),
        )
    return membership


@transaction.atomic
def membership_remove(*, actor: User, membership: Membership) -> None:
    """Takes a role away. The history of what they did in it stays in the audit."""
    user = membership.user
    access.check_or_404(actor, "accounts.manage_roles", user)
    if user.pk == actor.pk and membership.role == Role.ADMINISTRATOR:
        raise ValidationError("You cannot remove your own administrator role.")
    with set_actor(actor):
        membership.delete()
    access.forget_memberships(user)


# --- Leavers ------------------------------------------------------------------------------------


@transaction.atomic
def user_deactivate(*, actor: User, user: User) -> None:
    """A leaver keeps their history but can no longer sign in, and every session they
    have, on any device, ends now."""
    access.check_or_404(actor, "accounts.deactivate", user)
    if not user.is_active:
        return
    with set_actor(actor):
        user.is_active = False
        user.deactivated_at = timezone.now()
        user.save(update_fields=["is_active", "deactivated_at"])
    StaffSession.objects.filter(user=user).delete()
    auth_event_record(kind=AuthEvent.Kind.DEACTIVATED, request=None, user=user, actor=actor)


# --- The organisation's set-up -----------------------------------------------------------------


def _save(actor: User, obj: Area | Service | Team, duplicate_message: str) -> None:
    obj.full_clean()
    # A savepoint of its own, so that the caller's transaction survives a duplicate name.
    try:
        with transaction.atomic(), set_actor(actor):
            obj.save()
    except IntegrityError as error:
        # Two administrators saving the same name at once: the database decides.
        raise ValidationError({"name": duplicate_message}) from error


def _check_same_organisation(actor: User, *related: Area | Service | None) -> None:
    for obj in related:
        if obj is not None and obj.organisation_id != actor.organisation_id:
            raise ValidationError("That choice is not part of your organisation.")


@transaction.atomic
def area_save(*, actor: User, area: Area | None = None, name: str, kind: str) -> Area:
    area = area or Area(organisation=actor.organisation)
    access.check_or_404(actor, "organisations.manage", area)
    area.name, area.kind = name, kind
    _save(actor, area, "Your organisation already has an area with this name.")
    return area


@transaction.atomic
def service_save(
    *,
    actor: User,
    service: Service | None = None,
    name: str,
    type: str,
    area: Area,
    commissioner: str = "",
    nation: str = Service.Nation.ENGLAND_AND_WALES,
    note_interval_days: int,
    plan_review_weeks: int,
    risk_review_weeks: int,
) -> Service:
    service = service or Service(organisation=actor.organisation)
    access.check_or_404(actor, "organisations.manage", service)
    _check_same_organisation(actor, area)
    service.name, service.type, service.area = name, type, area
    service.commissioner = commissioner
    service.nation = nation
    service.note_interval_days = note_interval_days
    service.plan_review_weeks = plan_review_weeks
    service.risk_review_weeks = risk_review_weeks
    _save(actor, service, "Your organisation already has a service with this name.")
    return service


@transaction.atomic
def team_save(
    *, actor: User, team: Team | None = None, name: str, services: Iterable[Service]
) -> Team:
    team = team or Team(organisation=actor.organisation)
    access.check_or_404(actor, "organisations.manage", team)
    services = list(services)
    _check_same_organisation(actor, *services)
    if not services:
        raise ValidationError({"services": "Choose at least one service this team works in."})
    team.name = name
    _save(actor, team, "Your organisation already has a team with this name.")
    with set_actor(actor):
        team.services.set(services)
    return team


@transaction.atomic
def _archive(actor: User, obj: Service | Team, archive: bool) -> None:
    access.check_or_404(actor, "organisations.manage", obj)
    obj.archived_at = timezone.now() if archive else None
    with set_actor(actor):
        obj.save(update_fields=["archived_at"])


def service_archive(*, actor: User, service: Service, archive: bool = True) -> None:
    _archive(actor, service, archive)


def team_archive(*, actor: User, team: Team, archive: bool = True) -> None:
    _archive(actor, team, archive)
