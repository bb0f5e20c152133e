"""The events pages make as many queries with many sessions and sign-ups as with few."""

from datetime import time, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from keywork.events import services
from keywork.events.tests.conftest import supported

pytestmark = pytest.mark.django_db
BUDGET = 40


def _grow(world, *, events: int, people: int, start: int = 0):
    """More events (weekly, for three weeks from yesterday) and more people signed up to
    each of their sessions: yesterday's (the register) and those to come."""
    made = []
    folk = [supported(world, f"Casey{start + i}") for i in range(people)]
    with time_machine.travel(timezone.now() - timedelta(days=2)):
        for n in range(events):
            event = services.event_create(
                actor=world.support_assistant,
                services=[world.service],
                title=f"Group {start + n}",
                kind="social",
                venue="Hall",
                capacity=100,
                repeat="weekly",
                first_date=timezone.localdate() + timedelta(days=1),
                until=timezone.localdate() + timedelta(days=22),
                starts_at=time(0, 5),
                ends_at=time(23, 55),
            )
            for session in event.sessions.all():
                for person in folk:
                    services.signup_add(
                        actor=world.support_assistant, session=session, person=person
                    )
            made.append(event)
    return made, folk


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


PAGES = [
    lambda w, e, p: reverse("events:service", args=[w.service.pk]),
    lambda w, e, p: reverse("events:event", args=[e.pk]),
    lambda w, e, p: reverse("events:session", args=[e.sessions.first().pk]),
    lambda w, e, p: reverse("events:session", args=[e.sessions.last().pk]),
    lambda w, e, p: reverse("events:register", args=[e.sessions.first().pk]),
    # Finding who came without signing up: everyone not on the register is called Tester.
    lambda w, e, p: reverse("events:register", args=[e.sessions.first().pk]) + "?q=tester",
    lambda w, e, p: reverse("events:event_edit", args=[e.pk]),
    lambda w, e, p: reverse("people:person", args=[p.pk]),
    lambda w, e, p: reverse("home:home"),
]


@pytest.mark.parametrize("url_for", PAGES)
def test_it_makes_as_many_queries_with_more_sessions_and_sign_ups(world, client_for, url_for):
    (event, *_), (person, *_) = _grow(world, events=1, people=2)
    client = client_for("support_assistant")
    url = url_for(world, event, person)
    client.get(url)
    few = _count(client, url)
    _grow(world, events=3, people=6, start=10)
    # The same event's sessions fill up too.
    for session in event.sessions.filter(starts_at__gt=timezone.now()):
        for extra in [supported(world, f"Extra{session.pk}-{i}") for i in range(3)]:
            services.signup_add(actor=world.support_assistant, session=session, person=extra)
    # And yesterday's register: people who came without signing up.
    for extra in [supported(world, f"Came{i}") for i in range(3)]:
        services.walk_in_add(
            actor=world.support_assistant, session=event.sessions.first(), person=extra
        )
    many = _count(client, url)
    assert many == few, f"{url}: {few} queries with few sessions and sign-ups, {many} with more"
    assert many <= BUDGET, f"{url}: {many} queries"
