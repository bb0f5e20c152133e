"""On a phone (375 px) and on a desktop, a senior practitioner records a course for a
worker (a future date refused, then saved) and reads the team's matrix, each cell said
in words; on the phone the matrix scrolls sideways inside its own box, the names kept
in view, and the page itself does not widen. axe finds nothing on the matrix or the
form, error states too."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from keywork.accounts.models import Role
from keywork.testing.factories import TEST_PASSWORD
from keywork.training import services
from tests.browser.helpers import assert_accessible, sign_in, uk_date

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    "viewport", [{"width": 375, "height": 812}, {"width": 1280, "height": 800}]
)
def test_it_records_training_and_shows_the_team_matrix(world, new_page, viewport):
    today = timezone.localdate()
    names = ["Safeguarding adults", "First aid", "Fire safety", "Food hygiene", "Lone working"]
    courses = [
        services.course_create(
            actor=world.admin,
            name=name,
            renewal_months=12,
            mandatory_for=[Role.SUPPORT_WORKER, Role.SUPPORT_ASSISTANT],
        )
        for name in names
    ]
    services.training_record_create(
        actor=world.admin,
        staff=world.colleague,
        course=courses[1],
        completed_on=today - timedelta(days=400),
    )
    page = new_page(viewport=viewport)
    sign_in(page, world.senior, TEST_PASSWORD)
    page.goto(f"/training/staff/{world.worker.pk}/record/")
    page.get_by_label("Course").select_option(label="Safeguarding adults")
    page.get_by_label("Completed on").fill(uk_date(today + timedelta(days=2)))
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("today or in the past")
    assert_accessible(page)
    page.get_by_label("Completed on").fill(uk_date(today - timedelta(days=10)))
    page.get_by_label("Hours").fill("6")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("Training recorded.")
    expires = today - timedelta(days=10)
    expect(page.locator("main")).to_contain_text(uk_date(expires.replace(year=expires.year + 1)))

    page.goto(f"/training/teams/{world.team.pk}/")
    table = page.locator(".kw-matrix table")
    expect(table).to_contain_text("Wendy Worker")
    worker_row = table.locator("tr", has_text="Wendy Worker")
    expect(worker_row).to_contain_text("Valid")
    expect(worker_row).to_contain_text("Missing")
    expect(table.locator("tr", has_text="Colin Colleague")).to_contain_text("Expired")
    expect(table.locator("tr", has_text="Sally Senior")).to_contain_text("Not required")
    assert_accessible(page)
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth,"
        " document.querySelector('.kw-matrix').scrollWidth,"
        " document.querySelector('.kw-matrix').clientWidth]"
    )
    page_width, window_width, table_width, box_width = widths
    assert page_width <= window_width
    if viewport["width"] == 375:
        assert table_width > box_width  # it scrolls, in its own box
        box = page.locator(".kw-matrix")
        box.evaluate("(el) => { el.scrollLeft = el.scrollWidth; }")
        name = worker_row.locator("th")
        name_box, region = name.bounding_box(), box.bounding_box()
        assert name_box is not None and region is not None
        assert abs(name_box["x"] - region["x"]) < 2  # held at the left edge
