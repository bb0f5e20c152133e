"""A lead manager searches the audit: changes made by one person, then sign-in events."""

import re

import pytest
from playwright.sync_api import Page, expect

from keywork.accounts.models import Role
from keywork.administration import services
from keywork.testing.factories import TEST_PASSWORD
from tests.browser.helpers import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def column(page: Page, table_name: str, index: int) -> list[str]:
    rows = page.get_by_role("table", name=table_name).locator("tbody tr")
    return [text.strip() for text in rows.locator(f"td:nth-child({index})").all_inner_texts()]


def test_it_lets_a_lead_manager_filter_the_audit_by_person_and_see_sign_in_events(world, page):
    # Something in the audit by a known person: the administrator invites someone.
    services.invitation_create(
        actor=world.admin,
        email="ian.invitee@keywork.test",
        full_name="Ian Invitee",
        role=Role.SUPPORT_WORKER,
        team=world.team,
    )
    lead = world.lead_manager
    sign_in(page, lead, TEST_PASSWORD)

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Audit").click()
    expect(page).to_have_url(re.compile(r"/audit/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit")
    changes = "Changes and views"
    expect(page.get_by_role("table", name=changes)).to_be_visible()
    # Unfiltered, records set up without a person (the set-up here) show as Keywork's.
    assert "Keywork" in column(page, changes, 2)
    assert_accessible(page)

    # Only what Adam Admin did.
    page.get_by_label("Who").select_option(label="Adam Admin")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(rf"[?&]user={world.admin.pk}(&|$)"))
    expect(page.get_by_label("Who")).to_have_value(str(world.admin.pk))
    expect(page.get_by_role("main")).to_contain_text("1 entry, newest first.")
    assert column(page, changes, 2) == ["Adam Admin"]
    assert column(page, changes, 3) == ["Created"]
    assert "Invitation for Ian Invitee" in column(page, changes, 4)[0]
    assert_accessible(page)

    # Her own sign-in, among the sign-in events.
    page.get_by_label("Who").select_option(label="Laura Lead")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("Nothing matches.")).to_be_visible()
    page.get_by_role("navigation", name="What to show").get_by_role(
        "link", name="Sign-in events"
    ).click()
    expect(page.get_by_label("Who")).to_have_value(str(lead.pk))
    what_to_show = page.get_by_role("navigation", name="What to show")
    expect(what_to_show.get_by_role("link", name="Sign-in events")).to_have_count(0)
    expect(what_to_show.get_by_role("link", name="Changes and views of records")).to_be_visible()
    events = "Sign-in events"
    expect(page.get_by_role("table", name=events)).to_be_visible()
    assert set(column(page, events, 2)) == {"Laura Lead"}
    assert "Signed in" in column(page, events, 3)
    expect(page.get_by_role("main")).to_contain_text(re.compile(r"\d+ events?, newest first\."))
    assert_accessible(page)


def test_it_shows_each_audit_row_whole_on_a_phone(world, new_page):
    services.invitation_create(
        actor=world.admin,
        email="ian.invitee@keywork.test",
        full_name="Ian Invitee",
        role=Role.SUPPORT_WORKER,
        team=world.team,
    )
    page = new_page(viewport={"width": 375, "height": 812})
    sign_in(page, world.lead_manager, TEST_PASSWORD)
    page.goto(f"/audit/?user={world.admin.pk}")
    row = page.get_by_role("table", name="Changes and views").locator("tbody tr").first
    record = row.locator("td").nth(3)
    expect(record).to_contain_text(
        re.compile(r"Record: Invitation \d+: Invitation for Ian Invitee")
    )
    box = record.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 375
    assert page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    assert_accessible(page)
