"""The organisation set-up pages an administrator uses, and a worker's account page:
each shows what it should and passes axe-core, including a form's error state."""

import re

import pytest
from playwright.sync_api import expect

from keywork.testing.factories import TEST_PASSWORD
from tests.browser.helpers import assert_accessible, assert_assets_load, assert_styled, sign_in

pytestmark = pytest.mark.browser


def test_it_shows_the_organisation_set_up_page_accessibly(world, page):
    sign_in(page, world.admin, TEST_PASSWORD)
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Organisation set-up"
    ).click()
    expect(page).to_have_url(re.compile(r"/organisation/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisation set-up")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Harbour Housing")
    # Only this organisation's areas, services and teams.
    services = page.get_by_role("table", name="Services and their recording standards")
    expect(services).to_contain_text("Harbour House")
    expect(services).to_contain_text("Harbour Floating")
    expect(services).not_to_contain_text("Elsewhere Hostel")
    expect(page.get_by_role("table", name="Teams")).to_contain_text("House team")
    expect(page.get_by_role("table", name="Areas")).to_contain_text("Bristol")
    expect(page.get_by_role("button", name="Archive Harbour House")).to_be_visible()
    assert_styled(page)
    assert_accessible(page)


def test_it_adds_a_service_including_the_error_state_accessibly(world, page):
    sign_in(page, world.admin, TEST_PASSWORD)
    page.goto("/organisation/services/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a service")
    expect(page.get_by_role("link", name="Back to organisation set-up")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Save").click()
    expect(page).to_have_title(re.compile(r"^Error: Add a service"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link")).not_to_have_count(0)
    assert_accessible(page)

    page.get_by_label("Name").fill("Harbour Day Centre")
    page.get_by_role("radio", name="Day service").check()
    page.get_by_label("Council area").select_option(label="Bristol")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/organisation/$"))
    expect(page.get_by_role("alert")).to_contain_text("Added the service.")
    expect(
        page.get_by_role("table", name="Services and their recording standards")
    ).to_contain_text("Harbour Day Centre")
    assert_accessible(page)


def test_it_shows_a_worker_their_account(world, page):
    sign_in(page, world.worker, TEST_PASSWORD)
    page.locator("header").get_by_role("link", name="Wendy Worker (your account)").click()
    expect(page).to_have_url(re.compile(r"/account/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    details = page.locator("dl.govuk-summary-list")
    expect(details).to_contain_text(world.worker.email)
    expect(details).to_contain_text("Harbour Housing")
    expect(details).to_contain_text("Support worker, House team")
    expect(page.get_by_role("link", name="Change password")).to_be_visible()
    expect(
        page.get_by_role("link", name="Move to a new phone (two-factor sign-in)")
    ).to_be_visible()
    # A worker's menu has no staff, set-up or audit pages.
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


def test_it_loads_every_stylesheet_and_script(world, page):
    """The built assets match the templates: a missing script silently loses GOV.UK
    Frontend's behaviours (skip-link focus, error summary focus, the phone menu)."""
    page.goto("/sign-in/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Keywork")
    assert_accessible(page)
    assert_assets_load(page)
    sign_in(page, world.admin, TEST_PASSWORD)
    assert_assets_load(page)
    assert page.evaluate("() => typeof window.GOVUKFrontend === 'object'"), (
        "GOV.UK Frontend did not load"
    )
