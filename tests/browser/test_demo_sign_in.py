"""A demo support worker signs in with their password and authenticator code."""

import re

import pytest
from playwright.sync_api import expect

from keywork.accounts.models import User
from keywork.demo.seed import DEMO_PASSWORD, seed_demo
from tests.browser.helpers import (
    assert_accessible,
    assert_styled,
    current_code,
    enter_code,
    sign_in_with_password,
)

pytestmark = pytest.mark.browser

EMAIL = "support.worker@harbourside.example"


def test_it_signs_a_demo_support_worker_in_to_their_home_page(page):
    seed_demo()
    priya = User.objects.get(email=EMAIL)

    sign_in_with_password(page, EMAIL, DEMO_PASSWORD)
    assert_styled(page)

    # The password was right, so the second step asks for the code, not the password again.
    expect(page).to_have_url(re.compile(r"/sign-in/two-factor/\?next=(/|%2F)$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Enter the code from your authenticator app"
    )
    assert_accessible(page)
    enter_code(page, current_code(priya))

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page).to_have_title("Home – Keywork")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Priya")
    main = page.get_by_role("main")
    expect(main).to_contain_text("You are signed in as support worker in Montpelier house team.")
    expect(main.get_by_role("heading", name="Your team")).to_be_visible()
    expect(main).to_contain_text("Montpelier house team works in Montpelier Recovery House.")
    # Her colleagues are listed; staff of other teams and organisations are not.
    expect(main).to_contain_text("Tom Okafor")
    expect(main).not_to_contain_text("Sam Price")
    expect(main).not_to_contain_text("Kemi Adeyemi")
    # The header names her organisation and links to her account.
    header = page.locator("header")
    expect(header).to_contain_text("Harbourside Housing and Recovery")
    expect(header.get_by_role("link", name="Priya Shah (your account)")).to_be_visible()
    expect(page.get_by_role("navigation", name="Menu").get_by_role("link")).to_have_text(
        [
            "Home",
            "My caseload",
            "People",
            "Appointments",
            "Tasks",
            "Events and groups",
            "On call",
            "Supervision",
            "Search notes",
            "Incidents",
            "Notices and leaflets",
            "Involvement",
            "Complaints",
            "Training",
        ]
    )
    assert_styled(page)
    assert_accessible(page)
