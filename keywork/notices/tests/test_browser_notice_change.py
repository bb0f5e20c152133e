"""In Chromium on a phone (375 px): a support assistant changes a notice's words (a
mistake said first), then withdraws it (a reason asked for); it shows as withdrawn with
who had it kept. A lead manager reads the quarter's delivery. axe-core finds nothing on
any of these pages, error states too."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from keywork.notices import services
from keywork.notices.tests.test_browser_notices_and_involvement import _residents
from keywork.testing.factories import TEST_PASSWORD
from tests.browser.helpers import assert_accessible, expect_error_summary, expect_success, sign_in

pytestmark = pytest.mark.browser


def test_it_changes_and_withdraws_a_notice_on_a_phone(world, new_page):
    house = _residents(world, 2)
    notice = services.notice_create(
        actor=world.worker,
        service=world.service,
        title="Bins go out on Monday",
        body="Put the bins out on Monday night.",
        language="en",
        audience="property",
        property=house,
        published_on=timezone.localdate(),
    )
    services.receipts_record(
        actor=world.worker,
        notice=notice,
        people=[house.units.order_by("name").first().tenancies.get().person],
        received_on=timezone.localdate(),
    )
    page = new_page(viewport={"width": 375, "height": 800})
    sign_in(page, world.support_assistant, TEST_PASSWORD)
    page.goto(f"/notices/{notice.pk}/")
    page.get_by_role("link", name="Change the notice").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change the notice")
    expect(page.get_by_role("main")).to_contain_text("Who it is for cannot change")
    page.get_by_label("Title", exact=True).fill("")
    page.get_by_role("button", name="Save the changes").click()
    expect_error_summary(page, "Enter the title")
    assert_accessible(page)
    page.get_by_label("Title", exact=True).fill("Bins go out on Tuesday")
    page.get_by_label("What it says, in plain words").fill("Put the bins out on Tuesday night.")
    page.get_by_role("button", name="Save the changes").click()
    expect_success(page, "Saved the changes to the notice.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bins go out on Tuesday")
    assert_accessible(page)

    page.get_by_role("link", name="Withdraw it").click()
    page.get_by_role("button", name="Withdraw the notice").click()
    expect_error_summary(page, "Say why the notice is withdrawn")
    assert_accessible(page)
    page.get_by_label("Why it is withdrawn").fill("The council changed the bin day again")
    page.get_by_role("button", name="Withdraw the notice").click()
    expect_success(page, "Withdrew the notice. It is no longer handed out.")
    expect(page.locator("#withdrawn")).to_contain_text("The council changed the bin day again")
    expect(page.locator("#received")).to_contain_text("Sam Abbott")
    expect(page.get_by_role("button", name="Mark who received it")).to_have_count(0)
    assert_accessible(page)

    manager = new_page(viewport={"width": 375, "height": 800})
    sign_in(manager, world.lead_manager, TEST_PASSWORD)
    manager.goto("/notices/")
    manager.get_by_role("link", name=world.service.name).click()
    expect(manager.locator("#delivery-report")).to_contain_text("Bins go out on Tuesday")
    expect(manager.locator("#delivery-report")).to_contain_text("50%")
    assert_accessible(manager)
    manager.get_by_label("Quarter").select_option(index=1)
    manager.get_by_role("button", name="Show").click()
    expect(manager.get_by_role("main")).to_contain_text("published no notices")
    assert_accessible(manager)
