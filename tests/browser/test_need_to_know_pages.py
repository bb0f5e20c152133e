"""What need to know looks like on the pages where it shows: a possible match held by
another service (named only by its service, with a way to ask its managers), duplicates
held elsewhere on a person's page, a notification about someone the reader no longer
works with, and a referral as a support assistant reads it. On a phone and a desktop,
each passes axe-core."""

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from keywork.core.models import Notification
from keywork.people import services as people
from keywork.people.models import PossibleDuplicate
from keywork.tasks.services import task_create
from keywork.testing.factories import TEST_PASSWORD, supported_person
from tests.browser.helpers import assert_accessible, expect_success, sign_in, uk_date

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 900}
BORN = date(1984, 3, 14)


def fits_the_window(page: Page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def held_by_the_other_team(world, first_name: str, last_name: str):
    other = world.other_team_worker
    return supported_person(
        world,
        first_name,
        last_name,
        key_worker=other,
        recorded_by=other,
        service=world.other_service,
        date_of_birth=BORN,
    )


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_it_names_a_match_held_elsewhere_only_by_its_service_and_lets_the_worker_ask(
    world, new_page, viewport
):
    held = held_by_the_other_team(world, "Petra", "Pemberton")
    page = new_page(viewport=viewport)
    sign_in(page, world.worker, TEST_PASSWORD)
    page.goto("/people/new/")
    page.get_by_label("First name").fill("Petra")
    page.get_by_label("Last name", exact=True).fill("Pemberton")
    page.get_by_label("Date of birth", exact=True).fill(uk_date(BORN))
    page.get_by_role("button", name="Save").click()

    matches = page.locator("#possible-duplicates")
    expect(matches).to_contain_text("A possible match exists in another service: Harbour Floating")
    expect(matches).to_contain_text("You cannot see that record")
    # Neither the other record's number nor a link to it.
    expect(matches).not_to_contain_text(f"record {held.person_id}")
    expect(matches.get_by_role("link")).to_have_count(0)
    assert fits_the_window(page)
    assert_accessible(page)

    page.get_by_role("button", name="Ask Harbour Floating's managers to check").click()
    expect_success(page, "We have asked that service's managers to check")
    # What was typed is still there, to save once the worker has decided.
    expect(page.get_by_label("Last name", exact=True)).to_have_value("Pemberton")
    (asked,) = Notification.objects.filter(user=world.other_lead_manager)
    assert asked.about_person_id == held.person_id
    assert not Notification.objects.filter(user=world.worker).exists()
    assert_accessible(page)

    page.get_by_label("I have checked: none of these is the same person").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Petra Pemberton")
    assert_accessible(page)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_it_counts_duplicates_held_elsewhere_without_naming_them(world, new_page, viewport):
    held = held_by_the_other_team(world, "Quinn", "Ashdown")
    mine = supported_person(world, "Quinn", "Ashdown-Smith", date_of_birth=BORN)
    PossibleDuplicate.objects.create(
        person=held.person, other=mine.person, marked_by=world.lead_manager
    )
    page = new_page(viewport=viewport)
    sign_in(page, world.worker, TEST_PASSWORD)
    page.goto(f"/people/{mine.person_id}/")
    section = page.get_by_role("heading", name="Possible duplicates").locator("xpath=..")
    expect(section).to_contain_text(
        "1 more possible duplicate held by another service. A manager of that service can see it."
    )
    expect(section).not_to_contain_text(f"Record {held.person_id}")
    assert fits_the_window(page)
    assert_accessible(page)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_it_hides_a_notification_about_someone_the_reader_no_longer_works_with(
    world, new_page, viewport
):
    episode = held_by_the_other_team(world, "Rhian", "Marchbank")
    other = world.other_team_worker
    joined = people.co_worker_add(actor=other, episode=episode, user=world.worker)
    task_create(
        actor=other,
        assigned_to=world.worker,
        person=episode.person,
        title="Ring the housing officer about the Marchbank tenancy",
        due_on=date.today(),
    )
    people.co_worker_remove(actor=other, worker=joined)
    page = new_page(viewport=viewport)
    sign_in(page, world.worker, TEST_PASSWORD)
    # The home page's banner and the notifications page both keep the date, not the words.
    banner = page.get_by_role("region", name="For you")
    expect(banner).to_contain_text("the details are hidden")
    expect(banner).not_to_contain_text("Marchbank")
    assert_accessible(page)
    page.goto("/notifications/")
    items = page.locator(".kw-results__item")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text("the details are hidden")
    expect(page.locator("main")).not_to_contain_text("Marchbank")
    expect(page.locator("main").get_by_role("link", name=re.compile("hidden"))).to_have_count(0)
    assert fits_the_window(page)
    assert_accessible(page)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_it_shows_a_support_assistant_the_referral_without_the_decisions(world, new_page, viewport):
    person = people.person_create(
        actor=world.worker, first_name="Sol", last_name="Adebayo", date_of_birth=BORN
    )
    referral = people.referral_create(
        actor=world.worker,
        person=person,
        service=world.service,
        received_on=date.today(),
        source="self",
        reason="Sofa surfing since the spring; wants a room near his college.",
    )
    page = new_page(viewport=viewport)
    sign_in(page, world.support_assistant, TEST_PASSWORD)
    page.goto(f"/referrals/{referral.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sol Adebayo")
    expect(page.locator("main")).to_contain_text("Sofa surfing since the spring")
    # Accepting and declining are a key worker's or a senior's decision.
    expect(page.get_by_role("button", name=re.compile("^(Accept|Decline)"))).to_have_count(0)
    expect(page.locator("main")).to_contain_text(
        "Accepting or declining a referral is for a key worker or a senior in the service."
    )
    expect(page.get_by_role("button", name="Withdraw")).to_be_visible()
    assert fits_the_window(page)
    assert_accessible(page)
