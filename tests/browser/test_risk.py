"""Risk and safety in Chromium: a risk assessment on the banner, an alert that warns
before an appointment is saved, and a serious incident from report to sign-off."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from keywork.people import services as people
from keywork.people.models import Alert
from keywork.risk.models import Incident
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


def test_it_puts_a_risk_assessment_on_the_banner_and_warns_of_an_alert_before_a_visit(
    world, page: Page
):
    episode = supported_person(world, "Dale", "Hewitt")
    people.alert_add(
        actor=world.worker,
        person=episode.person,
        kind=Alert.Kind.NOT_ALONE,
        text="Threats to staff in the past",
        level="danger",
    )
    sign_in(page, world.worker, TEST_PASSWORD)
    page.goto(f"/people/{episode.person_id}/")
    page.get_by_role("link", name="Risk and safety").first.click()
    expect(page.get_by_role("main")).to_contain_text("No risk assessment yet")
    assert_accessible(page)
    page.get_by_role("button", name="Assess risk").click()
    assert_accessible(page)
    # Each area is one line until it is opened.
    page.get_by_text("Risk to staff and lone working: not assessed").click()
    staff_area = page.get_by_role("group", name="Risk to staff and lone working")
    staff_area.get_by_label("High").check()
    page.get_by_label("Medium", exact=True).last.check()  # overall
    page.get_by_role("button", name="Save the risk assessment").click()
    # Every problem at once: the area's plan, and an overall level below the area's.
    expect_error_summary(
        page,
        "Risk to staff and lone working is high: say how it is managed.",
        "The overall level (medium) is below the level of risk to staff and lone working",
    )
    assert_accessible(page)
    staff_area = page.get_by_role("group", name="Risk to staff and lone working")
    staff_area.get_by_label("How it is managed").fill("Two staff; meet in daylight")
    page.get_by_label("The overall level is right, though an area is higher").check()
    page.get_by_role("button", name="Save the risk assessment").click()
    expect_success(page, "Saved the risk assessment. This version is kept.")
    expect(page.get_by_role("region", name="Risk")).to_contain_text(
        "Medium risk overall · risk to staff and lone working: high"
    )
    assert_accessible(page)
    page.get_by_role("link", name="Version 1").click()
    expect(page.get_by_role("main")).to_contain_text("Two staff; meet in daylight")
    assert_accessible(page)

    page.goto(f"/people/{episode.person_id}/appointments/new/")
    page.get_by_label("Home visit").check()
    page.get_by_label("Date").fill(uk_date(timezone.localdate() + timezone.timedelta(days=2)))
    page.get_by_label("Time").fill("10:00")
    page.get_by_role("button", name="Save").click()
    expect_error_summary(page, "Do not visit alone: only one member of staff is going.")
    assert_accessible(page)
    page.get_by_label("Colin Colleague").check()
    page.get_by_role("button", name="Save").click()
    expect_success(page, "Planned the appointment.")
    expect(page.get_by_role("row", name=re.compile("Dale"))).to_contain_text(
        "Medium; to staff: high"
    )
    assert_accessible(page)


def test_it_sends_a_serious_incident_to_the_lead_manager_who_signs_it_off(
    world, page: Page, new_page
):
    episode = supported_person(world, "Nina", "Marsh")
    sign_in(page, world.worker, TEST_PASSWORD)
    page.goto(f"/people/{episode.person_id}/risk/")
    page.get_by_role("link", name="Record an incident").click()
    assert_accessible(page)
    page.get_by_label("Violence or aggression").check()
    page.get_by_label("High (serious)").check()
    page.get_by_label("Date of the incident").fill(
        uk_date(timezone.localdate() + timezone.timedelta(days=3))
    )
    page.get_by_label("Place").fill("Communal kitchen")
    page.get_by_label("What happened").fill("A chair was thrown at the wall.")
    page.get_by_label("What was done straight away").fill("Calmed the room. No one hurt.")
    page.get_by_role("button", name="Save the incident").click()
    expect_error_summary(page, "An incident cannot be dated in the future.")
    assert_accessible(page)
    page.get_by_label("Date of the incident").fill(uk_date(timezone.localdate()))
    page.get_by_label("Time").fill("00:01")
    page.get_by_role("button", name="Save the incident").click()
    expect_success(page, "Recorded the incident. The service's lead manager has been told.")
    expect(page.get_by_role("main")).to_contain_text("Waiting for a manager of Harbour House")
    expect(page.get_by_role("button", name="Review and sign off")).to_have_count(0)
    assert_accessible(page)
    incident = Incident.objects.get()
    page.goto(f"/incidents/{incident.pk}/sign-off/")
    page.get_by_label("Your review").fill("Looks fine to me")
    page.get_by_role("button", name="Sign off").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Only a manager of Harbour House can sign off this incident."
    )
    assert_accessible(page)
    assert Incident.objects.get().signed_off_at is None

    manager = new_page()
    sign_in(manager, world.lead_manager, TEST_PASSWORD)
    manager.goto("/")
    manager.get_by_role("link", name=re.compile("^Serious incident in Harbour House")).click()
    assert_accessible(manager)
    manager.get_by_role("button", name="Review and sign off").click()
    assert_accessible(manager)
    manager.get_by_label("Your review").fill("Handled well; house meeting on Friday.")
    manager.get_by_label("Follow-up to do").fill("Talk through the house rules")
    manager.get_by_label("Who will do it").select_option(label="Wendy Worker")
    manager.get_by_label("Follow-up due by").fill(
        uk_date(timezone.localdate() + timezone.timedelta(days=7))
    )
    manager.get_by_role("button", name="Sign off").click()
    expect_success(manager, "Signed off the incident.")
    expect(manager.get_by_role("main")).to_contain_text("Signed off by Laura Lead")
    assert_accessible(manager)
    manager.get_by_role("link", name="Back to incidents").click()
    expect(manager.get_by_role("main")).to_contain_text("Violence or aggression")
    assert_accessible(manager)
    assert Incident.objects.get().signed_off_by == world.lead_manager

    page.goto(f"/people/{episode.person_id}/risk/")
    page.get_by_role("link", name=re.compile("^Violence or aggression")).click()
    expect(page.get_by_role("main")).to_contain_text("Signed off by Laura Lead")
    assert_accessible(page)


def test_it_records_a_safeguarding_referral_and_shows_a_persons_part_in_an_incident(
    world, page: Page
):
    from keywork.risk import services as risk

    episode = supported_person(world, "Tara", "Quinn")
    incident = risk.incident_report(
        actor=world.worker,
        service=world.service,
        type="safeguarding",
        severity="medium",
        occurred_at=timezone.now() - timezone.timedelta(hours=2),
        place="Her flat",
        what_happened="A visitor was taking her bank card.",
        immediate_action="Talked it through; card cancelled.",
        people=[episode.person],
    )
    sign_in(page, world.worker, TEST_PASSWORD)
    page.goto(f"/incidents/{incident.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("^Write their part")).click()
    assert_accessible(page)
    page.get_by_label("What happened to or with them").fill("Her card was taken by a visitor.")
    page.get_by_role("button", name="Save").click()
    expect_success(page, "Saved Tara Quinn's part in the incident.")

    page.goto(f"/people/{episode.person_id}/risk/")
    page.get_by_role("link", name="Record a safeguarding referral").click()
    page.get_by_role("button", name="Save").click()
    expect_error_summary(page, "Describe the concern")
    assert_accessible(page)
    page.get_by_label("An adult at risk").check()
    page.get_by_label("The concern").fill("Financial abuse by a visitor")
    page.get_by_label("Referred to").fill("Adult safeguarding team")
    page.get_by_label("Incident it came from").select_option(index=1)
    page.get_by_role("button", name="Save").click()
    expect_success(page, "Recorded the safeguarding referral.")
    page.get_by_role("link", name=re.compile("^An adult at risk: referred to")).click()
    assert_accessible(page)
    page.get_by_label("Enquiry opened").check()
    page.get_by_label("Date of the outcome").fill(uk_date(timezone.localdate()))
    page.get_by_role("button", name="Save the outcome").click()
    expect_success(page, "Saved the outcome of the referral.")
    expect(page.get_by_role("main")).to_contain_text("Enquiry opened")
    page.get_by_role("link", name=re.compile("^Safeguarding concern")).click()
    expect(page.get_by_role("main")).to_contain_text("Her card was taken by a visitor.")
    assert_accessible(page)
