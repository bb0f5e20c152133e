"""The page to go on to after signing in (?next=) is a path on this site, or the home
page: never an error, whatever the address says."""

import pytest
from django.urls import reverse

HOME = reverse("home:home")


@pytest.mark.parametrize("url_name", ["accounts:sign_in", "accounts:two_factor_verify"])
@pytest.mark.parametrize(
    "next_page", ["0", "nan", "home:home", "9999-12-31T23:59:59-14:00", "//evil.example/", "\x00"]
)
def test_it_goes_home_from_a_next_page_that_is_not_a_path(client_for, url_name, next_page):
    response = client_for("worker").get(reverse(url_name), {"next": next_page})
    assert response.status_code == 302
    assert response["Location"] == HOME


def test_it_goes_on_to_a_path_of_this_site(client_for):
    wanted = reverse("people:my_caseload") + "?sort=name"
    response = client_for("worker").get(reverse("accounts:two_factor_verify"), {"next": wanted})
    assert response["Location"] == wanted
