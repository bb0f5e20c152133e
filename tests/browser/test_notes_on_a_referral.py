"""Outreach before support, in a real browser on a phone: a worker writes a file note on a
referral (no episode of support yet), it shows on the person's notes and timeline, and
axe-core finds nothing wrong on any page on the way, the error state included."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from keywork.notes.models import FileNote
from keywork.people import services as people
from keywork.testing.factories import TEST_PASSWORD
from tests.browser.helpers import (
    assert_accessible,
    expect_error_summary,
    expect_success,
    sign_in,
    uk_date,
)

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 667}, "is_mobile": True, "has_touch": True}


def check_phone_page(page: Page) -> None:
    assert_accessible(page)
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{page.url} scrolls sideways: {widths[0]}px in {widths[1]}px"


def test_it_lets_a_worker_write_a_note_on_a_referral_on_a_phone(world, new_page):
    person = people.person_create(actor=world.worker, first_name="Rosa", last_name="Vale")
    referral = people.referral_create(
        actor=world.worker,
        person=person,
        service=world.service,
        received_on=timezone.localdate() - timedelta(days=3),
        source="outreach",
        reason="Sleeping rough by the station.",
    )
    page = new_page(**PHONE)
    sign_in(page, world.worker, TEST_PASSWORD)

    page.goto(f"/people/{person.pk}/")
    page.get_by_role("button", name="Write a file note").tap()
    expect(page).to_have_url(re.compile(rf"/people/{person.pk}/notes/new/$"))
    # No episode yet: the form is on the referral.
    expect(page.get_by_label("Referral", exact=True).locator("option:checked")).to_have_text(
        str(referral)
    )
    check_phone_page(page)

    page.get_by_role("radio", name="Face to face", exact=True).check()
    page.get_by_label("Date of the contact").fill(uk_date(timezone.localdate()))
    page.get_by_label("Subject", exact=True).fill("Outreach at the station")
    page.get_by_role("button", name="Save the note").tap()
    expect_error_summary(page, "Write the note")
    check_phone_page(page)

    page.get_by_label("Note", exact=True).fill("Met Rosa; she agreed to an assessment on Friday.")
    page.get_by_role("button", name="Save the note").tap()
    expect(page).to_have_url(re.compile(rf"/people/{person.pk}/notes/$"))
    expect_success(page, "Saved the file note.")
    card = page.locator(".kw-card").filter(
        has=page.get_by_role("link", name="Outreach at the station", exact=True)
    )
    expect(card).to_contain_text("Referral to Harbour House")
    check_phone_page(page)
    assert FileNote.objects.get().referral_id == referral.pk

    page.goto(f"/people/{person.pk}/timeline/")
    expect(page.get_by_text("Face to face: Outreach at the station")).to_be_visible()
    check_phone_page(page)
