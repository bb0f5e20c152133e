"""Appointments, the calendar page, tasks and attachments in Chromium, each page checked
with axe-core, error states included."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from keywork.notes import services as notes
from keywork.notes.models import Appointment
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


def test_it_lets_a_worker_plan_an_appointment_and_write_its_note(world, page: Page):
    episode = supported_person(world, "Alan", "Turing")
    sign_in(page, world.worker, TEST_PASSWORD)
    page.goto(f"/people/{episode.person_id}/")
    page.get_by_role("link", name="Plan an appointment").click()
    page.get_by_role("button", name="Save").click()
    expect_error_summary(page, "Enter the date")
    assert_accessible(page)
    page.get_by_label("Home visit").check()
    page.get_by_label("Date", exact=True).fill(uk_date(timezone.localdate() + timedelta(days=1)))
    page.get_by_label("Time", exact=True).fill("10:30")
    page.get_by_label("Place").fill("His flat")
    page.get_by_role("button", name="Save").click()
    expect_success(page, "Planned the appointment.")
    expect(page.get_by_role("main")).to_contain_text("Alan Turing")
    assert_accessible(page)

    Appointment.objects.update(starts_at=timezone.now() - timedelta(hours=1))
    page.reload()
    page.get_by_role("link", name=re.compile(r"^\w{3} \d+ \w{3}, \d\d:\d\d$")).click()
    assert_accessible(page)
    page.get_by_label("Note").fill("Flat in good order. Talked about college.")
    page.get_by_role("button", name="Save the note").click()
    expect_success(page, "Saved the file note and marked the appointment attended.")
    expect(page.get_by_role("main")).to_contain_text("Flat in good order.")
    assert_accessible(page)


def test_it_gives_a_worker_a_calendar_address(world, page: Page):
    sign_in(page, world.worker, TEST_PASSWORD)
    page.goto("/calendar/")
    assert_accessible(page)
    page.get_by_role("button", name="Get my calendar address").click()
    expect(page.locator("#calendar-link")).to_contain_text("/calendar/")
    assert_accessible(page)
    page.get_by_role("button", name="Stop my calendar address working").click()
    expect_success(page, "Your calendar address no longer works.")


def test_it_puts_a_follow_up_on_the_task_list_and_marks_it_done(world, page: Page):
    episode = supported_person(world, "Grace", "Kelly")
    notes.note_create(
        actor=world.worker,
        person=episode.person,
        episode=episode,
        contact_type="phone",
        contact_at=timezone.now(),
        subject="Call",
        text="Rang about the gas bill.",
        follow_up="Ring the gas company",
        follow_up_by=timezone.localdate() + timedelta(days=2),
    )
    sign_in(page, world.worker, TEST_PASSWORD)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Tasks").click()
    expect(page.get_by_role("main")).to_contain_text("Ring the gas company")
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("^Mark done")).click()
    expect_success(page, "Done: Ring the gas company")
    expect(page.get_by_role("main")).to_contain_text("Nothing to do.")
    assert_accessible(page)

    senior = page.context.browser.new_context(base_url=page.url.split("/tasks")[0])
    senior_page = senior.new_page()
    sign_in(senior_page, world.senior, TEST_PASSWORD)
    senior_page.goto(f"/teams/{world.team.pk}/overdue-tasks/")
    expect(senior_page.get_by_role("main")).to_contain_text("Nothing is overdue.")
    assert_accessible(senior_page)
    senior.close()


def test_it_lets_a_worker_attach_a_letter_and_refuses_a_disguised_program(
    world, page: Page, tmp_path
):
    episode = supported_person(world, "Mo", "Farah")
    note = notes.note_create(
        actor=world.worker,
        person=episode.person,
        episode=episode,
        contact_type="advice",
        contact_at=timezone.now(),
        subject="Benefits letter",
        text="Brought in a letter.",
    )
    letter = tmp_path / "letter.pdf"
    letter.write_bytes(b"%PDF-1.7\n%%EOF\n")
    program = tmp_path / "invoice.pdf"
    program.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00")
    sign_in(page, world.worker, TEST_PASSWORD)
    page.goto(f"/notes/{note.pk}/")
    page.get_by_role("link", name="Attach a file").click()
    page.get_by_label("File").set_input_files(str(program))
    page.get_by_role("button", name="Attach").click()
    expect_error_summary(page, "its content is not")
    assert_accessible(page)
    page.get_by_label("File").set_input_files(str(letter))
    page.get_by_role("button", name="Attach").click()
    expect_success(page, "Attached the file.")
    expect(page.get_by_role("link", name="letter.pdf")).to_be_visible()
    assert_accessible(page)
