"""Helpers for the browser tests: axe-core checks, signing in, two-factor codes."""

import re
import time
from base64 import b32decode
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from keywork.testing.factories import supported_person  # noqa: F401 - the tests' own helper

ROOT = Path(__file__).resolve().parents[2]


@cache
def axe_source() -> str:
    # Read when a browser test first needs it, so that collecting the other tests does
    # not need npm's packages.
    return (ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")


# --- Accessibility ----------------------------------------------------------------------


def axe_violations(page: Page) -> list[dict]:
    # Injected by evaluate, not a <script> tag: the Content-Security-Policy allows only
    # scripts from the site itself, and evaluate is not subject to it.
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    return page.evaluate("async () => (await axe.run()).violations")


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{violation['helpUrl']}]"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}: {node['html'][:200]}")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """Runs axe-core on the page as it is now; fails listing each rule, impact and element."""
    violations = axe_violations(page)
    assert not violations, (
        f"axe found {len(violations)} accessibility violation(s) on {page.url}:\n"
        + describe_violations(violations)
    )


def assert_styled(page: Page) -> None:
    """The stylesheet loaded: the header has the brand colour and the skip link is hidden
    until focused (unstyled, both look like plain text at the top of the page)."""
    header = page.locator("header.kw-header")
    expect(header).to_be_visible()
    background = header.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent"), (
        f"the header has no background colour ({background}): is keywork.css loading?"
    )
    skip_link = page.get_by_role("link", name="Skip to main content")
    box = skip_link.bounding_box()
    assert box is None or box["width"] <= 1 or box["height"] <= 1, (
        "the skip link shows before it is focused: is keywork.css loading?"
    )


def assert_assets_load(page: Page) -> None:
    """Every stylesheet, script and image the page asked for arrived, and no script failed."""
    assert not page.failed_responses, f"requests failed on {page.url}:\n" + "\n".join(
        page.failed_responses
    )
    assert not page.console_errors, f"console errors on {page.url}:\n" + "\n".join(
        page.console_errors
    )


# --- Signing in -------------------------------------------------------------------------


def current_code(user) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return code_for_key(device.bin_key, last_used_step=device.last_t)


def code_for_key(key: bytes, *, last_used_step: int = -1) -> str:
    """The code an authenticator app shows now. django-otp accepts each 30-second step
    once, so if this key's current step was already used, wait for the next one."""
    while int(time.time()) // 30 <= last_used_step:
        time.sleep(0.2)
    return f"{totp(key):06d}"


def key_from_secret(secret_text: str) -> bytes:
    """The key bytes from the secret the set-up page shows in groups of four."""
    secret = re.sub(r"\s+", "", secret_text).upper()
    secret += "=" * (-len(secret) % 8)
    return b32decode(secret)


def sign_in_with_password(page: Page, email: str, password: str) -> None:
    page.goto("/sign-in/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Keywork")
    assert_accessible(page)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Continue").click()


def enter_code(page: Page, code: str, button: str = "Sign in") -> None:
    page.get_by_label("Code from your authenticator app").fill(code)
    page.get_by_role("button", name=button).click()


def sign_in(page: Page, user, password: str) -> None:
    """Password then code, as a person with a working authenticator app does it."""
    sign_in_with_password(page, user.email, password)
    expect(page).to_have_url(re.compile(r"/sign-in/two-factor/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Enter the code from your authenticator app"
    )
    assert_accessible(page)
    enter_code(page, current_code(user))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Hello, "))


def path_of(url: str) -> str:
    return urlsplit(url).path


# --- Casework ---------------------------------------------------------------------------


def uk_date(day: date) -> str:
    """A date as people type it into Keywork's forms: 14/02/1980."""
    return day.strftime("%d/%m/%Y")


def days_ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


def expect_error_summary(page: Page, *messages: str, error_title: bool = True) -> None:
    """The form came back with GOV.UK's error summary listing each message, and (unless
    error_title is False) the page title starts "Error:" so a screen reader user hears
    it first."""
    if error_title:
        expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    for message in messages:
        expect(summary).to_contain_text(message)


def expect_success(page: Page, message: str) -> None:
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(message)
