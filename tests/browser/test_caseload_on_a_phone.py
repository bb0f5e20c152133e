"""My caseload and the team caseload on a phone and on a desktop: no sideways scroll, and
the first person's red, amber and green items in view without scrolling sideways."""

import pytest
from playwright.sync_api import Page, expect

from keywork.testing.factories import TEST_PASSWORD, supported_person
from tests.browser.helpers import assert_accessible, sign_in

pytestmark = pytest.mark.browser

VIEWPORTS = {"375px": {"width": 375, "height": 812}, "1280px": {"width": 1280, "height": 800}}


def no_sideways_scroll(page: Page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def tags_in_view_of(page: Page, row) -> list[str]:
    """The tags of a row that sit inside the window's width as the page is."""
    width = page.viewport_size["width"]
    shown = []
    for tag in row.locator(".govuk-tag, .moj-badge").all():
        box = tag.bounding_box()
        if box and box["x"] >= 0 and box["x"] + box["width"] <= width:
            shown.append(tag.inner_text())
    return shown


@pytest.mark.parametrize("size", VIEWPORTS)
def test_it_shows_my_caseload_whole_on_a_phone_and_a_desktop(world, new_page, size):
    for first_name in ("Ada", "Ben", "Cy"):
        supported_person(world, first_name, "Caseload")
    page = new_page(viewport=VIEWPORTS[size])
    sign_in(page, world.worker, TEST_PASSWORD)
    page.goto("/caseload/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My caseload")
    assert no_sideways_scroll(page)
    first = page.locator("table.kw-caseload tbody tr").first
    expect(first).to_contain_text("Ada Caseload")
    # File note due, plan review and risk: every tag of the row, in view.
    tags = first.locator(".govuk-tag, .moj-badge")
    assert tags.count() >= 3
    assert tags_in_view_of(page, first) == [t.inner_text() for t in tags.all()]
    if size == "375px":
        # On a phone each value says which column it is.
        expect(first).to_contain_text("File note due:")
        expect(first).to_contain_text("Risk review due:")
    assert_accessible(page)


@pytest.mark.parametrize("size", VIEWPORTS)
def test_it_shows_the_team_caseload_whole_on_a_phone_and_a_desktop(world, new_page, size):
    supported_person(world, "Dee", "Teamcase")
    page = new_page(viewport=VIEWPORTS[size])
    sign_in(page, world.senior, TEST_PASSWORD)
    page.goto(f"/teams/{world.team.pk}/caseload/")
    assert no_sideways_scroll(page)
    first = page.locator("table.kw-caseload tbody tr").first
    expect(first).to_contain_text("Dee Teamcase")
    tags = first.locator(".govuk-tag, .moj-badge")
    assert tags_in_view_of(page, first) == [t.inner_text() for t in tags.all()]
    assert_accessible(page)
