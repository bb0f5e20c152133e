"""In Chromium at phone and desk widths: adding a plan action lands on it, each action
says its status once, the worker ticks a plan action off from Tasks without any script,
and a capped list of incidents says so and pages through the rest; axe on every page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from keywork.planning import services
from keywork.risk import selectors as risk_selectors
from keywork.risk.models import Incident
from keywork.risk.services import incident_report
from keywork.testing.factories import TEST_PASSWORD, supported_person
from tests.browser.helpers import assert_accessible, expect_success, sign_in, uk_date

pytestmark = pytest.mark.browser
VIEWPORTS = [{"width": 375, "height": 812}, {"width": 1280, "height": 800}]


def _fits(page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_it_lands_on_the_new_action_and_ticks_it_off_from_tasks(world, new_page, viewport):
    episode = supported_person(world, "Ada", "Action")
    plan = services.plan_start(actor=world.worker, episode=episode)
    for i in range(4):
        services.goal_add(
            actor=world.worker,
            plan=plan,
            domain=plan.framework.domains.first(),
            in_own_words=f"Goal number {i}",
        )
    page = new_page(viewport=viewport)
    sign_in(page, world.worker, TEST_PASSWORD)
    page.goto(f"/plans/{plan.pk}/")
    page.get_by_role("link", name=re.compile("^Add an action")).last.click()
    page.get_by_label("What will be done").fill("Sort out the gas bill")
    page.get_by_label("A worker").check()
    page.get_by_label("Which worker").select_option(label="Wendy Worker")
    page.get_by_label("Due by").fill(uk_date(timezone.localdate() + timedelta(days=7)))
    page.get_by_role("button", name="Save").click()
    expect_success(page, "Added the action.")
    action = plan.goals.last().actions.get()
    assert page.url.endswith(f"#action-{action.pk}")
    item = page.locator(f"#action-{action.pk}")
    expect(item).to_contain_text("Sort out the gas bill")
    expect(item.get_by_text("Not started")).to_have_count(1)
    assert _fits(page)
    assert_accessible(page)

    page.goto("/tasks/")
    page.get_by_role("button", name=re.compile("^Mark done.*gas bill")).click()
    expect_success(page, "Done: Sort out the gas bill")
    expect(page.get_by_role("main")).to_contain_text("No open actions.")
    assert _fits(page)
    assert_accessible(page)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_it_says_a_list_of_incidents_is_capped_and_pages_through_it(
    world, new_page, viewport, monkeypatch
):
    person = supported_person(world, "Ivy", "Incident").person
    for hours in range(6):
        incident_report(
            actor=world.worker,
            service=world.service,
            type="other",
            severity="low",
            occurred_at=timezone.now() - timedelta(hours=hours + 1),
            place="Lounge",
            what_happened="Row",
            immediate_action="Talked",
            people=[person],
        )
    Incident.objects.update(signed_off_at=timezone.now(), signed_off_by=world.lead_manager)
    monkeypatch.setattr(risk_selectors, "RECENT_SHOWN", 2)
    monkeypatch.setattr(risk_selectors, "LIST_PAGE_SIZE", 4)
    page = new_page(viewport=viewport)
    sign_in(page, world.lead_manager, TEST_PASSWORD)
    page.goto("/incidents/")
    expect(page.get_by_role("main")).to_contain_text("Showing the latest 2 of 6 signed off.")
    assert_accessible(page)
    page.get_by_role("link", name="See all 6 signed off").click()
    expect(page.get_by_role("main")).to_contain_text("Showing 1 to 4 of 6")
    assert _fits(page)
    assert_accessible(page)
    page.get_by_role("link", name="Older").click()
    expect(page.get_by_role("main")).to_contain_text("Showing 5 to 6 of 6")
    assert_accessible(page)
