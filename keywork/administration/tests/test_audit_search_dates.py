"""The audit search's dates: a date past what can be searched is a message, not an
error."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("date_to", "Enter the to date as a date between 1900 and 2100"),
        ("date_from", "Enter the from date as a date between 1900 and 2100"),
    ],
)
@pytest.mark.parametrize("typed", ["31/12/9999", "01/01/0001"])
def test_it_says_a_date_at_the_ends_of_the_calendar_is_out_of_range(
    client_for, field, message, typed
):
    page = client_for("lead_manager").get(reverse("administration:audit"), {field: typed})
    assert page.status_code == 200
    assert message in page.content.decode()
