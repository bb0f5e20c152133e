"""On a phone (375 px): a senior practitioner holds a supervision with a worker,
discusses two people from the worker's caseload (each gets a case-discussion file note,
which only those who may see that person can read) and agrees an action; the worker
adds a comment and agrees, and the record is locked; a colleague on the same team is
told the page is not found. Then the worker assesses themselves on Keywork's own
framework, the senior assesses them and agrees the levels, and the development plan
shows the gap against the level a support worker needs. axe finds nothing on any page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from keywork import access
from keywork.notes.models import FileNote
from keywork.supervision import services
from keywork.supervision.models import Supervision
from keywork.testing.factories import TEST_PASSWORD
from tests.browser.helpers import assert_accessible, expect_success, sign_in, uk_date

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 812}


def test_it_holds_discusses_agrees_and_locks_a_supervision(world, arranged, caseload, new_page):
    today = timezone.localdate()
    planned = services.supervision_schedule(
        actor=world.senior, supervisee=world.worker, scheduled_for=today
    )
    ruth, amir = caseload

    page = new_page(viewport=PHONE)
    sign_in(page, world.senior, TEST_PASSWORD)
    expect(page.locator("main")).to_contain_text("Staff you supervise")
    page.goto(f"/supervision/{planned.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Write up the supervision").click()
    page.get_by_label("Who was there").fill("Wendy Worker and Sally Senior")
    page.get_by_label("Wellbeing").fill("Coping well after a difficult fortnight.")
    page.get_by_label("Workload").fill("Eleven people, one moving on next month.")
    page.get_by_label("Learning and development").fill("Wants to shadow a benefits adviser.")
    page.get_by_label("Next supervision").fill(uk_date(today + timedelta(weeks=6)))
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    expect_success(page, "Supervision record saved")

    for person, decision in (
        (ruth, "Bring the plan review forward to next week."),
        (amir, "Refer to the tenancy sustainment team."),
    ):
        page.get_by_role("link", name="Discuss a person on the caseload").click()
        page.get_by_label("Person discussed").select_option(label=str(person))
        page.get_by_label("What was decided").fill(decision)
        assert_accessible(page)
        page.get_by_role("button", name="Save").click()
        expect_success(page, "written on their record as a file note")
    expect(page.locator("main")).to_contain_text("Refer to the tenancy sustainment team.")

    page.get_by_role("link", name="Agree an action").click()
    page.get_by_label("Action", exact=True).fill("Book the benefits shadowing day")
    page.get_by_label("Owner").select_option(label="Wendy Worker")
    page.get_by_label("Due by").fill(uk_date(today + timedelta(days=14)))
    page.get_by_role("button", name="Save").click()
    expect_success(page, "Action agreed")
    expect(page.locator("main")).to_contain_text("Book the benefits shadowing day")
    assert_accessible(page)

    notes = FileNote.objects.filter(contact_type=FileNote.ContactType.SUPERVISION)
    assert {note.person_id for note in notes} == {ruth.pk, amir.pk}
    for note in notes:
        assert access.may_see_person(world.colleague, note.person)
        assert not access.may_see_person(world.other_team_worker, note.person)

    worker_page = new_page(viewport=PHONE)
    sign_in(worker_page, world.worker, TEST_PASSWORD)
    worker_page.goto(f"/supervision/{planned.pk}/")
    expect(worker_page.locator("main")).to_contain_text(f"Waiting for {world.worker} to agree")
    worker_page.get_by_label("Your comment (optional)").fill("A fair record; thank you.")
    assert_accessible(worker_page)
    worker_page.get_by_role("button", name="Agree the record").click()
    expect_success(worker_page, "it is now locked")
    expect(worker_page.locator("main")).to_contain_text("Agreed and locked")
    expect(worker_page.locator("main")).to_contain_text("A fair record; thank you.")
    expect(worker_page.get_by_role("button", name="Agree the record")).to_have_count(0)
    assert_accessible(worker_page)
    assert Supervision.objects.get(pk=planned.pk).is_locked

    page.reload()
    expect(page.get_by_role("link", name="Write up the supervision")).to_have_count(0)
    expect(page.get_by_role("link", name="Correct the record")).to_be_visible()

    colleague_page = new_page(viewport=PHONE)
    sign_in(colleague_page, world.colleague, TEST_PASSWORD)
    response = colleague_page.goto(f"/supervision/{planned.pk}/")
    assert response.status == 404
    expect(colleague_page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_accessible(colleague_page)


def test_it_shows_the_gap_after_a_self_and_a_supervisor_assessment(world, arranged, new_page):
    framework = services.shipped_competency_framework()
    first, second = list(framework.competencies.all())[:2]

    page = new_page(viewport=PHONE)
    sign_in(page, world.worker, TEST_PASSWORD)
    page.goto(f"/development/{world.worker.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Start an assessment").click()
    page.get_by_label("Framework").select_option(label=framework.name)
    page.get_by_label("Yearly appraisal").check()
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    expect_success(page, "Assessment started")
    page.get_by_label(f"Level for {first.name}", exact=True).select_option(label="2 Desired")
    page.get_by_label(f"Evidence for {first.name}", exact=True).fill(
        "Kept Ruth engaged through a hard month"
    )
    page.get_by_label(f"Level for {second.name}", exact=True).select_option(label="2 Desired")
    assert_accessible(page)
    page.get_by_role("button", name="Save your self-assessment").click()
    expect_success(page, "Assessment saved")
    assessment_url = page.url

    senior_page = new_page(viewport=PHONE)
    sign_in(senior_page, world.senior, TEST_PASSWORD)
    senior_page.goto(assessment_url)
    senior_page.get_by_label(f"Level for {second.name}", exact=True).select_option(label="1 Entry")
    senior_page.get_by_label(f"Evidence for {second.name}", exact=True).fill(
        "Plans are still written for people rather than with them"
    )
    senior_page.get_by_label(f"Agreed level for {first.name}", exact=True).select_option(
        label="2 Desired"
    )
    senior_page.get_by_label(f"Agreed level for {second.name}", exact=True).select_option(
        label="1 Entry"
    )
    assert_accessible(senior_page)
    senior_page.get_by_role("button", name="Save the supervisor’s assessment").click()
    expect_success(senior_page, "Assessment saved")
    expect(senior_page.locator("main")).to_contain_text("1 short")

    senior_page.goto(f"/development/{world.worker.pk}/")
    gaps = senior_page.get_by_role("table")
    expect(gaps).to_contain_text(second.name)
    expect(gaps).not_to_contain_text(first.name)
    expect(gaps).to_contain_text("1 short")
    assert_accessible(senior_page)
