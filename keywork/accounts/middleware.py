import time

from django.conf import settings
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from keywork.accounts import selectors, services
from keywork.accounts.services import LAST_SEEN_AT, SIGNED_IN_AT
from keywork.core.contributions import contributed

# What the sign-in page says about a form sent after its session timed out.
KEPT_AT_SIGN_OUT = "keywork_kept_at_sign_out"
NOT_KEPT = (
    "What you were sending when you were signed out was not saved. Sign in, then enter it again."
)


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
                kept = _kept_from(request) if request.method == "POST" else None
                services.sign_out(request=request, timed_out=True)
                if request.method == "POST":
                    # In the new, signed-out session: for the sign-in page to say.
                    request.session[KEPT_AT_SIGN_OUT] = kept or NOT_KEPT
                return redirect(f"{reverse('accounts:sign_in')}?timed_out=1")
            # Written at most once a minute: enough for the idle limit, fewer writes.
            if now - last_seen_at >= 60 or LAST_SEEN_AT not in request.session:
                request.session[LAST_SEEN_AT] = now
        return self.get_response(request)


def _sent_by_the_page(request) -> bool:
    """The post came from Keywork's own form (the check every post gets before its
    view runs, which a timed-out one never reaches), by someone who had given their
    two-factor code."""

    def the_form(request):
        return None

    refused = CsrfViewMiddleware(the_form).process_view(request, the_form, (), {})
    return refused is None and bool(request.session.get(DEVICE_ID_SESSION_KEY))


def _kept_from(request) -> str | None:
    """A form sent just after the session timed out (a note written over half an hour)
    is not thrown away: the area it belongs to may keep it for the user (a file note as
    their draft), and says so."""
    if not _sent_by_the_page(request):
        return None
    for keep in contributed("kept_when_signed_out"):
        if said := keep(request, request.user):
            return said
    return None


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
