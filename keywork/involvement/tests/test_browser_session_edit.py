"""In Chromium at phone and desktop widths: a worker corrects a residents' meeting
written the day before (a title left empty is said on its field, the date moved, notes
added), takes off someone added in error, then ticks off the meeting's action on My
tasks and is back there; the figures say a quarter typed wrong. Every page passes
axe-core, error states too."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from keywork.involvement import services
from keywork.testing.factories import TEST_PASSWORD
from tests.browser.helpers import (
    assert_accessible,
    expect_error_summary,
    expect_success,
    sign_in,
    supported_person,
    uk_date,
)

pytestmark = pytest.mark.browser


def _menu(page: Page, name: str) -> None:
    toggle = page.locator(".govuk-service-navigation__toggle")
    if toggle.is_visible():
        toggle.click()
    page.get_by_role("navigation", name="Menu").get_by_role("link", name=name).click()


@pytest.mark.parametrize("width", [375, 1280])
def test_it_corrects_a_meeting_and_ticks_its_action_off_on_my_tasks(world, new_page, width):
    today = timezone.localdate()
    meeting = services.session_record(
        actor=world.support_assistant,
        service=world.service,
        kind="residents_meeting",
        title="House meting",
        held_on=today - timedelta(days=2),
        decided="A kitchen rota.",
    )
    for first, last in (("Sam", "Abbott"), ("Sam", "Baker")):
        episode = supported_person(world, first, last, started=today - timedelta(days=40))
        services.participant_add(
            actor=world.support_assistant, session=meeting, person=episode.person, role="took_part"
        )
    services.involvement_action_add(
        actor=world.support_assistant,
        session=meeting,
        what="Put the rota up",
        owner=world.worker,
        due_on=today,
    )

    page = new_page(viewport={"width": width, "height": 900})
    sign_in(page, world.worker, TEST_PASSWORD)
    _menu(page, "Involvement")
    page.get_by_role("link", name="House meting").click()
    page.get_by_role("link", name=re.compile("Change the session")).click()
    expect(page.get_by_label("Title", exact=True)).to_have_value("House meting")
    assert_accessible(page)
    page.get_by_label("Title", exact=True).fill("")
    page.get_by_label("Held on").fill(uk_date(today + timedelta(days=1)))
    page.get_by_role("button", name="Save").click()
    expect_error_summary(page, "Enter the title", "Record a session once it has been held.")
    assert_accessible(page)
    page.get_by_label("Title", exact=True).fill("House meeting")
    page.get_by_label("Held on").fill(uk_date(today - timedelta(days=1)))
    page.get_by_label("Notes (optional)").fill("Eight came; the rota was agreed by all.")
    page.get_by_role("button", name="Save").click()
    expect_success(page, "Saved the changes to the session.")
    expect(page.get_by_role("heading", level=1)).to_have_text("House meeting")
    expect(page.locator("#session-notes")).to_contain_text("the rota was agreed by all")
    assert_accessible(page)

    page.get_by_role("link", name=re.compile("Take off Sam Baker")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Take Sam Baker off who took part?")
    assert_accessible(page)
    page.get_by_role("button", name="Take them off").click()
    expect_success(page, "Took Sam Baker off who took part.")
    expect(page.locator("#participants")).to_have_text(
        "Sam Abbott: took part · Take off Sam Abbott: added in error"
    )
    assert_accessible(page)

    _menu(page, "Tasks")
    actions = page.locator("#involvement-actions")
    expect(actions).to_contain_text("Due today")
    expect(actions).to_contain_text("Put the rota up")
    expect(actions.locator(".govuk-tag--yellow")).to_have_text("Due today")
    assert_accessible(page)
    actions.get_by_role("button", name=re.compile(r"Mark done.*Put the rota up")).click()
    expect_success(page, "Marked the action done.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your tasks")
    expect(page.locator("#involvement-actions")).to_have_count(0)
    assert_accessible(page)

    page.goto(f"/services/{world.service.pk}/involvement-figures/?quarter=2026-Q9")
    expect(page.locator("#quarter-error")).to_contain_text("Enter a quarter as a year")
    expect(page.locator("#involvement-figures tbody tr").first).to_contain_text("1")
    assert_accessible(page)
