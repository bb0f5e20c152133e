"""The rest of the casework pages, as a support worker uses them: search results, the
waiting list, adding an alert (and its banner), changing details, notifications, and My
caseload on a phone. Each shows what it should and passes axe-core, error states too."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from keywork.people import services
from keywork.testing.factories import TEST_PASSWORD
from tests.browser.helpers import (
    assert_accessible,
    days_ago,
    expect_error_summary,
    expect_success,
    sign_in,
    supported_person,
    uk_date,
)

pytestmark = pytest.mark.browser

PHONE_WIDTH = 375
LONG_NAME = ("Maximiliana", "Wolfeschlegelsteinhausen-Bergerdorff")


def menu(page: Page, name: str):
    return page.get_by_role("navigation", name="Menu").get_by_role("link", name=name)


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def page_and_window_widths(page: Page) -> tuple[int, int]:
    return tuple(
        page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
    )


def test_it_shows_what_the_other_casework_pages_should_and_passes_axe(world, page):
    # Someone waiting for Harbour House, referred three days ago.
    eve = services.person_create(
        actor=world.worker,
        first_name="Eve",
        last_name="Evans",
        date_of_birth=date(1991, 5, 2),
    )
    services.referral_create(
        actor=world.worker,
        person=eve,
        service=world.service,
        received_on=days_ago(3),
        source="hospital",
        reason="Ready for discharge, no address.",
    )
    # Two people on her caseload, one of them allocated to her by a colleague (which
    # notifies her), one with a long name for the phone check.
    frank = supported_person(
        world, "Frank", "Fisher", key_worker=world.worker, recorded_by=world.colleague
    ).person
    supported_person(world, *LONG_NAME, key_worker=world.worker)
    sign_in(page, world.worker, TEST_PASSWORD)

    # Search, with a result.
    menu(page, "People").click()
    page.get_by_label("Find a person").fill("evans")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/people/\?q=evans$"))
    expect(page.get_by_role("heading", level=2)).to_have_text("1 result")
    result = page.locator(".kw-results__item")
    expect(result.get_by_role("link")).to_have_text("Eve Evans")
    expect(result).to_contain_text(f"Record {eve.pk} · born 02/05/1991")
    expect(page.get_by_label("Find a person")).to_have_value("evans")
    assert_accessible(page)

    # The waiting list, from My caseload.
    menu(page, "My caseload").click()
    page.get_by_role("link", name="Harbour House").click()
    expect(page).to_have_url(re.compile(rf"/services/{world.service.pk}/waiting-list/$"))
    expect(heading(page)).to_have_text("Waiting list")
    rows = page.get_by_role("table", name="Open referrals, oldest first").locator("tbody tr")
    expect(rows).to_have_count(1)
    cells = [t.strip() for t in rows.first.locator("td").all_inner_texts()]
    assert cells == ["Eve Evans", uk_date(days_ago(3)), "3", "Hospital", "New"], cells
    assert_accessible(page)

    # An alert on Frank Fisher's record: the form, its error state, then the banner.
    menu(page, "My caseload").click()
    page.get_by_role("link", name="Frank Fisher").click()
    expect(page).to_have_url(re.compile(rf"/people/{frank.pk}/$"))
    expect(page.get_by_role("region", name="Alert")).to_have_count(0)
    page.get_by_role("button", name="More actions").click()  # MOJ's button menu
    page.get_by_role("link", name="Add an alert").click()
    expect(page.get_by_role("heading", level=2, name="Add an alert")).to_be_visible()
    expect(page.get_by_role("radio", name="Warning")).to_be_checked()
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    expect_error_summary(page, "Enter the alert")
    assert_accessible(page)
    page.get_by_label("Alert", exact=True).fill("Has a dog: visit in pairs")
    page.get_by_role("radio", name="Danger").check()
    review_by = timezone.localdate() + timedelta(days=90)
    page.get_by_label("Review by").fill(uk_date(review_by))
    page.get_by_role("button", name="Save").click()
    expect(heading(page)).to_have_text("Frank Fisher")
    expect_success(page, "Saved.")
    banner = page.get_by_role("region", name="Alert")
    expect(banner).to_have_count(1)
    review = f"{review_by.day} {review_by:%b %Y}"
    expect(banner).to_have_text(
        re.compile(rf"^\s*Danger:\s+Has a dog: visit in pairs\s+\(review by {review}\)\s*$")
    )
    assert_accessible(page)

    # Change details: the banner shows here too; a change saves.
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("link", name="Change details").click()
    expect(page.get_by_role("heading", level=2, name="Change their details")).to_be_visible()
    expect(page.get_by_role("region", name="Alert")).to_contain_text("Has a dog: visit in pairs")
    expect(page.get_by_label("First name")).to_have_value("Frank")
    assert_accessible(page)
    page.get_by_label("Email").fill("not an email")
    page.get_by_role("button", name="Save").click()
    expect_error_summary(page, "Enter an email address like name@example.org")
    assert_accessible(page)
    page.get_by_label("Email").fill("")
    page.get_by_label("Phone").fill("07700 900123")
    page.get_by_role("button", name="Save").click()
    expect_success(page, "Saved the changes.")
    expect(page.locator(".govuk-summary-list__row", has_text="Phone")).to_contain_text(
        "07700 900123"
    )

    # Notifications, from the home page.
    menu(page, "Home").click()
    page.get_by_role("link", name="All notifications").click()
    expect(heading(page)).to_have_text("Notifications")
    item = page.locator(".kw-results__item")
    expect(item).to_have_count(1)
    expect(item.get_by_role("link")).to_have_text(
        "You are now key worker for Frank Fisher in Harbour House."
    )
    expect(item.locator(".govuk-tag")).to_have_text("New")
    assert_accessible(page)
    page.get_by_role("button", name="Mark all as read").click()
    expect(item).to_have_count(1)
    expect(item.locator(".govuk-tag")).to_have_count(0)

    # My caseload on a phone: the table scrolls inside its box, the page does not.
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 667})
    page.goto("/caseload/")
    expect(heading(page)).to_have_text("My caseload")
    table = page.get_by_role("table", name="The people you support")
    expect(table.get_by_role("rowheader")).to_have_text(["Frank Fisher", " ".join(LONG_NAME)])
    frank_row = table.get_by_role("row").filter(has_text="Frank Fisher")
    expect(frank_row.locator(".govuk-tag--red")).to_have_text("1 alert")
    page_width, window_width = page_and_window_widths(page)
    assert page_width <= window_width == PHONE_WIDTH, (
        f"My caseload scrolls sideways on a phone: the page is {page_width}px wide "
        f"in a {window_width}px window"
    )
    scroller = page.locator(".kw-table-scroll").filter(has=table)
    expect(scroller).to_have_count(1)
    expect(scroller).to_have_attribute("tabindex", "0")
    box = scroller.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH, box
    table_width = table.evaluate("el => el.scrollWidth")
    scroll_width, client_width = scroller.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert table_width <= client_width or scroll_width > client_width, (
        "the table is wider than its box but the box does not scroll"
    )
    assert_accessible(page)
