"""The organisation's set-up page, as its administrator sees it on a phone: no sideways
scroll, axe clean."""

import pytest

from keywork.testing.factories import TEST_PASSWORD
from tests.browser.helpers import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def test_it_fits_the_organisation_page_on_a_phone(world, new_page):
    page = new_page(viewport={"width": 375, "height": 812})
    sign_in(page, world.admin, TEST_PASSWORD)
    page.goto("/organisation/")
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{widths[0]} px wide in {widths[1]}: {widest_elements(page)}"
    assert_accessible(page)


def widest_elements(page) -> list:
    """What sticks out past the window's right edge, to say so when the test fails."""
    return page.evaluate(
        """() => [...document.querySelectorAll('main *')]
            .filter(e => e.getBoundingClientRect().right
                > document.documentElement.clientWidth)
            .slice(0, 5)
            .map(e => `${e.tagName}.${e.className} ${e.getBoundingClientRect().right}`)"""
    )
