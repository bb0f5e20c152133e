"""A support plan written with the person, in Chromium: start it, add a goal in their
words and an action, record their agreement; axe-core on every page and error state."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from keywork.planning.models import PlanVersion
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


def test_it_lets_a_worker_write_and_agree_a_support_plan(world, page: Page):
    episode = supported_person(world, "Lena", "Horne")
    sign_in(page, world.worker, TEST_PASSWORD)
    page.goto(f"/people/{episode.person_id}/")
    page.get_by_role("link", name=re.compile("^Support plan")).click()
    assert_accessible(page)
    page.get_by_role("button", name="Start the support plan").click()
    expect(page.get_by_role("main")).to_contain_text("No goals yet")
    assert_accessible(page)

    page.get_by_role("button", name="Add a goal").click()
    page.get_by_role("button", name="Save").click()
    expect_error_summary(page, "Choose the area of life")
    assert_accessible(page)
    page.get_by_label("Area of life").select_option(label="Learning, work and activity")
    page.get_by_label("The goal, in their own words").fill("I want to get back into cooking work")
    page.get_by_role("button", name="Save").click()
    expect_success(page, "Added the goal.")
    expect(page.get_by_role("main")).to_contain_text("“I want to get back into cooking work”")

    page.get_by_role("link", name=re.compile("^Add an action")).click()
    page.get_by_label("What will be done").fill("Find a food hygiene course")
    page.get_by_label("A worker").check()
    page.get_by_role("button", name="Save").click()
    expect_error_summary(page, "Choose the worker who will do it")
    assert_accessible(page)
    page.get_by_label("Which worker").select_option(label="Wendy Worker")
    page.get_by_label("Due by").fill(uk_date(timezone.localdate() + timedelta(days=14)))
    page.get_by_role("button", name="Save").click()
    expect_success(page, "Added the action.")
    expect(page.get_by_role("main")).to_contain_text("Find a food hygiene course · Wendy Worker")
    assert_accessible(page)

    page.get_by_role("link", name="Record agreement").click()
    page.get_by_label("Signed on paper").check()
    page.get_by_label("Their comments").fill("Happy with this.")
    page.get_by_role("button", name="Save").click()
    expect_success(page, "Recorded their agreement. This version of the plan is kept.")
    page.get_by_role("link", name="Version 1").click()
    expect(page.get_by_role("main")).to_contain_text("I want to get back into cooking work")
    assert_accessible(page)
    assert PlanVersion.objects.count() == 1

    page.goto(f"/plans/{PlanVersion.objects.get().plan_id}/review/")
    page.get_by_role("button", name="Save the review").click()
    expect_error_summary(page, "Say how this goal has gone")
    assert_accessible(page)
    page.get_by_label("How has it gone?").fill("Found a course at the college")
    page.get_by_role("button", name="Save the review").click()
    expect_success(page, "Recorded the review. This version of the plan is kept.")
    assert PlanVersion.objects.count() == 2

    plan_id = PlanVersion.objects.first().plan_id
    page.goto(f"/plans/{plan_id}/compare/")
    expect(page.get_by_role("main")).to_contain_text("What changed from version 1 to version 2")
    assert_accessible(page)
    page.goto(f"/plans/{plan_id}/outcomes/")
    assert_accessible(page)
    page.get_by_label(re.compile("^Money")).fill("12")
    page.get_by_role("button", name="Save the ratings").click()
    expect_error_summary(page, "Give a number from 1 to 10")
    assert_accessible(page)
    page.get_by_label(re.compile("^Money")).fill("4")
    page.get_by_role("button", name="Save the ratings").click()
    expect_success(page, "Saved the ratings.")
    expect(page.get_by_role("row", name=re.compile("^Money"))).to_contain_text("4")
    assert_accessible(page)

    page.goto("/tasks/")
    expect(page.get_by_role("main")).to_contain_text("Find a food hygiene course")
    assert_accessible(page)
