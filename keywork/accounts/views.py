from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from keywork.accounts import selectors, services
from keywork.accounts.forms import (
    CodeForm,
    ConfirmPasswordForm,
    NewPasswordForm,
    SignInForm,
)
from keywork.accounts.guards import signed_in_required
from keywork.accounts.middleware import KEPT_AT_SIGN_OUT
from keywork.core.pages import next_page

WRONG_CREDENTIALS = (
    "Enter a correct email address and password. "
    "After 10 wrong tries the account is locked for 30 minutes."
)
LOCKED_OUT = (
    "Too many wrong tries for this email address. Sign-in is locked for 30 minutes. "
    "If you need help sooner, ask your administrator."
)
REAUTHENTICATION_LOCKED = (
    "Too many wrong passwords. You cannot confirm your password for 30 minutes, "
    "and signing in with this email address from here is locked for as long. "
    "If you need help sooner, ask your administrator."
)


def _too_many_tries_from_address(minutes: int) -> str:
    wait = "1 minute" if minutes == 1 else f"{minutes} minutes"
    return (
        f"Too many tries from this address: wait {wait}, then try again. "
        "If you need help sooner, ask your administrator."
    )


def _next(request) -> str:
    """The page to go on to after signing in: the one asked for, else the home page."""
    return next_page(request, reverse("home:home"))


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request):
    if request.user.is_authenticated and request.user.is_verified():
        return redirect(_next(request))
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.sign_in_check_password(
                request=request,
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
            )
        except services.TooManyTriesFromAddress as error:
            response = render(
                request,
                "accounts/sign_in.html",
                {
                    "form": SignInForm(initial={"email": form.cleaned_data["email"]}),
                    "locked_out": _too_many_tries_from_address(error.minutes),
                    "next": request.POST.get("next", ""),
                },
                status=429,
            )
            response["Retry-After"] = str(error.minutes * 60)
            return response
        if user is not None:
            target = "accounts:two_factor_verify"
            if selectors.two_factor_device_of(user) is None:
                target = "accounts:two_factor_setup"
            # Encoded, so that a next page with its own query string arrives whole.
            return redirect(f"{reverse(target)}?{urlencode({'next': _next(request)})}")
        form.add_error(None, WRONG_CREDENTIALS)
    return render(
        request,
        "accounts/sign_in.html",
        {
            "form": form,
            "next": request.GET.get("next", ""),
            "timed_out": request.GET.get("timed_out") == "1",
            "kept_at_sign_out": request.session.pop(KEPT_AT_SIGN_OUT, None),
        },
    )


def locked_out(request, original_response=None, credentials=None):
    """django-axes calls this when an email address is locked: the same answer whether
    or not an account has that address. A page that has answered the lock itself (with
    429) keeps its own answer."""
    if original_response is not None and original_response.status_code == 429:
        return original_response
    email = (credentials or {}).get("email", "") or request.POST.get("email", "")
    services.sign_in_locked_out(request=request, email=email.strip().lower())
    form = SignInForm(initial={"email": email})
    form.is_bound = False
    return render(
        request, "accounts/sign_in.html", {"form": form, "locked_out": LOCKED_OUT}, status=429
    )


@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    user = request.user
    if not user.is_authenticated:
        return redirect("accounts:sign_in")
    if user.is_verified():
        return redirect(_next(request))
    if selectors.two_factor_device_of(user) is None:
        return redirect("accounts:two_factor_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.two_factor_verify(request=request, user=user, code=form.cleaned_data["code"]):
            return redirect(_next(request))
        form.add_error(
            "code",
            "That code is wrong or has been used. "
            "Wait for your app to show a new code and enter it.",
        )
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _next(request)}
    )


def _qr_svg(device) -> str:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    svg = image.to_string(encoding="unicode")
    # The SVG is made here from our own data: it carries no user input but the URI.
    return mark_safe(  # noqa: S308
        svg.replace("<svg ", '<svg role="img" aria-label="QR code for your authenticator app" ', 1)
    )


def _secret_for_typing(device) -> str:
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """First sign-in: the user scans a QR code and proves it works with one code."""
    user = request.user
    if not user.is_authenticated:
        return redirect("accounts:sign_in")
    if user.is_verified() or selectors.two_factor_device_of(user) is not None:
        # Replacing a working authenticator needs the password again: see two_factor_reset.
        return (
            redirect("accounts:two_factor_verify")
            if not user.is_verified()
            else redirect("home:home")
        )
    return _two_factor_setup_page(request, services.two_factor_setup_start(user=user))


def _two_factor_setup_page(request, device, replacing: bool = False):
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.two_factor_setup_confirm(
            request=request, user=request.user, code=form.cleaned_data["code"]
        ):
            messages.success(request, "Two-factor sign-in is set up.")
            return redirect(_next(request) if not replacing else "accounts:account")
        form.add_error(
            "code", "That code does not match. Check the app shows Keywork and try the newest code."
        )
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr": _qr_svg(device),
            "secret": _secret_for_typing(device),
            "replacing": replacing,
            "next": _next(request),
        },
    )


@require_POST
def sign_out(request):
    services.sign_out(request=request)
    messages.success(request, "You have signed out.")
    return redirect("accounts:sign_in")


# --- Your account -----------------------------------------------------------------------


@signed_in_required
def account(request):
    return render(
        request,
        "accounts/account.html",
        {"memberships": selectors.memberships_of(request.user)},
    )


@sensitive_post_parameters("password")
@signed_in_required
@require_http_methods(["GET", "POST"])
def confirm_password(request):
    targets = {"password": "accounts:password_change", "two-factor": "accounts:two_factor_reset"}
    then = request.GET.get("then") if request.GET.get("then") in targets else "password"
    form = ConfirmPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if services.reauthenticate(request=request, password=form.cleaned_data["password"]):
                return redirect(targets[then])
        except services.ReauthenticationLocked:
            return render(
                request,
                "accounts/confirm_password.html",
                {"form": ConfirmPasswordForm(), "then": then, "locked": REAUTHENTICATION_LOCKED},
                status=429,
            )
        form.add_error("password", "That password is not right")
    return render(request, "accounts/confirm_password.html", {"form": form, "then": then})


@sensitive_post_parameters("new_password", "confirm_password")
@signed_in_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    if not services.recently_reauthenticated(request):
        return redirect(f"{reverse('accounts:confirm_password')}?then=password")
    form = NewPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                request=request, new_password=form.cleaned_data["new_password"]
            )
        except ValidationError as error:
            form.add_error("new_password", error)
        except PermissionDenied:
            return redirect(f"{reverse('accounts:confirm_password')}?then=password")
        else:
            messages.success(request, "Your password has changed. Your other sign-ins have ended.")
            return redirect("accounts:account")
    return render(request, "accounts/password_change.html", {"form": form})


@signed_in_required
@require_http_methods(["GET", "POST"])
def two_factor_reset(request):
    if not services.recently_reauthenticated(request):
        return redirect(f"{reverse('accounts:confirm_password')}?then=two-factor")
    device = services.two_factor_reset_start(request=request)
    return _two_factor_setup_page(request, device, replacing=True)


# --- Invitations ----------------------------------------------------------------------------


@sensitive_post_parameters("new_password", "confirm_password")
@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token: str):
    try:
        invitation = services.invitation_open_by_token(token)
    except services.InvitationNotValid:
        return render(request, "accounts/invitation_invalid.html", status=404)
    except services.InvitationExpired:
        return render(request, "accounts/invitation_expired.html", status=410)
    except services.InvitationAddressInUse:
        return render(request, "accounts/invitation_address_in_use.html", status=409)
    if request.user.is_authenticated:
        services.sign_out(request=request)
    form = NewPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(token=token, password=form.cleaned_data["new_password"])
        except ValidationError as error:
            form.add_error("new_password", error)
        except (services.InvitationNotValid, services.InvitationExpired):
            return render(request, "accounts/invitation_invalid.html", status=404)
        except services.InvitationAddressInUse:
            return render(request, "accounts/invitation_address_in_use.html", status=409)
        else:
            messages.success(
                request,
                "Your account is ready. Sign in, then set up two-factor sign-in "
                "with an authenticator app.",
            )
            return redirect("accounts:sign_in")
    return render(
        request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation}
    )
