import time

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from keywork.accounts import selectors, services
from keywork.accounts.services import LAST_SEEN_AT, SIGNED_IN_AT


class SessionTimeoutMiddleware:
    """Signs a user out after 30 idle minutes, and after 12 hours whatever they do.

    The clock is read on every request rather than left to the cookie's expiry, so
    that a stolen cookie is no better than the session it came from."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            signed_in_at = request.session.setdefault(SIGNED_IN_AT, now)
            last_seen_at = request.session.get(LAST_SEEN_AT, now)
            idle = now - last_seen_at > settings.KEYWORK_IDLE_TIMEOUT.total_seconds()
            too_long = now - signed_in_at > settings.KEYWORK_ABSOLUTE_TIMEOUT.total_seconds()
            if idle or too_long:
                services.sign_out(request=request, timed_out=True)
                return redirect(f"{reverse('accounts:sign_in')}?timed_out=1")
            # Written at most once a minute: enough for the idle limit, fewer writes.
            if now - last_seen_at >= 60 or LAST_SEEN_AT not in request.session:
                request.session[LAST_SEEN_AT] = now
        return self.get_response(request)


# Pages a signed-in user may reach before giving a two-factor code.
TWO_FACTOR_EXEMPT = (
    "accounts:two_factor_verify",
    "accounts:two_factor_setup",
    "accounts:sign_out",
)


class RequireTwoFactorMiddleware:
    """Every staff account gives a TOTP code before it sees anything else."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._exempt_paths: set[str] | None = None

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified():
            if self._exempt_paths is None:
                self._exempt_paths = {reverse(name) for name in TWO_FACTOR_EXEMPT}
            if request.path not in self._exempt_paths and not request.path.startswith(
                settings.STATIC_URL
            ):
                if selectors.two_factor_device_of(user) is None:
                    return redirect("accounts:two_factor_setup")
                return redirect("accounts:two_factor_verify")
        return self.get_response(request)
