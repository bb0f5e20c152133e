"""Fewer places while someone takes one, at the same moment, on PostgreSQL with two
threads: a session never holds more people than the event's places. Either the change
comes first and the sign-up finds the session full (the places read once its row is
locked, not as they were before it waited), or the sign-up comes first and the change
is refused. The same run with the rows left unlocked overfills, so the test can fail.

The rows are committed and taken away again, as in test_last_place_race."""

import threading
import time
from datetime import time as clock
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from keywork.accounts.models import User
from keywork.events import services
from keywork.events.models import Event, Session, SignUp
from keywork.events.tests.test_last_place_race import transactional_db  # noqa: F401
from keywork.people.models import Person
from keywork.testing.personas import build_world

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite lets one writer in at a time anyway"
)


def _at_once(event_id: int, session_id: int, person_id: int, actors: list[int]) -> list[object]:
    """Thread 0 lowers the places to 1, thread 1 signs someone up. The change, having
    counted the places taken, holds on for half a second before it writes, so that the
    sign-up lands inside its window."""
    results: list[object] = [None, None]
    start = threading.Barrier(2)
    most_holding = services._most_holding

    def slow(sessions):
        found = most_holding(sessions)
        time.sleep(0.5)
        return found

    def change() -> None:
        event = Event.objects.get(pk=event_id)
        start.wait()
        results[0] = services.event_update(
            actor=User.objects.get(pk=actors[0]),
            event=event,
            version=event.version,
            title=event.title,
            kind=event.kind,
            venue=event.venue,
            capacity=1,
        ).capacity

    def sign_up() -> None:
        session = Session.objects.get(pk=session_id)
        person = Person.objects.get(pk=person_id)
        start.wait()
        time.sleep(0.1)  # the change counts first
        results[1] = services.signup_add(
            actor=User.objects.get(pk=actors[1]), session=session, person=person
        ).status

    def run(n: int) -> None:
        try:
            (change, sign_up)[n]()
        except Exception as error:  # noqa: BLE001 - the test reports it
            results[n] = error
        finally:
            connections.close_all()

    services._most_holding = slow
    try:
        threads = [threading.Thread(target=run, args=(n,)) for n in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        services._most_holding = most_holding
    return results


@pytest.mark.parametrize("locked", [True, False], ids=["locked", "unlocked-control"])
def test_it_never_holds_more_people_than_places_when_places_go_down_meanwhile(
    transactional_db,  # noqa: F811
    monkeypatch,
    locked,
):
    from keywork.events.tests.conftest import supported

    world = build_world()
    event = services.event_create(
        actor=world.support_assistant,
        services=[world.service],
        title="Cooking group",
        kind="skills",
        venue="Kitchen",
        capacity=2,
        first_date=timezone.localdate() + timedelta(days=3),
        starts_at=clock(14, 0),
        ends_at=clock(16, 0),
    )
    session = event.sessions.get()
    ann, bea = (supported(world, name) for name in ("Ann", "Bea"))
    services.signup_add(actor=world.worker, session=session, person=ann)
    if not locked:
        # The control: the same services with the row locks taken out.
        for manager in (Session.objects, Event.objects):
            monkeypatch.setattr(
                type(manager), "select_for_update", lambda self, **kwargs: self.get_queryset()
            )
    results = _at_once(
        event.pk, session.pk, bea.pk, [world.support_assistant.pk, world.colleague.pk]
    )
    monkeypatch.undo()
    event.refresh_from_db()
    holding = SignUp.objects.filter(session=session, status__in=SignUp.HOLDING).count()
    if locked:
        assert results in ([1, "waiting"],) or (
            isinstance(results[0], ValidationError) and results[1] == "place"
        ), results
        assert holding <= event.capacity
    else:
        assert results == [1, "place"], results
        assert (holding, event.capacity) == (2, 1)  # one more than its places
