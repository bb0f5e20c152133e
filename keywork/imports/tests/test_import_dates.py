"""An imported date is one casework can be about (1900 to 2100), as a typed one is."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from keywork.imports.rows import parse_date


@pytest.mark.parametrize("value", ["01/01/0001", "31/12/1899", "0001-01-01", "31/12/9999"])
def test_it_refuses_a_date_outside_1900_to_2100_naming_the_column(value):
    with pytest.raises(ValidationError) as refused:
        parse_date(value, "Date of birth")
    assert refused.value.messages == [
        f"Date of birth: '{value}' is not a date between 1900 and 2100"
    ]


def test_it_takes_a_date_in_the_range():
    assert parse_date("27/03/1985", "Date of birth") == date(1985, 3, 27)
