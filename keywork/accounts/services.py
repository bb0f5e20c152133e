"""Every write about staff accounts: signing in and out, two-factor, invitations,
passwords and leavers. Each function takes keyword arguments, runs in one
transaction, checks permission and leaves an audit trail."""

import hashlib
import math
import secrets
import time
from datetime import timedelta
from typing import cast

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from keywork.accounts.models import (
    ROLES_FOR_A_SERVICE,
    ROLES_IN_A_TEAM,
    Invitation,
    Membership,
    Role,
    SignInFailure,
    StaffSession,
    User,
)
from keywork.accounts.selectors import (
    invitation_by_token,
    pending_two_factor_device_of,
    two_factor_device_of,
)
from keywork.audit.models import AuthEvent
from keywork.audit.services import auth_event_record
from keywork.core.addresses import client_address
from keywork.core.auditing import set_actor
from keywork.core.services import notify_many
from keywork.organisations.models import Organisation, Service, Team

SIGNED_IN_AT = "keywork_signed_in_at"
LAST_SEEN_AT = "keywork_last_seen_at"
REAUTHENTICATED_AT = "keywork_reauthenticated_at"


class InvitationNotValid(Exception):
    """The invitation link is unknown, tampered with, used or revoked."""


class InvitationExpired(Exception):
    pass


class InvitationAddressInUse(Exception):
    """Someone already has an account with the invitation's address (in another
    organisation, or made since): one address, one account."""


class TooManyTriesFromAddress(Exception):
    """Too many wrong passwords from one client address, whatever emails they were for."""

    def __init__(self, minutes: int):
        super().__init__(f"Wait {minutes} minutes.")
        self.minutes = minutes


class ReauthenticationLocked(Exception):
    """Too many wrong passwords for this account from this address: as at sign-in."""


# --- Signing in and out -------------------------------------------------------------

# Counted in the database, not a cache: every app server and process sees the same
# count, and a test's tries end with its transaction.


def _minutes_this_address_must_wait(request: HttpRequest) -> int:
    address = client_address(request)
    if address is None:
        return 0
    limit = settings.KEYWORK_SIGN_IN_TRIES_PER_ADDRESS
    window = settings.KEYWORK_SIGN_IN_ADDRESS_WINDOW
    now = timezone.now()
    # The limit-th most recent failure: once it is out of the window, fewer remain.
    oldest_that_counts = (
        SignInFailure.objects.filter(ip_address=address, at__gt=now - window)
        .order_by("-at")
        .values_list("at", flat=True)[limit - 1 : limit]
    )
    if not oldest_that_counts:
        return 0
    return max(1, math.ceil((oldest_that_counts[0] + window - now).total_seconds() / 60))


def _address_failure_record(request: HttpRequest) -> None:
    address = client_address(request)
    if address is None:
        return
    now = timezone.now()
    SignInFailure.objects.filter(at__lte=now - settings.KEYWORK_SIGN_IN_ADDRESS_WINDOW).delete()
    SignInFailure.objects.create(ip_address=address, at=now)


def _refused_by_lock(request: HttpRequest) -> bool:
    """Whether django-axes refused the try without checking the password: it marks the
    request locked out, and counts nothing, so the failures it reports stay unset."""
    return bool(getattr(request, "axes_locked_out", False)) and (
        getattr(request, "axes_failures_since_start", None) is None
    )


def sign_in_check_password(*, request: HttpRequest, email: str, password: str) -> User | None:
    """The first step of signing in. django-axes counts every failure against the
    email typed and the client address, whether or not an account has the email, so
    the answer is the same; one address failing on many emails is made to wait."""
    minutes = _minutes_this_address_must_wait(request)
    if minutes:
        sign_in_locked_out(request=request, email=email)
        raise TooManyTriesFromAddress(minutes)
    user = authenticate(request, email=email, password=password)
    if user is None:
        if not _refused_by_lock(request):
            known = User.objects.filter(email__iexact=email).first()
            auth_event_record(
                kind=AuthEvent.Kind.SIGN_IN_FAILED, request=request, user=known, email_tried=email
            )
            _address_failure_record(request)
        return None
    login(request, user)
    now = time.time()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now
    return user


def sign_in_locked_out(*, request: HttpRequest, email: str) -> None:
    known = User.objects.filter(email__iexact=email).first() if email else None
    auth_event_record(
        kind=AuthEvent.Kind.LOCKED_OUT, request=request, user=known, email_tried=email
    )


def two_factor_verify(*, request: HttpRequest, user: User, code: str) -> bool:
    """The second step. A code is accepted once: django-otp records the time step it
    belongs to and refuses that step and any earlier one afterwards."""
    device = two_factor_device_of(user)
    if device is None or not _code_matches(device, code):
        auth_event_record(kind=AuthEvent.Kind.TWO_FACTOR_FAILED, request=request, user=user)
        return False
    otp_login(request, device)
    # A new session key now that the session is worth the most: a key learnt before the
    # code (from the password step) must not become a signed-in session.
    request.session.cycle_key()
    auth_event_record(kind=AuthEvent.Kind.SIGNED_IN, request=request, user=user)
    return True


def two_factor_setup_start(*, user: User) -> TOTPDevice:
    """A new, unconfirmed authenticator for the QR code; an unfinished one is reused so
    that reloading the page does not change the code the user has already scanned."""
    device = pending_two_factor_device_of(user)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


@transaction.atomic
def two_factor_setup_confirm(*, request: HttpRequest, user: User, code: str) -> bool:
    device = pending_two_factor_device_of(user)
    if device is None or not _code_matches(device, code):
        auth_event_record(kind=AuthEvent.Kind.TWO_FACTOR_FAILED, request=request, user=user)
        return False
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    request.session.cycle_key()
    auth_event_record(kind=AuthEvent.Kind.TWO_FACTOR_SET_UP, request=request, user=user)
    return True


def _code_matches(device: TOTPDevice, code: str) -> bool:
    code = "".join(code.split())
    if not code.isdigit() or len(code) != device.digits:
        return False
    return device.verify_token(code)


def sign_out(*, request: HttpRequest, timed_out: bool = False) -> None:
    user = request.user if request.user.is_authenticated else None
    if user is not None:
        kind = AuthEvent.Kind.TIMED_OUT if timed_out else AuthEvent.Kind.SIGNED_OUT
        auth_event_record(kind=kind, request=request, user=user)
    logout(request)


# --- Re-authentication ----------------------------------------------------------------


def reauthenticate(*, request: HttpRequest, password: str) -> bool:
    """Asked again for the password before changing the password or the authenticator.
    Its wrong passwords count as those at sign-in do, for the same lock-out: else a
    session left open would let its password be guessed without end."""
    user = cast(User, request.user)
    checked = authenticate(request, email=user.email, password=password)
    if checked is None or checked.pk != user.pk:
        if not _refused_by_lock(request):
            auth_event_record(kind=AuthEvent.Kind.SIGN_IN_FAILED, request=request, user=user)
            _address_failure_record(request)
        if getattr(request, "axes_locked_out", False):
            auth_event_record(kind=AuthEvent.Kind.LOCKED_OUT, request=request, user=user)
            raise ReauthenticationLocked
        return False
    address = client_address(request)
    if address is not None:
        # As a right password at sign-in does, for this account from this address only.
        axes_reset(ip=address, username=user.email)
    request.session[REAUTHENTICATED_AT] = time.time()
    return True


def recently_reauthenticated(request: HttpRequest) -> bool:
    at = request.session.get(REAUTHENTICATED_AT)
    return at is not None and time.time() - at < settings.KEYWORK_REAUTH_MINUTES * 60


@transaction.atomic
def password_change(*, request: HttpRequest, new_password: str) -> None:
    user = cast(User, request.user)
    if not recently_reauthenticated(request):
        raise PermissionDenied("Confirm your password first.")
    validate_password(new_password, user)
    with set_actor(user):
        user.set_password(new_password)
        user.save(update_fields=["password"])
    # Other devices are signed out; this one carries on.
    StaffSession.objects.filter(user=user).exclude(session_key=request.session.session_key).delete()
    update_session_auth_hash(request, user)
    request.session.pop(REAUTHENTICATED_AT, None)
    auth_event_record(kind=AuthEvent.Kind.PASSWORD_CHANGED, request=request, user=user)


def two_factor_reset_start(*, request: HttpRequest) -> TOTPDevice:
    if not recently_reauthenticated(request):
        raise PermissionDenied("Confirm your password first.")
    return two_factor_setup_start(user=cast(User, request.user))


# --- Invitations ---------------------------------------------------------------------------


def membership_place(
    *, organisation: Organisation, role: str, team: Team | None, service: Service | None
) -> tuple[Team | None, Service | None]:
    if role in ROLES_IN_A_TEAM:
        if team is None or team.organisation_id != organisation.pk:
            raise ValidationError({"team": "Choose the team this person will work in."})
        return team, None
    if role in ROLES_FOR_A_SERVICE:
        if service is None or service.organisation_id != organisation.pk:
            raise ValidationError({"service": "Choose the service this commissioner funds."})
        return None, service
    return None, None


@transaction.atomic
def organisation_bootstrap(
    *, name: str, admin_email: str, admin_name: str
) -> tuple[Invitation, str]:
    """A new organisation and an invitation for its first administrator; run from the
    command line by whoever hosts Keywork, since no one inside can do it yet."""
    organisation = Organisation(name=name.strip())
    organisation.full_clean()
    organisation.save()
    return invitation_issue(
        organisation=organisation,
        invited_by=None,
        email=admin_email,
        full_name=admin_name,
        role=Role.ADMINISTRATOR,
    )


def invitation_issue(
    *,
    organisation: Organisation,
    invited_by: User | None,
    email: str,
    full_name: str,
    role: str,
    team: Team | None = None,
    service: Service | None = None,
) -> tuple[Invitation, str]:
    email = email.strip().lower()
    if role not in Role.values:
        raise ValidationError({"role": "Choose a role."})
    team, service = membership_place(
        organisation=organisation, role=role, team=team, service=service
    )
    # Inside the organisation the administrator may know who works there. An address in
    # use elsewhere is invited exactly as a fresh one (the same answer, the invitation
    # listed and emailed), else inviting would tell anyone which addresses other
    # organisations' staff have; its link then refuses to make a second account, and
    # says why to the one person who can read it, the owner of the address. Whoever
    # hosts Keywork, creating an organisation at the command line, is told plainly.
    in_use = User.objects.filter(email__iexact=email)
    if invited_by is not None:
        in_use = in_use.filter(organisation=organisation)
    if in_use.exists():
        raise ValidationError({"email": "Someone already has an account with this email address."})
    now = timezone.now()
    # Only this organisation's own earlier invitation is replaced: another's is not ours.
    Invitation.objects.filter(
        organisation=organisation, email__iexact=email, accepted_at=None, revoked_at=None
    ).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        organisation=organisation,
        email=email,
        full_name=full_name.strip(),
        role=role,
        team=team,
        service=service,
        token_hash=hashlib.sha256(token.encode()).hexdigest(),
        invited_by=invited_by,
        created_at=now,
        expires_at=now + timedelta(days=settings.KEYWORK_INVITATION_DAYS),
    )
    invitation.full_clean()
    with set_actor(invited_by):
        invitation.save()
    link = invitation_link(token)
    body = render_to_string(
        "accounts/email/invitation.txt", {"invitation": invitation, "link": link}
    )
    transaction.on_commit(
        lambda: send_mail(
            f"You are invited to Keywork at {organisation}", body, None, [invitation.email]
        )
    )
    return invitation, token


def invitation_link(token: str) -> str:
    return settings.KEYWORK_BASE_URL.rstrip("/") + reverse(
        "accounts:invitation_accept", args=[token]
    )


def invitation_open_by_token(token: str) -> Invitation:
    invitation = invitation_by_token(token)
    if invitation is None or invitation.accepted_at or invitation.revoked_at:
        raise InvitationNotValid
    if invitation.expires_at <= timezone.now():
        raise InvitationExpired
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise InvitationAddressInUse
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, password: str) -> User:
    invitation = invitation_open_by_token(token)
    # Lock the row so that two clicks on the same link make one account.
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise InvitationNotValid
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise InvitationAddressInUse
    user = User(
        email=invitation.email, full_name=invitation.full_name, organisation=invitation.organisation
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    with set_actor(invitation.invited_by or user):
        user.save()
        membership = Membership(
            user=user, role=invitation.role, team=invitation.team, service=invitation.service
        )
        membership.full_clean()
        membership.save()
    with set_actor(user):
        invitation.accepted_at = timezone.now()
        invitation.accepted_user = user
        invitation.save(update_fields=["accepted_at", "accepted_user"])
    if membership.role in ROLES_IN_A_TEAM and invitation.invited_by is not None:
        # An invitation to a second address of one's own is a role given to oneself too.
        administrators_tell(
            organisation_id=user.organisation_id,
            but=invitation.invited_by,
            text=(
                f"{user.full_name} accepted {invitation.invited_by.full_name}'s invitation "
                f"and has the role {membership}."
            ),
            url=reverse("administration:staff_detail", args=[user.pk]),
        )
    auth_event_record(kind=AuthEvent.Kind.INVITATION_ACCEPTED, request=None, user=user)
    return user


def administrators_tell(*, organisation_id: int, but: User | None, text: str, url: str) -> None:
    administrators = (
        User.objects.filter(
            organisation_id=organisation_id,
            is_active=True,
            memberships__role=Role.ADMINISTRATOR,
        )
        .exclude(pk=but.pk if but is not None else None)  # type: ignore[misc]
        .distinct()
    )
    notify_many(users=list(administrators), text=text, url=url)
