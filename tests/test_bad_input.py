"""No input gives a server error: every form here is fed arbitrary text."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keywork.accounts.models import Invitation
from keywork.core import views as core_views
from keywork.organisations.models import Service

anything = st.text(max_size=300)
field_values = st.one_of(anything, st.integers(-(10**20), 10**20).map(str), st.just(""))

FORMS = [
    ("admin", "administration:area_new", ["name", "kind"]),
    (
        "admin",
        "administration:service_new",
        [
            "name",
            "type",
            "area",
            "commissioner",
            "nation",
            "note_interval_days",
            "plan_review_weeks",
            "risk_review_weeks",
        ],
    ),
    ("admin", "administration:team_new", ["name", "services"]),
    ("admin", "administration:staff_invite", ["full_name", "email", "role", "team", "service"]),
    ("worker", "accounts:confirm_password", ["password"]),
    ("anonymous", "accounts:sign_in", ["email", "password", "next"]),
]


@pytest.mark.parametrize(("persona", "url_name", "fields"), FORMS)
def test_it_never_answers_a_form_with_a_server_error(client_for, world, persona, url_name, fields):
    client = client_for(persona)
    url = reverse(url_name)
    services_before = Service.objects.count()

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.fixed_dictionaries(dict.fromkeys(fields, field_values)))
    def post(data):
        response = client.post(url, data)
        assert response.status_code < 500

    post()
    # Arbitrary input may make a valid record now and then, never a broken one.
    for service in Service.objects.all()[services_before:]:
        service.full_clean()
    assert not Invitation.objects.exclude(organisation=world.organisation).exists()


@given(st.text(max_size=200))
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_it_answers_audit_searches_of_any_text(client_for, text):
    client = client_for("lead_manager")
    for name in ("user", "record_type", "record_id", "date_from", "date_to", "page", "show"):
        assert client.get(reverse("administration:audit"), {name: text}).status_code == 200


def test_it_has_a_plain_page_for_a_server_error(rf):
    response = core_views.server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Sorry, something went wrong" in response.content.decode()


HUGE = "9" * 25


def test_it_answers_an_id_too_large_for_the_database_with_404(client_for):
    client = client_for("admin")
    for url in (f"/staff/{HUGE}/", f"/organisation/services/{HUGE}/", f"/staff/{HUGE}/roles/new/"):
        assert client.get(url).status_code == 404


def test_it_refuses_a_choice_too_large_for_the_database(client_for, world):
    admin = client_for("admin")
    response = admin.post(reverse("administration:team_new"), {"name": "T", "services": [HUGE]})
    assert "Select a valid choice" in response.content.decode()
    response = admin.post(
        reverse("administration:staff_invite"),
        {"full_name": "A", "email": "a@keywork.test", "role": "support_worker", "team": HUGE},
    )
    assert "Select a valid choice" in response.content.decode()
