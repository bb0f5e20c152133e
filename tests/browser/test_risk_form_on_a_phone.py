"""The risk form on a phone: each area one line until it is opened, so a new assessment
is a few screens, not thirteen; opening an area and assessing it works; axe clean."""

import pytest
from playwright.sync_api import expect

from keywork.risk.models import RiskAssessment
from keywork.testing.factories import TEST_PASSWORD, supported_person
from tests.browser.helpers import assert_accessible, sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


def test_it_keeps_the_risk_form_short_on_a_phone(world, new_page):
    episode = supported_person(world, "Rex", "Riskform")
    page = new_page(viewport=PHONE)
    sign_in(page, world.worker, TEST_PASSWORD)
    page.goto(f"/people/{episode.person_id}/risk/edit/")
    height = page.evaluate("() => document.documentElement.scrollHeight")
    assert height < 4 * PHONE["height"], f"the form is {height / PHONE['height']:.1f} screens"
    assert page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    assert_accessible(page)
    page.get_by_text("Substance use: not assessed").click()
    area = page.locator("details", has_text="Substance use")
    area.get_by_label("Medium").check()
    area.get_by_label("Triggers").fill("Payday weekends")
    page.get_by_role("group", name="Overall level of risk").get_by_label("Low").check()
    page.get_by_role("button", name="Save the risk assessment").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The overall level (low) is below the level of substance use (medium)"
    )
    assert_accessible(page)
    page.get_by_label("The overall level is right, though an area is higher").check()
    page.get_by_role("button", name="Save the risk assessment").click()
    expect(page.locator("main")).to_contain_text("Saved the risk assessment")
    assert RiskAssessment.objects.get(person=episode.person).overall == "low"
