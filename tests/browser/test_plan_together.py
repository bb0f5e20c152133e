"""The support plan's other pages in Chromium: two people changing the plan at once,
needs and strengths, the ratings chart, the service's outcome figures; axe-core on each."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from keywork.outcomes.services import ratings_record
from keywork.planning import services
from keywork.planning.models import SupportPlan
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


def test_it_loses_neither_text_when_two_people_change_the_plan_at_once(world, page, new_page):
    episode = supported_person(world, "Lena", "Horne")
    plan = services.plan_start(actor=world.worker, episode=episode)
    colleague_page = new_page()
    sign_in(page, world.worker, TEST_PASSWORD)
    sign_in(colleague_page, world.colleague, TEST_PASSWORD)
    for p in (page, colleague_page):
        p.goto(f"/plans/{plan.pk}/edit/")
        assert_accessible(p)

    page.get_by_label("The person's comments").fill("Lena wants her sister at reviews")
    page.get_by_role("button", name="Save").click()
    expect_success(page, "Saved the plan.")

    colleague_page.get_by_label("The person's comments").fill("Lena prefers morning visits")
    colleague_page.get_by_role("button", name="Save").click()
    expect_error_summary(colleague_page, "Someone else changed this plan after you opened it")
    assert_accessible(colleague_page)
    # Both texts survive: the saved one is shown as the plan now is, the colleague's own
    # is still in the box, unsaved.
    expect(colleague_page.get_by_role("main")).to_contain_text("Lena wants her sister at reviews")
    expect(colleague_page.get_by_label("The person's comments")).to_have_value(
        "Lena prefers morning visits"
    )
    assert SupportPlan.objects.get().person_comments == "Lena wants her sister at reviews"

    colleague_page.get_by_label("The person's comments").fill(
        "Lena wants her sister at reviews. Lena prefers morning visits"
    )
    colleague_page.get_by_role("button", name="Save").click()
    expect_success(colleague_page, "Saved the plan.")
    assert SupportPlan.objects.get().person_comments.endswith("Lena prefers morning visits")


def test_it_assesses_needs_and_strengths_by_area_of_life(world, page: Page):
    episode = supported_person(world, "Omar", "Reyes")
    services.plan_start(actor=world.worker, episode=episode)
    sign_in(page, world.worker, TEST_PASSWORD)
    page.goto(f"/episodes/{episode.pk}/plan/")
    page.get_by_role("link", name=re.compile("^Needs and strengths")).click()
    expect(page.get_by_role("main")).to_contain_text("No assessment yet")
    assert_accessible(page)
    page.get_by_role("button", name="Assess needs and strengths").click()
    assert_accessible(page)
    money = page.get_by_role("group", name="Money", exact=True)
    money.get_by_label("In their words").fill("I never have enough by Friday")
    page.get_by_role("button", name="Save the assessment").click()
    expect_error_summary(page, "Choose the level of need for Money.")
    assert_accessible(page)
    money = page.get_by_role("group", name="Money", exact=True)
    money.get_by_label("Your view").fill("Paid fortnightly; no budget yet")
    money.get_by_label("Strengths to build on").fill("Keeps receipts")
    money.get_by_label("High").check()
    page.get_by_role("button", name="Save the assessment").click()
    expect_success(page, "Saved the assessment of needs and strengths.")
    expect(page.get_by_role("row", name=re.compile("^Money"))).to_contain_text("High")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(timezone.localdate().strftime("%-d %B %Y"))).click()
    expect(page.get_by_role("main")).to_contain_text("I never have enough by Friday")
    expect(page.get_by_role("main")).to_contain_text("Paid fortnightly; no budget yet")
    assert_accessible(page)


def test_it_shows_the_ratings_chart_and_the_service_figures(world, page: Page, new_page):
    today = timezone.localdate()
    plans = []
    for n, (first, latest) in enumerate([(3, 6), (5, 4), (2, 2), (4, 8), (6, 7)]):
        episode = supported_person(world, f"Person{n}", "Rated")
        plan = services.plan_start(actor=world.worker, episode=episode)
        money = plan.framework.domains.get(name="Money")
        for days_ago, score in ((12, first), (6, (first + latest) // 2), (1, latest)):
            ratings_record(
                actor=world.worker,
                episode=episode,
                framework=plan.framework,
                rated_on=today - timedelta(days=days_ago),
                rated_by="together",
                scores={money.pk: score},
            )
        plans.append(plan)
    sign_in(page, world.worker, TEST_PASSWORD)
    page.goto(f"/plans/{plans[0].pk}/outcomes/")
    chart = page.get_by_role("img", name=re.compile("^Ratings over time"))
    expect(chart).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("^Money"))).to_contain_text("+3")
    expect(page.get_by_role("row", name=re.compile("^Money"))).to_contain_text(
        uk_date(today - timedelta(days=12))
    )
    assert_accessible(page)

    manager = new_page()
    sign_in(manager, world.lead_manager, TEST_PASSWORD)
    manager.goto("/")
    manager.get_by_role("link", name=f"Outcomes in {world.service.name}").click()
    row = manager.get_by_role("row", name=re.compile("^Money"))
    # By hand: changes +3, -1, 0, +4, +1 = 7 over 5 people; 3 of 5 improved.
    expect(row).to_contain_text("+1.4")
    expect(row).to_contain_text("60%")
    assert_accessible(manager)
