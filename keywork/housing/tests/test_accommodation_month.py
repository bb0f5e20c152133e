"""The month a service's accommodation page counts: a real month from 1900 to 2100, as
the page's form asks for it; anything else shows the usual month and says so."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

NOT_UNDERSTOOD = "The month was not understood"


def usual_month():
    return (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)


def page_for(client_for, world, month):
    page = client_for("lead_manager").get(
        reverse("housing:service", args=[world.service.pk]), {"month": month}
    )
    assert page.status_code == 200
    return page


@pytest.mark.parametrize(
    "month",
    [
        "9999-12",
        "99999999999999999999-1",
        "2026-00",
        "2026-13",
        "1-1",
        "0001-01",
        "1899-12",
        "2101-01",
        "11/2026",
        "November 2026",
        "٢٠٢٦-١٠",  # digits of another script, which int() would take
        "\x00",
    ],
)
def test_it_shows_the_usual_month_and_says_it_did_not_understand(client_for, world, month):
    page = page_for(client_for, world, month)
    html = page.content.decode()
    assert page.context["occupancy"].month == usual_month()
    assert NOT_UNDERSTOOD in html
    assert 'aria-describedby="month-error"' in html and 'id="month-error"' in html


@pytest.mark.parametrize(("month", "year", "number"), [("2026-10", 2026, 10), ("1900-1", 1900, 1)])
def test_it_shows_a_month_asked_for_as_the_form_says(client_for, world, month, year, number):
    page = page_for(client_for, world, month)
    shown = page.context["occupancy"].month
    assert (shown.year, shown.month, shown.day) == (year, number, 1)
    assert NOT_UNDERSTOOD not in page.content.decode()


def test_it_says_nothing_when_no_month_is_asked_for(client_for, world):
    page = page_for(client_for, world, "")
    assert page.context["occupancy"].month == usual_month()
    assert NOT_UNDERSTOOD not in page.content.decode()
