"""An administrator invites a support worker, who accepts, signs in for the first time
and sets up two-factor sign-in from the key shown on the page."""

import re
import time

import pytest
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from keywork.accounts.models import Role
from keywork.testing.factories import TEST_PASSWORD, staff
from tests.browser.helpers import (
    assert_accessible,
    code_for_key,
    enter_code,
    key_from_secret,
    path_of,
    sign_in,
    sign_in_with_password,
)

pytestmark = pytest.mark.browser

NEW_PASSWORD = "lantern-orchard-pebble-42"
SETUP_PATH = "/sign-in/set-up-two-factor/"


def read_key_from_setup_page(page: Page) -> bytes:
    """What someone without a camera does: opens "I cannot scan the code" and reads the key."""
    secret = page.locator("#totp-secret")
    expect(secret).to_be_hidden()
    page.get_by_text("I cannot scan the code").click()
    expect(secret).to_be_visible()
    expect(secret).to_have_text(re.compile(r"^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$"))
    return key_from_secret(secret.inner_text())


def a_wrong_code(key: bytes) -> str:
    """A well-formed code that no nearby time step of this key would accept."""
    accepted = {f"{totp(key, drift=steps):06d}" for steps in (-2, -1, 0, 1, 2)}
    return next(c for c in ("000000", "123456", "654321", "999999") if c not in accepted)


def test_it_lets_an_invited_support_worker_set_up_their_account_and_two_factor(
    world, page, new_page, outbox
):
    admin = world.admin
    sign_in(page, admin, TEST_PASSWORD)

    # The administrator goes to the staff list through the menu and invites someone.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Staff").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff")
    expect(page.get_by_text("No invitations are waiting.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Invite a member of staff").click()

    expect(page).to_have_url(re.compile(r"/staff/invite/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Invite a member of staff")
    assert_accessible(page)
    page.get_by_label("Full name").fill("Nadia Newstart")
    page.get_by_label("Work email address").fill("Nadia.Newstart@keywork.test")
    page.get_by_role("group", name="Role").get_by_role(
        "radio", name="Support worker", exact=True
    ).check()
    page.get_by_label("Team", exact=True).select_option(label="House team")
    page.get_by_role("button", name="Send invitation").click()

    # Back on the staff list: a confirmation, and the invitation waiting.
    expect(page).to_have_url(re.compile(r"/staff/$"))
    expect(page.get_by_role("alert")).to_contain_text(
        "Invitation sent to nadia.newstart@keywork.test. The link works for 7 days, once."
    )
    waiting = page.get_by_role("table", name="Invitations not yet accepted")
    expect(waiting.get_by_role("row").filter(has_text="Nadia Newstart")).to_contain_text(
        "Support worker in House team"
    )
    assert_accessible(page)

    # The email reaches the invitee with a link to set up the account.
    assert len(outbox) == 1
    email = outbox[0]
    assert email.to == ["nadia.newstart@keywork.test"]
    assert "Adam Admin has invited you to Keywork at Harbour Housing" in email.body
    link = re.search(r"https?://\S+/invitations/\S+/", email.body)
    assert link, f"no invitation link in the email:\n{email.body}"

    # The invitee opens the link in their own browser.
    invitee = new_page()
    invitee.goto(path_of(link.group(0)))
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Set up your Keywork account")
    details = invitee.locator("dl.govuk-summary-list")
    expect(details).to_contain_text("Nadia Newstart")
    expect(details).to_contain_text("nadia.newstart@keywork.test")
    expect(details).to_contain_text("Support worker in House team")
    assert_accessible(invitee)
    invitee.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    invitee.get_by_label("Type the new password again", exact=True).fill(NEW_PASSWORD)
    invitee.get_by_role("button", name="Create account").click()

    expect(invitee).to_have_url(re.compile(r"/sign-in/$"))
    expect(invitee.get_by_role("alert")).to_contain_text("Your account is ready.")
    assert_accessible(invitee)

    # First sign-in: the password, then setting up the authenticator app.
    sign_in_with_password(invitee, "nadia.newstart@keywork.test", NEW_PASSWORD)
    expect(invitee).to_have_url(re.compile(re.escape(SETUP_PATH)))
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    expect(invitee.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    assert_accessible(invitee)
    key = read_key_from_setup_page(invitee)
    assert_accessible(invitee)
    enter_code(invitee, code_for_key(key), button="Confirm")

    expect(invitee).to_have_url(re.compile(r"/$"))
    expect(invitee.get_by_role("alert")).to_contain_text("Two-factor sign-in is set up.")
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Hello, Nadia")
    expect(invitee.get_by_role("main")).to_contain_text(
        "You are signed in as support worker in House team."
    )
    expect(invitee.get_by_role("main")).to_contain_text("Wendy Worker")
    assert_accessible(invitee)

    # The administrator sees the invitation has gone from the waiting list.
    page.reload()
    expect(page.get_by_text("No invitations are waiting.")).to_be_visible()
    expect(
        page.get_by_role("table", name="Staff", exact=True).get_by_role(
            "link", name="Nadia Newstart"
        )
    ).to_be_visible()
    assert_accessible(page)


def test_it_shows_the_error_for_a_wrong_code_on_the_set_up_page_and_a_right_one_still_works(
    world, page
):
    newcomer = staff(
        role=Role.SUPPORT_WORKER,
        team=world.team,
        full_name="Nadia Newstart",
        with_authenticator=False,
    )
    sign_in_with_password(page, newcomer.email, TEST_PASSWORD)
    expect(page).to_have_url(re.compile(re.escape(SETUP_PATH)))
    key = read_key_from_setup_page(page)

    enter_code(page, a_wrong_code(key), button="Confirm")

    expect(page).to_have_url(re.compile(re.escape(SETUP_PATH)))
    expect(page).to_have_title("Error: Set up two-factor sign-in – Keywork")
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("alert")).to_contain_text("There is a problem")
    summary_link = summary.get_by_role("link", name=re.compile("That code does not match"))
    expect(summary_link).to_have_attribute("href", "#id_code")
    code_field = page.get_by_label("Code from your authenticator app")
    expect(code_field).to_have_accessible_description(
        re.compile(r"The 6-digit code your app shows now\.\s*Error:\s*That code does not match")
    )
    # The same key is offered again, so the account already added in the app still works.
    assert read_key_from_setup_page(page) == key
    assert_accessible(page)

    # django-otp throttles a device for a second after a wrong code.
    time.sleep(1.2)
    enter_code(page, code_for_key(key), button="Confirm")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Nadia")
    assert_accessible(page)
