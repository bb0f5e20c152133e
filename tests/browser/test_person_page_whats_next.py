"""The person's page shows what is next: a clear first action, the next appointments,
the worker's tasks for them, the plan's next actions and the latest notes; the rest of
the actions grouped, ending support apart. On a phone and a desktop, axe clean."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from keywork.notes import services as notes
from keywork.notes.models import Appointment
from keywork.tasks.services import task_create
from keywork.testing.factories import TEST_PASSWORD, supported_person
from tests.browser.helpers import assert_accessible, sign_in

pytestmark = pytest.mark.browser

VIEWPORTS = {"375px": {"width": 375, "height": 812}, "1280px": {"width": 1280, "height": 800}}


def fits(page: Page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("size", VIEWPORTS)
def test_it_shows_what_is_next_at_the_top_of_the_persons_page(world, new_page, size):
    episode = supported_person(world, "Ola", "Nextstep")
    person = episode.person
    next_week = timezone.localtime() + timedelta(days=6)
    Appointment.objects.create(
        organisation=person.organisation,
        person=person,
        episode=episode,
        starts_at=next_week.replace(hour=10, minute=30),
        place="The office",
        created_by=world.worker,
    )
    notes.note_create(
        actor=world.worker,
        person=person,
        episode=episode,
        contact_type="phone",
        contact_at=timezone.now() - timedelta(hours=2),
        subject="Talked about the bidding list",
        text="Text",
    )
    task_create(
        actor=world.worker,
        assigned_to=world.worker,
        person=person,
        title="Send the bidding letter",
        due_on=timezone.localdate() + timedelta(days=2),
    )
    page = new_page(viewport=VIEWPORTS[size])
    sign_in(page, world.worker, TEST_PASSWORD)
    page.goto(f"/people/{person.pk}/")
    write = page.get_by_role("button", name="Write a file note")
    expect(write).to_be_visible()
    assert write.bounding_box()["y"] < VIEWPORTS[size]["height"]  # on the first screen
    expect(page.get_by_role("heading", name="Next appointments")).to_be_visible()
    expect(page.locator("main")).to_contain_text(f"{next_week:%a %-d %b}, 10:30")
    expect(page.get_by_role("link", name="Talked about the bidding list")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Send the bidding letter")
    end = page.get_by_role("button", name="End support")
    expect(end).to_have_class("govuk-button govuk-button--warning govuk-!-margin-bottom-0")
    assert fits(page)
    assert_accessible(page)
    write.click()
    expect(page.get_by_role("heading", name="Write a file note")).to_be_visible()
