"""An administrator defines an outcome framework in Chromium: two areas of life and stages
covering 1 to 10, after being told the stages overlap; then chooses it for new support
plans. axe-core on every page, the error state included."""

import re

import pytest
from playwright.sync_api import Page, expect

from keywork.outcomes.models import Framework
from keywork.planning.services import default_framework_for
from keywork.testing.factories import TEST_PASSWORD
from tests.browser.helpers import (
    assert_accessible,
    expect_error_summary,
    expect_success,
    sign_in,
)

pytestmark = pytest.mark.browser


def fill_area(page: Page, number: int, name: str, covers: str) -> None:
    row = page.get_by_role("group", name=f"Area of life {number}", exact=True)
    row.get_by_label("Name").fill(name)
    row.get_by_label("What it covers (optional)").fill(covers)


def fill_stage(page: Page, number: int, label: str, low: int, high: int) -> None:
    row = page.get_by_role("group", name=f"Stage {number}", exact=True)
    row.get_by_label("Label").fill(label)
    row.get_by_label("From score").fill(str(low))
    row.get_by_label("To score").fill(str(high))


def test_it_lets_an_administrator_define_a_framework_and_choose_it(world, page: Page):
    sign_in(page, world.admin, TEST_PASSWORD)
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Organisation set-up"
    ).click()
    page.get_by_role("link", name="Outcome frameworks").click()
    expect(page).to_have_url(re.compile(r"/organisation/frameworks/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Outcome frameworks")
    frameworks = page.get_by_role("table", name="Outcome frameworks")
    expect(frameworks).to_contain_text("Keywork Steps")
    expect(frameworks).to_contain_text("Keywork’s own")
    expect(page.get_by_role("main")).to_contain_text("New support plans use Keywork Steps")
    assert_accessible(page)

    page.get_by_role("link", name="Keywork Steps").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Keywork Steps")
    expect(page.get_by_role("main")).to_contain_text("Keywork’s own framework cannot be changed")
    assert_accessible(page)
    page.get_by_role("link", name="Back to outcome frameworks").click()

    page.get_by_role("link", name="Add a framework").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a framework")
    expect(page.get_by_role("main")).to_contain_text("Scale: 1 to 10")
    assert_accessible(page)

    page.get_by_label("Name", exact=True).first.fill("Harbour Steps")
    fill_area(page, 1, "Home", "Keeping a home and the tenancy")
    fill_area(page, 2, "Money", "Benefits, budgeting and debts")
    fill_stage(page, 1, "Not yet", 1, 4)
    fill_stage(page, 2, "Getting there", 4, 7)
    fill_stage(page, 3, "Managing", 8, 10)
    page.get_by_role("button", name="Save").click()
    expect_error_summary(page, "Stages overlap: ‘Not yet’ and ‘Getting there’ both include 4.")
    # What was entered is still there to correct.
    expect(
        page.get_by_role("group", name="Area of life 2", exact=True).get_by_label("Name")
    ).to_have_value("Money")
    assert not Framework.objects.filter(name="Harbour Steps").exists()
    assert_accessible(page)

    page.get_by_role("group", name="Stage 2", exact=True).get_by_label("From score").fill("5")
    page.get_by_role("button", name="Save").click()
    expect_success(page, "Added the framework Harbour Steps.")
    expect(page.get_by_role("table", name="Outcome frameworks")).to_contain_text("Harbour Steps")
    assert_accessible(page)
    framework = Framework.objects.get(name="Harbour Steps")
    assert [d.name for d in framework.domains.all()] == ["Home", "Money"]
    assert [(s.low, s.high) for s in framework.stages.all()] == [(1, 4), (5, 7), (8, 10)]

    page.get_by_role("link", name="Change the framework new support plans use").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Choose the framework for new support plans"
    )
    assert_accessible(page)
    page.get_by_role("radio", name="Harbour Steps").check()
    page.get_by_role("button", name="Save").click()
    expect_success(page, "New support plans will use Harbour Steps.")
    expect(page.get_by_role("main")).to_contain_text("New support plans use Harbour Steps")
    assert_accessible(page)
    assert default_framework_for(world.organisation.pk) == framework

    page.get_by_role("link", name="Change Harbour Steps").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change Harbour Steps")
    assert_accessible(page)
