"""A UK date field takes the dates casework can be about, 1900 to 2100, and says which
field is wrong when a date falls outside them."""

from datetime import date

import pytest
from django import forms

from keywork.core.fields import uk_date


class ReceivedForm(forms.Form):
    received_on = uk_date("Date received", help_text="For example, 27/11/2026")
    ended_on = uk_date("End date", required=False, help_text="Leave empty if it goes on.")


@pytest.mark.parametrize("typed", ["01/01/0001", "31/12/1899", "01/01/2101", "31/12/9999"])
def test_it_refuses_a_date_outside_1900_to_2100_naming_the_field(typed):
    form = ReceivedForm({"received_on": typed})
    assert not form.is_valid()
    assert form.errors["received_on"] == [
        "Enter the date received as a date between 1900 and 2100, like 27/11/2026"
    ]


@pytest.mark.parametrize(
    ("typed", "day"), [("01/01/1900", date(1900, 1, 1)), ("31/12/2100", date(2100, 12, 31))]
)
def test_it_takes_the_first_and_last_days_of_the_range(typed, day):
    form = ReceivedForm({"received_on": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["received_on"] == day


def test_it_gives_the_usual_example_when_the_hint_has_no_date():
    form = ReceivedForm({"received_on": "27/11/2026", "ended_on": "31/02/2027"})
    assert form.errors["ended_on"] == ["Enter the end date as a real date, like 27/03/1985"]
    form = ReceivedForm({"received_on": "27/11/2026", "ended_on": "01/01/0001"})
    assert form.errors["ended_on"] == [
        "Enter the end date as a date between 1900 and 2100, like 27/03/1985"
    ]
