"""A worker's home page starts with today, on a phone and a desktop, axe clean."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from keywork.notes.models import Appointment
from keywork.tasks.services import task_create
from keywork.testing.factories import TEST_PASSWORD, supported_person
from tests.browser.helpers import assert_accessible, sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    "viewport", [{"width": 375, "height": 812}, {"width": 1280, "height": 800}]
)
def test_it_starts_the_home_page_with_today(world, new_page, viewport):
    episode = supported_person(world, "Pip", "Homepage")
    appointment = Appointment.objects.create(
        organisation=world.organisation,
        person=episode.person,
        episode=episode,
        starts_at=timezone.localtime().replace(hour=23, minute=30, second=0, microsecond=0),
        created_by=world.worker,
    )
    appointment.staff.set([world.worker])
    task_create(
        actor=world.worker,
        assigned_to=world.worker,
        person=episode.person,
        title="Book the GP appointment",
        due_on=timezone.localdate(),
    )
    page = new_page(viewport=viewport)
    sign_in(page, world.worker, TEST_PASSWORD)
    today = page.get_by_role("heading", name="Today", exact=True)
    expect(today).to_be_visible()
    expect(page.locator("main")).to_contain_text("23:30: Key-work session with Pip Homepage")
    expect(page.locator("main")).to_contain_text("Book the GP appointment")
    assert page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    assert_accessible(page)
