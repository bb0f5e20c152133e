"""What the pages say of a session's places: how many places and how many are left (or
that it is full), which are the event's, never how many people are signed up or waiting,
which would tell a reader of people they may not see. By name, only those they may."""

import re

import pytest
from django.urls import reverse

from keywork.events import services
from keywork.events.tests.conftest import make_event, supported

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_session(world):
    """A session for two teams' services with three places: Ann of the worker's team, and
    Bob and Cal of the other team, have them; Dan of the other team waits."""
    event = make_event(world, capacity=3)
    # Made with the other team's service too (no one works in both to make it so).
    event.services.add(world.other_service)
    session = event.sessions.get()
    ann = supported(world, "Ann")
    bob, cal, dan = (
        supported(world, name, service=world.other_service, key_worker=world.other_team_worker)
        for name in ("Bob", "Cal", "Dan")
    )
    services.signup_add(actor=world.worker, session=session, person=ann)
    for person in (bob, cal, dan):
        services.signup_add(actor=world.other_team_worker, session=session, person=person)
    return session


def _pages(world, session) -> dict[str, str]:
    return {
        "event": reverse("events:event", args=[session.event_id]),
        "session": reverse("events:session", args=[session.pk]),
        "service": reverse("events:service", args=[world.service.pk]),
    }


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_it_says_a_session_is_full_without_counting_people_the_reader_may_not_see(
    world, client_for, shared_session
):
    client = client_for("worker")
    for name, url in _pages(world, shared_session).items():
        page = _text(client.get(url).content.decode())
        assert "Full" in page, name
        assert "Bob" not in page and "Dan" not in page, name
        # No number of people: not taken, not waiting.
        assert not re.search(r"\d+ (taken|waiting)|\d+ of \d+ places", page), name
    session_page = _text(client.get(_pages(world, shared_session)["session"]).content.decode())
    assert "Ann Tester" in session_page
    # Dan waits, but the worker may not see him: no waiting list to show them.
    assert "Waiting list" not in session_page


def test_it_says_how_many_places_are_left(world, client_for):
    session = make_event(world, capacity=5).sessions.get()
    services.signup_add(actor=world.worker, session=session, person=supported(world, "Ann"))
    client = client_for("worker")
    for name, url in _pages(world, session).items():
        assert "5 places, 4 left" in _text(client.get(url).content.decode()), name


def test_it_lists_by_name_the_waiting_the_reader_may_see(world, client_for, shared_session):
    # The other team's worker sees Bob and Cal with places and Dan waiting, not Ann.
    page = _text(
        client_for("other_team_worker")
        .get(reverse("events:session", args=[shared_session.pk]))
        .content.decode()
    )
    assert "Bob Tester" in page and "Cal Tester" in page and "Dan Tester" in page
    assert "Waiting list" in page and "Ann" not in page and "Full" in page


def test_it_shows_on_the_persons_page_only_what_they_are_signed_up_for(
    world, client_for, shared_session
):
    ann = shared_session.sign_ups.get(person__first_name="Ann").person
    html = client_for("worker").get(reverse("people:person", args=[ann.pk])).content.decode()
    panel = _text(html.split("Events signed up for")[1].split("<h2")[0])
    assert "Cooking group" in panel
    assert not re.search(r"\d+ (taken|waiting)|places", panel)
