"""Accommodation and move-on in Chromium: into a room, a move-on plan with a housing
application, support ended with a planned move-on, and the 3-month check."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from keywork.housing.models import Property, SustainmentCheck, Unit
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


def test_it_lets_a_worker_house_someone_plan_their_move_on_and_follow_up(
    world, page: Page, new_page
):
    today = timezone.localdate()
    episode = supported_person(world, "Ravi", "Kapoor", started=today - timezone.timedelta(days=60))
    house = Property.objects.create(
        organisation=world.organisation,
        service=world.service,
        name="Quay House",
        address="1 Quay Street",
        type="shared_house",
    )
    Unit.objects.create(
        property=house,
        name="Room 4",
        capacity=1,
        opened_on=today.replace(day=1) - timezone.timedelta(days=90),
    )

    sign_in(page, world.worker, TEST_PASSWORD)
    page.goto(f"/people/{episode.person_id}/")
    page.get_by_role("link", name=re.compile("^Housing")).first.click()
    expect(page.get_by_role("main")).to_contain_text("Not living in the service's accommodation")
    assert_accessible(page)
    page.get_by_role("button", name="Move into a room or flat").click()
    page.get_by_role("button", name="Save").click()
    expect_error_summary(page, "Choose the room or flat")
    assert_accessible(page)
    page.get_by_label("Room or flat").select_option(label="Quay House, Room 4")
    page.get_by_label("Moved in").fill(uk_date(today - timezone.timedelta(days=50)))
    page.get_by_role("button", name="Save").click()
    expect_success(page, "Recorded the move.")
    expect(page.get_by_role("main")).to_contain_text("Quay House, Room 4")

    page.get_by_role("link", name="Start a move-on plan").click()
    page.get_by_label("Ready to move on").check()
    page.get_by_label("What stands in the way").fill("Rent arrears of £120 to clear first")
    page.get_by_role("button", name="Save").click()
    expect_success(page, "Saved the move-on plan.")
    page.get_by_role("link", name="Add a housing application").click()
    page.get_by_label("Council housing register").check()
    page.get_by_label("Band or priority").fill("Band B")
    page.get_by_label("Date applied").fill(uk_date(today - timezone.timedelta(days=40)))
    page.get_by_label("Housed").check()
    page.get_by_label("Date of that").fill(uk_date(today - timezone.timedelta(days=45)))
    page.get_by_role("button", name="Save").click()
    expect_error_summary(page, "The status cannot be dated before the application.")
    assert_accessible(page)
    page.get_by_label("Date of that").fill(uk_date(today))
    page.get_by_role("button", name="Save").click()
    expect_success(page, "Added the housing application.")
    expect(page.get_by_role("main")).to_contain_text("Council housing register (Band B)")
    assert_accessible(page)

    page.goto(f"/episodes/{episode.pk}/end/")
    expect(page.get_by_label("Social tenancy")).to_be_checked()  # from the application
    page.get_by_label("End date").fill(uk_date(today))
    page.get_by_label("Planned move-on").check()
    page.get_by_role("button", name="End support").click()
    expect_success(page, "Support from Harbour House has ended.")
    page.goto(f"/episodes/{episode.pk}/housing/")
    expect(page.get_by_role("main")).to_contain_text("Support ended")
    # Ending support ended the stay and took the destination from the application.
    expect(page.get_by_role("main")).to_contain_text("planned move-on, to social tenancy")
    expect(page.get_by_role("main")).not_to_contain_text("(now)")
    page.get_by_role("button", name="Record a follow-up check").click()
    assert_accessible(page)
    page.get_by_label("3 months").check()
    page.get_by_label("Yes").check()
    page.get_by_label("Where they live now").fill("Council flat, Marsh Road")
    page.get_by_label("From the person").check()
    page.get_by_role("button", name="Save").click()
    expect_success(page, "Recorded the follow-up check.")
    expect(page.get_by_role("main")).to_contain_text("3-month check")
    assert_accessible(page)
    assert SustainmentCheck.objects.get().still_housed

    manager = new_page()
    sign_in(manager, world.lead_manager, TEST_PASSWORD)
    manager.goto(f"/services/{world.service.pk}/housing/")
    expect(manager.get_by_role("row", name=re.compile("^3 months"))).to_contain_text("1 (100.0%)")
    expect(manager.get_by_role("row", name=re.compile("^Quay House, Room 4"))).to_be_visible()
    assert_accessible(manager)


def test_it_lets_a_manager_add_rooms_and_a_worker_record_learning_and_work(world, page, new_page):
    manager = new_page()
    sign_in(manager, world.lead_manager, TEST_PASSWORD)
    manager.goto(f"/services/{world.service.pk}/housing/")
    manager.get_by_role("button", name="Add a property").click()
    manager.get_by_role("button", name="Save").click()
    expect_error_summary(manager, "Give the property a name")
    assert_accessible(manager)
    manager.get_by_label("Name").fill("Marsh House")
    manager.get_by_label("Address").fill("4 Marsh Road")
    manager.get_by_label("Hostel").check()
    manager.get_by_role("button", name="Save").click()
    expect_success(manager, "Added the property.")
    manager.get_by_role("link", name="Add a room or flat to Marsh House").click()
    manager.get_by_label("Room or flat").fill("Room 1")
    manager.get_by_label("Beds").fill("0")
    manager.get_by_role("button", name="Save").click()
    expect_error_summary(manager, "A unit has at least 1 bed")
    assert_accessible(manager)
    manager.get_by_label("Beds").fill("2")
    manager.get_by_role("button", name="Save").click()
    expect_success(manager, "Added the room or flat.")
    expect(manager.get_by_role("row", name=re.compile("^Marsh House, Room 1"))).to_contain_text(
        "2 of 2"
    )

    episode = supported_person(world, "Lou", "Fenn")
    sign_in(page, world.worker, TEST_PASSWORD)
    page.goto(f"/people/{episode.person_id}/")
    page.get_by_role("link", name="Learning, work and activity").click()
    assert_accessible(page)
    page.get_by_role("button", name="Add an activity").click()
    page.get_by_label("Course or training").check()
    page.get_by_label("What it is").fill("Food hygiene level 2")
    page.get_by_label("Start date").fill(uk_date(timezone.localdate()))
    page.get_by_label("Hours a week").fill("six")
    page.get_by_role("button", name="Save").click()
    expect_error_summary(page, "Enter the hours as a number, like 16 or 7.5")
    assert_accessible(page)
    page.get_by_label("Hours a week").fill("6")
    page.get_by_role("button", name="Save").click()
    expect_success(page, "Added the activity.")
    page.get_by_role("link", name="Record an outcome for Food hygiene level 2").click()
    page.get_by_label("Qualification gained").check()
    page.get_by_label("Detail").fill("Level 2 certificate")
    page.get_by_role("button", name="Save").click()
    expect_success(page, "Recorded the outcome.")
    expect(page.get_by_role("main")).to_contain_text("Qualification gained")
    assert_accessible(page)
