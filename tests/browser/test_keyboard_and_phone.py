"""Keyboard and phone: the skip link comes first and works; signing in works on a small
screen; the home page fits the screen without sideways scrolling."""

import re

import pytest
from playwright.sync_api import Page, expect

from keywork.testing.factories import TEST_PASSWORD
from tests.browser.helpers import assert_accessible, assert_styled, current_code, sign_in

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 667}, "is_mobile": True, "has_touch": True}


def assert_no_sideways_scroll(page: Page) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], (
        f"{page.url} scrolls sideways on a phone: the page is {widths[0]}px wide "
        f"in a {widths[1]}px window"
    )


def assert_menu_reachable(page: Page) -> None:
    """On a phone GOV.UK Frontend folds the menu behind a "Menu" button (without its
    script the links simply show): either way, the Home link can be reached."""
    menu = page.get_by_role("navigation", name="Menu")
    toggle = menu.get_by_role("button", name="Menu")
    if toggle.is_visible():
        expect(toggle).to_have_attribute("aria-expanded", "false")
        toggle.tap()
        expect(toggle).to_have_attribute("aria-expanded", "true")
        assert_accessible(page)
    expect(menu.get_by_role("link", name="Home")).to_be_visible()
    assert_no_sideways_scroll(page)


def assert_skip_link_first_and_working(page: Page, first_in_main: str) -> None:
    """Tab from the top reaches the skip link first; it shows, and Enter moves focus to the
    main content, so the next Tab reaches the first control there."""
    skip_link = page.get_by_role("link", name="Skip to main content")
    page.keyboard.press("Tab")
    expect(skip_link).to_be_focused()
    box = skip_link.bounding_box()
    assert box and box["width"] > 1 and box["height"] > 1, "the focused skip link is not visible"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main-content$"))
    focused = page.evaluate("() => document.activeElement.id")
    assert focused == "main-content", (
        f"after the skip link, focus is on {focused or 'the page body'!r}, not #main-content "
        "(GOV.UK Frontend's skip-link script moves it: is govuk-frontend.bundle.js loading?)"
    )
    page.keyboard.press("Tab")
    expect(page.locator(first_in_main).first).to_be_focused()


def test_it_signs_in_on_a_phone_without_sideways_scrolling(world, new_page):
    page = new_page(**PHONE)
    page.goto("/sign-in/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Keywork")
    assert_styled(page)
    assert_accessible(page)
    assert_no_sideways_scroll(page)

    # A phone user taps into the fields and the button.
    worker = world.worker
    page.get_by_label("Email address").tap()
    page.keyboard.type(worker.email)
    page.get_by_label("Password").tap()
    page.keyboard.type(TEST_PASSWORD)
    continue_button = page.get_by_role("button", name="Continue")
    box = continue_button.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 375, "Continue is off the screen"
    continue_button.tap()

    # The code field brings up the number pad and offers the code from the phone.
    code_field = page.get_by_label("Code from your authenticator app")
    expect(code_field).to_have_attribute("inputmode", "numeric")
    expect(code_field).to_have_attribute("autocomplete", "one-time-code")
    assert_accessible(page)
    assert_no_sideways_scroll(page)
    code_field.tap()
    page.keyboard.type(current_code(worker))
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Wendy")
    assert_accessible(page)
    assert_no_sideways_scroll(page)


@pytest.mark.parametrize("who", ["worker", "lead_manager", "admin"])
def test_it_fits_the_home_page_on_a_phone_screen(world, new_page, who):
    """Home differs by role (a team, a services table, organisation figures): none of it
    may push the page wider than the phone."""
    page = new_page(**PHONE)
    sign_in(page, world.persona(who), TEST_PASSWORD)
    expect(page).to_have_title("Home – Keywork")
    assert_styled(page)
    assert_no_sideways_scroll(page)
    assert_accessible(page)
    assert_menu_reachable(page)


def test_it_puts_the_skip_link_first_on_the_sign_in_page(world, new_page):
    page = new_page(**PHONE)
    page.goto("/sign-in/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Keywork")
    assert_accessible(page)
    assert_skip_link_first_and_working(page, "#id_email")


def test_it_puts_the_skip_link_first_when_signed_in(world, new_page):
    """Signed in, the header has a link and a button before the menu: the skip link still
    comes first and jumps past them all."""
    page = new_page(**PHONE)
    sign_in(page, world.admin, TEST_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Adam")
    assert_skip_link_first_and_working(page, "#main-content a")
