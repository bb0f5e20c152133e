"""At phone size and on a desktop: the worker on call at night logs a call about someone
outside their own caseload but in a service they cover, escalates it and leaves a
follow-up; in the morning the service's lead opens the handover, sees the call and marks
it read; the person's key worker has the follow-up in their tasks. After the shift the
on-call worker can no longer open the person's record, and can still read their call.
axe finds nothing on any of the pages."""

import re
from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from keywork.oncall.tests.conftest import floating_rota, numbered, shift_for, supported
from keywork.testing.factories import TEST_PASSWORD
from tests.browser.helpers import assert_accessible, sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    "viewport", [{"width": 375, "height": 812}, {"width": 1280, "height": 800}]
)
def test_it_takes_a_call_at_night_and_hands_it_over_in_the_morning(world, new_page, viewport):
    night = timezone.make_aware(datetime.combine(timezone.localdate(), time(22, 0)))
    with time_machine.travel(night, tick=True) as clock:
        numbered(world.worker, world.other_team_worker)
        rota = floating_rota(world)
        supported(world, "Fran", service=world.other_service, key_worker=world.other_team_worker)
        shift = shift_for(world, rota, world.worker, started_hours_ago=1, hours=11)

        page = new_page(viewport=viewport)
        sign_in(page, world.worker, TEST_PASSWORD)
        expect(page.locator("main")).to_contain_text("You are on call")
        page.goto("/on-call/")
        expect(page.locator("main")).to_contain_text("You are first on call")
        assert_accessible(page)
        page.get_by_role("link", name="Log a call").click()
        page.get_by_label("Find the person by name").fill("fran")
        page.get_by_role("button", name="Find").click()
        assert_accessible(page)
        page.get_by_label("About whom").select_option(label="Fran Caller")
        page.get_by_label("The person supported").check()
        page.get_by_label("What happened").fill("Rang upset after an argument with a neighbour.")
        page.get_by_label("Advice given").fill("Stay in the flat tonight; ring back if worse.")
        page.get_by_label("Escalated to (optional)").fill("Second on call")
        page.get_by_label("Their answer").fill("Agreed; check on her in the morning.")
        page.get_by_label("Follow-up for the day team (optional)").fill(
            "Visit Fran about the neighbour"
        )
        page.get_by_role("button", name="Save the call").click()
        expect(page.locator("main")).to_contain_text("Call logged.")
        expect(page.locator("main")).to_contain_text("for Olive Otherteam")
        assert_accessible(page)
        entry_url = page.url
        page.get_by_role("link", name="Fran Caller").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Fran Caller")
        person_url = page.url

        # The morning after: the service's lead reads the handover.
        clock.move_to(shift.ends_at + timedelta(minutes=30))
        lead = new_page(viewport=viewport)
        sign_in(lead, world.other_lead_manager, TEST_PASSWORD)
        lead.goto(f"/services/{world.other_service.pk}/handover/")
        handover = lead.locator("main")
        expect(handover).to_contain_text("argument with a neighbour")
        expect(handover).to_contain_text("Visit Fran about the neighbour")
        assert_accessible(lead)
        lead.get_by_role("button", name="Mark the handover read").click()
        expect(handover).to_contain_text("Read by Leon Otherlead")
        assert_accessible(lead)

        # Fran's key worker has the follow-up in their tasks.
        key_worker = new_page(viewport=viewport)
        sign_in(key_worker, world.other_team_worker, TEST_PASSWORD)
        key_worker.goto("/tasks/")
        expect(key_worker.locator("main")).to_contain_text("Follow-ups from on call")
        expect(key_worker.locator("main")).to_contain_text("Visit Fran about the neighbour")
        assert_accessible(key_worker)

        # The shift is over: no reach to Fran, the call still the worker's to read.
        page = new_page(viewport=viewport)
        sign_in(page, world.worker, TEST_PASSWORD)
        assert page.goto(person_url).status == 404
        page.goto(entry_url)
        expect(page.locator("main")).to_contain_text("argument with a neighbour")
        expect(page.get_by_role("link", name="Fran Caller")).to_have_count(1)
        assert re.search(r"/on-call/log/\d+/$", entry_url)
