"""Changing and cancelling an appointment on a phone: the appointment's page offers both,
cancelling asks why and is confirmed, and the pages pass axe."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from keywork.notes.models import Appointment
from keywork.testing.factories import TEST_PASSWORD, supported_person
from tests.browser.helpers import assert_accessible, expect_error_summary, sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    "viewport", [{"width": 375, "height": 812}, {"width": 1280, "height": 800}]
)
def test_it_changes_then_cancels_an_appointment_with_a_reason(world, new_page, viewport):
    episode = supported_person(world, "Ria", "Rebook")
    starts = (timezone.localtime() + timedelta(days=3)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    appointment = Appointment.objects.create(
        organisation=world.organisation,
        person=episode.person,
        episode=episode,
        starts_at=starts,
        created_by=world.worker,
    )
    appointment.staff.set([world.worker])
    page = new_page(viewport=viewport)
    sign_in(page, world.worker, TEST_PASSWORD)
    page.goto(f"/appointments/{appointment.pk}/")
    expect(page.get_by_role("button", name="Cancelled")).to_have_count(0)
    page.get_by_role("link", name="Change the time or place").click()
    page.get_by_label("Time", exact=True).fill("15:15")
    page.get_by_label("Place").fill("The library")
    assert_accessible(page)
    page.get_by_role("button", name="Save the change").click()
    expect(page.locator("main")).to_contain_text("Changed the appointment.")
    expect(page.locator("main")).to_contain_text("15:15")
    expect(page.locator("main")).to_contain_text("The library")

    page.get_by_role("link", name="Cancel the appointment").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("Cancel the key-work session")
    page.get_by_role("button", name="Cancel the appointment").click()
    expect_error_summary(page, "Say why the appointment is cancelled")
    assert_accessible(page)
    page.get_by_label("Why is it cancelled?").fill("She starts a new job that day")
    page.get_by_role("button", name="Cancel the appointment").click()
    expect(page.locator("main")).to_contain_text("Cancelled: She starts a new job that day")
    assert page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    assert_accessible(page)
