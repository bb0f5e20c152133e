import hashlib

from django_otp.plugins.otp_totp.models import TOTPDevice

from keywork.accounts.models import Invitation, Membership, User


def two_factor_device_of(user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator, if they have set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def pending_two_factor_device_of(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def invitation_by_token(token: str) -> Invitation | None:
    token_hash = hashlib.sha256(token.encode()).hexdigest()
    return (
        Invitation.objects.filter(token_hash=token_hash)
        .select_related("organisation", "team", "service")
        .first()
    )


def memberships_of(user: User) -> list[Membership]:
    """The user's memberships, read once per request and kept on the user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_keywork_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user)
            .select_related("team", "service")
            .prefetch_related("team__services")
        )
        user._keywork_memberships = cached  # type: ignore[attr-defined]  # kept per request
    return cached


def forget_memberships(user: User) -> None:
    user.__dict__.pop("_keywork_memberships", None)
