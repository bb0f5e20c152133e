"""On a phone, a support assistant gives a full session's event one more place: the
first person waiting moves up, their key worker is told, and axe finds nothing on the
pages on the way."""

import pytest
from playwright.sync_api import expect

from keywork.core.models import Notification
from keywork.events import services
from keywork.events.tests.conftest import make_event, supported
from keywork.testing.factories import TEST_PASSWORD
from tests.browser.helpers import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def test_it_moves_the_first_waiting_up_when_the_event_has_more_places(world, new_page):
    session = make_event(world, capacity=2).sessions.get()
    ann, bea, cal = (supported(world, name) for name in ("Ann", "Bea", "Cal"))
    for person in (ann, bea, cal):
        services.signup_add(actor=world.support_assistant, session=session, person=person)
    page = new_page(viewport={"width": 375, "height": 812})
    sign_in(page, world.support_assistant, TEST_PASSWORD)
    page.goto(f"/events/sessions/{session.pk}/")
    expect(page.get_by_role("heading", name="Waiting list")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Full")

    page.get_by_role("link", name="Back to Cooking group").click()
    page.get_by_role("button", name="Change the event's details").click()
    expect(page.get_by_role("heading", name="Change the event's details")).to_be_visible()
    assert_accessible(page)
    # Fewer places than people with one: refused, said on the field.
    page.get_by_label("Places", exact=True).fill("1")
    page.get_by_role("button", name="Save the changes").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("give at least 2 places")
    expect(page.locator("#id_capacity-error")).to_contain_text("2 people have places")
    assert_accessible(page)

    page.get_by_label("Places", exact=True).fill("3")
    page.get_by_role("button", name="Save the changes").click()
    expect(page.locator("main")).to_contain_text("Saved the changes to Cooking group.")
    assert_accessible(page)

    page.locator(f"main a[href='/events/sessions/{session.pk}/']").click()
    expect(page.locator("main")).to_contain_text("Full")
    expect(page.get_by_role("heading", name="Waiting list")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("Cal Tester")
    assert_accessible(page)
    assert page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    told = Notification.objects.get(user=world.worker, about_person_id=cal.pk)
    assert "Cal Tester now has a place at Cooking group" in told.text
