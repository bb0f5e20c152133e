"""Someone who came without signing up is found on the register by name (a search in the
page's address, so it works without JavaScript): at most 20 of the people of the event's
services the reader may see who are not on the register already, however many there
are, in as many queries."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from keywork.events import services
from keywork.events.models import SignUp
from keywork.events.selectors import WALK_INS_SHOWN
from keywork.events.tests.conftest import make_event, supported

pytestmark = pytest.mark.django_db


@pytest.fixture
def yesterdays(world):
    """Yesterday's session, Ann signed up to it."""
    ann = supported(world, "Ann")
    with time_machine.travel(timezone.now() - timedelta(days=2)):
        session = make_event(world, days_ahead=1, capacity=10).sessions.get()
        services.signup_add(actor=world.support_assistant, session=session, person=ann)
    return session


def _offered(html: str) -> list[str]:
    """The names offered to add, as the radios' labels say them."""
    form = html.split('name="action" value="walk_in"')[1] if "walk_in" in html else ""
    return [
        part.split(">", 1)[1].split("<", 1)[0]
        for part in form.split('class="govuk-label govuk-radios__label" for="id_person_')[1:]
    ]


def test_it_lists_nobody_until_a_name_is_given(world, client_for, yesterdays):
    supported(world, "Bea")
    page = client_for("support_assistant").get(reverse("events:register", args=[yesterdays.pk]))
    html = page.content.decode()
    assert 'name="q"' in html and "Find" in html
    assert _offered(html) == []


def test_it_finds_who_came_by_name_and_adds_them(world, client_for, yesterdays):
    bea = supported(world, "Bea")
    supported(world, "Zoë")
    client = client_for("support_assistant")
    url = reverse("events:register", args=[yesterdays.pk])
    assert _offered(client.get(url, {"q": "bea"}).content.decode()) == ["Bea Tester"]
    # Any case, without the accent.
    assert _offered(client.get(url, {"q": "ZOE tes"}).content.decode()) == ["Zoë Tester"]
    # Ann is on the register already.
    assert _offered(client.get(url, {"q": "tester"}).content.decode()) == [
        "Bea Tester",
        "Zoë Tester",
    ]
    added = client.post(f"{url}?q=bea", {"action": "walk_in", "person": bea.pk, "status": "late"})
    assert added.status_code == 302
    row = SignUp.objects.get(person=bea)
    assert (row.walk_in, row.status) == (True, "late")
    assert _offered(client.get(url, {"q": "bea"}).content.decode()) == []


def test_it_finds_no_one_outside_the_events_services_or_hidden_from_the_reader(
    world, client_for, yesterdays
):
    # Eve is supported by the other team's service, which the event is not for; once it
    # is, the worker's support assistant still may not see her.
    supported(world, "Eve", service=world.other_service, key_worker=world.other_team_worker)
    client = client_for("support_assistant")
    url = reverse("events:register", args=[yesterdays.pk])
    page = client.get(url, {"q": "eve"}).content.decode()
    assert _offered(page) == [] and "No one called" in page
    yesterdays.event.services.add(world.other_service)
    assert _offered(client.get(url, {"q": "eve"}).content.decode()) == []
    assert _offered(client_for("other_team_worker").get(url, {"q": "eve"}).content.decode()) == [
        "Eve Tester"
    ]


def test_it_refuses_someone_posted_who_may_not_be_added(world, client_for, yesterdays):
    eve = supported(world, "Eve", service=world.other_service, key_worker=world.other_team_worker)
    response = client_for("support_assistant").post(
        reverse("events:register", args=[yesterdays.pk]) + "?q=eve",
        {"action": "walk_in", "person": eve.pk, "status": "attended"},
    )
    assert response.status_code == 200
    assert "Choose someone supported by this event" in response.content.decode()
    assert not SignUp.objects.filter(person=eve).exists()


def test_it_shows_at_most_twenty_and_says_so(world, client_for, yesterdays):
    for n in range(WALK_INS_SHOWN + 3):
        supported(world, f"Casey{n:02d}")
    page = (
        client_for("support_assistant")
        .get(reverse("events:register", args=[yesterdays.pk]), {"q": "casey"})
        .content.decode()
    )
    assert len(_offered(page)) == WALK_INS_SHOWN == 20
    assert "give more of the name" in page


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"q": "tester"})
    assert response.status_code == 200
    return len(queries)


def test_it_makes_as_many_queries_with_many_people_as_with_few(world, client_for, yesterdays):
    for n in range(3):
        supported(world, f"Few{n}")
    client = client_for("support_assistant")
    url = reverse("events:register", args=[yesterdays.pk])
    client.get(url, {"q": "tester"})
    few = _count(client, url)
    for n in range(40):
        supported(world, f"Many{n}")
    many = _count(client, url)
    assert many == few, f"{few} queries with 4 people, {many} with 44"
    assert many <= 30
