"""Two staff taking a session's last place at the same moment, on PostgreSQL with two
threads and two connections: one gets it, the other is put on the waiting list, and the
session never holds more than its places. The same run with the session's row left
unlocked lets both in, so the test can fail.

The rows are committed (each thread has its own connection and must see them) and taken
away again at the end by this test itself: every row written after it began, in one
transaction whose foreign keys are checked at its end."""

import threading
import time
from datetime import time as clock
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from keywork.accounts.models import User
from keywork.events import services
from keywork.events.models import Session, SignUp
from keywork.people.models import Person
from keywork.testing.personas import build_world

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite lets one writer in at a time anyway"
)


def _tables_with_ids() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND column_name = 'id' "
            "AND data_type IN ('bigint', 'integer')"
        )
        return [row[0] for row in cursor.fetchall()]


def _highest_ids(tables: list[str]) -> dict[str, int]:
    highest = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')
            highest[table] = cursor.fetchone()[0]
    return highest


def _take_away_rows_after(highest: dict[str, int]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table, top in highest.items():
            cursor.execute(f'DELETE FROM "{table}" WHERE id > %s', [top])


def _two_at_once(session_id: int, people: list[int], actors: list[int]) -> list[object]:
    """Each thread signs one person up; the first to count the places holds the session
    for half a second before it writes, so the other's attempt lands inside its window."""
    results: list[object] = [None, None]
    start = threading.Barrier(2)
    counted = threading.Lock()
    first_counted = []
    taken = services._places_taken

    def slow_first(session):
        number = taken(session)
        with counted:
            is_first = not first_counted
            first_counted.append(True)
        if is_first:
            time.sleep(0.5)
        return number

    def run(n: int) -> None:
        try:
            actor = User.objects.get(pk=actors[n])
            session = Session.objects.get(pk=session_id)
            person = Person.objects.get(pk=people[n])
            start.wait()
            results[n] = services.signup_add(actor=actor, session=session, person=person).status
        except Exception as error:  # noqa: BLE001 - the test reports it
            results[n] = error
        finally:
            connections.close_all()

    services._places_taken = slow_first
    try:
        threads = [threading.Thread(target=run, args=(n,)) for n in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        services._places_taken = taken
    return results


def _last_place_left(world) -> tuple[int, list[int]]:
    from keywork.events.tests.conftest import supported

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
    first, *two = (supported(world, name) for name in ("Ann", "Bea", "Cal"))
    services.signup_add(actor=world.worker, session=session, person=first)
    return session.pk, [p.pk for p in two]


@pytest.fixture
def transactional_db(django_db_setup, django_db_blocker):
    """Rows committed, as two connections need, and taken away after by deleting what
    was added: pytest-django's own would flush, and PostgreSQL cannot truncate the staff
    table beside auditlog's own (unused) table that refers to it."""
    with django_db_blocker.unblock():
        highest = _highest_ids(_tables_with_ids())
        try:
            yield
        finally:
            connections.close_all()
            _take_away_rows_after(highest)


@pytest.mark.parametrize("locked", [True, False], ids=["locked", "unlocked-control"])
def test_it_gives_the_last_place_to_one_of_two_staff_taking_it_at_once(
    transactional_db, monkeypatch, locked
):
    world = build_world()
    session_id, people = _last_place_left(world)
    if not locked:
        # The control: the same service with the row lock taken out.
        monkeypatch.setattr(
            type(Session.objects), "select_for_update", lambda self, **kwargs: self.get_queryset()
        )
    results = _two_at_once(session_id, people, [world.support_assistant.pk, world.colleague.pk])
    monkeypatch.undo()
    holding = SignUp.objects.filter(session_id=session_id, status__in=SignUp.HOLDING).count()
    if locked:
        assert sorted(map(str, results)) == ["place", "waiting"], results
        assert holding == 2
    else:
        assert results == ["place", "place"], results
        assert holding == 3  # one more than its places: what the lock prevents
