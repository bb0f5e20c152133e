"""At phone size and on a desktop, a support assistant makes a weekly group, signs three
people up to a session with two places (the third waits), cancels one place so that the
waiting person moves up and their key worker is told, and takes the register when the
session has started; the attendance is on the person's timeline. axe finds nothing on
any of the pages."""

import re
from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from keywork.core.models import Notification
from keywork.events.models import SignUp
from keywork.events.tests.conftest import supported
from keywork.testing.factories import TEST_PASSWORD
from tests.browser.helpers import assert_accessible, sign_in, uk_date

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    "viewport", [{"width": 375, "height": 812}, {"width": 1280, "height": 800}]
)
def test_it_runs_a_weekly_group_from_sign_up_to_register(world, new_page, viewport):
    ann, bea, cal = (supported(world, name) for name in ("Ann", "Bea", "Cal"))
    today = timezone.localdate()
    ten = timezone.make_aware(datetime.combine(today, time(10, 0)))
    with time_machine.travel(ten, tick=True) as clock:
        page = new_page(viewport=viewport)
        sign_in(page, world.support_assistant, TEST_PASSWORD)
        page.goto(f"/services/{world.service.pk}/events/")
        assert_accessible(page)
        page.get_by_role("button", name="Add an event or group").click()
        page.get_by_label("Title").fill("Cooking group")
        page.get_by_label("Skills").check()
        page.get_by_label("Every week").check()
        page.get_by_label("Date", exact=True).fill(uk_date(today))
        page.get_by_label("Last date").fill(uk_date(today + timedelta(days=28)))
        page.get_by_label("Starts at").fill("10:15")
        page.get_by_label("Ends at").fill("12:00")
        page.get_by_label("Venue").fill("The kitchen")
        page.get_by_label("Places").fill("2")
        assert_accessible(page)
        page.get_by_role("button", name="Save").click()
        expect(page.locator("main")).to_contain_text("Added Cooking group, with 5 sessions.")
        assert_accessible(page)

        page.get_by_role("link", name=re.compile(r"10:15$")).first.click()
        for person in (ann, bea, cal):
            page.get_by_label("Person").select_option(label=person.display_name)
            page.get_by_role("button", name="Sign up").click()
        expect(page.locator("main")).to_contain_text(
            "The session is full: Cal Tester is on the waiting list."
        )
        waiting = page.locator("ol")
        expect(waiting).to_contain_text("Cal Tester")
        assert_accessible(page)

        page.get_by_role("link", name="Cancel Ann Tester's place").click()
        page.get_by_label("Why is Ann Tester not coming?").fill("Unwell today")
        assert_accessible(page)
        page.get_by_role("button", name="Save").click()
        expect(page.locator("main")).to_contain_text("Cancelled Ann Tester's place.")
        expect(page.get_by_role("heading", name="Waiting list")).to_have_count(0)
        told = Notification.objects.get(user=world.worker, about_person_id=cal.pk)
        assert "Cal Tester now has a place at Cooking group" in told.text

        # The session starts; the assistant takes the register.
        clock.shift(timedelta(minutes=20))
        page.reload()
        page.get_by_role("button", name="Take the register").click()
        expect(page.get_by_role("heading", name="Register", exact=True)).to_be_visible()
        assert_accessible(page)
        page.get_by_role("group", name="Bea Tester").get_by_label("Attended").check()
        page.get_by_role("group", name="Cal Tester").get_by_label("Arrived late").check()
        page.get_by_role("button", name="Save the register").click()
        expect(page.locator("main")).to_contain_text("Saved the register (2 marked).")
        assert dict(SignUp.objects.values_list("person__first_name", "status")) == {
            "Ann": "cancelled",
            "Bea": "attended",
            "Cal": "late",
        }
        assert page.evaluate(
            "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )

        page.goto(f"/people/{bea.pk}/timeline/")
        expect(page.locator("main")).to_contain_text("Skills: Cooking group")
        expect(page.locator("main")).to_contain_text("Attended")
        assert_accessible(page)
