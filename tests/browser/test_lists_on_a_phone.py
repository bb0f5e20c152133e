"""The lists a worker uses on the move read on a phone without sideways scrolling:
appointments and incidents, each row a card with its risk or severity in view."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from keywork.notes.models import Appointment
from keywork.risk.services import incident_report
from keywork.testing.factories import TEST_PASSWORD, supported_person
from tests.browser.helpers import assert_accessible, sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


def fits(page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_it_shows_appointments_and_incidents_whole_on_a_phone(world, new_page):
    episode = supported_person(world, "Lu", "Listcard")
    appointment = Appointment.objects.create(
        organisation=world.organisation,
        person=episode.person,
        episode=episode,
        starts_at=timezone.now() + timedelta(days=1),
        place="A very long place name: the community centre on the far side of the estate",
        created_by=world.worker,
    )
    appointment.staff.set([world.worker])
    incident_report(
        actor=world.worker,
        service=world.service,
        type="other",
        severity="high",
        occurred_at=timezone.now() - timedelta(hours=2),
        place="Lounge",
        what_happened="A row",
        immediate_action="Talked it down",
        people=[episode.person],
    )
    page = new_page(viewport=PHONE)
    sign_in(page, world.worker, TEST_PASSWORD)
    for url, tag_text in (("/appointments/", None), ("/incidents/", "High")):
        page.goto(url)
        assert fits(page), url
        if tag_text:
            tag = page.locator(".govuk-tag", has_text=tag_text).first
            box = tag.bounding_box()
            assert box["x"] + box["width"] <= PHONE["width"]
        assert_accessible(page)
    page.goto("/appointments/")
    expect(page.locator("main")).to_contain_text("Where: A very long place name")
