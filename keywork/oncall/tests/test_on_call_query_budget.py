"""The on-call pages make as many queries with many shifts, calls and follow-ups as with
few: "now", the home page's panel, the rota's four weeks, the handover, the task list."""

from datetime import time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from keywork.oncall import services
from keywork.oncall.models import Line, LogEntry
from keywork.oncall.tests.conftest import floating_rota, numbered, shift_for, supported

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _grow(world, rota, shift, *, calls: int, start: int) -> None:
    """More people in the covered service, each calling once with a follow-up for their
    key worker, and more weeks of second-line shifts."""
    for n in range(calls):
        person = supported(
            world,
            f"Caller{start + n}",
            service=world.other_service,
            key_worker=world.other_team_worker,
        )
        services.log_entry_write(
            actor=world.worker,
            shift=shift,
            call_at=timezone.now() - timedelta(minutes=30 - n),
            caller=LogEntry.Caller.PERSON,
            person=person,
            what_happened="Rang about the heating.",
            follow_up="Ring back about the heating",
            follow_up_due=timezone.localdate() + timedelta(days=1),
        )
    rota.refresh_from_db()
    first = timezone.localdate() + timedelta(days=1 + start)
    services.pattern_add(
        actor=world.other_lead_manager,
        rota=rota,
        version=rota.version,
        line=Line.SECOND,
        worker=world.colleague,
        days=["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        starts_at=time(17, 0),
        ends_at=time(9, 0),
        first_date=first,
        last_date=first + timedelta(days=6),
    )


def test_it_keeps_the_on_call_pages_flat_as_calls_and_shifts_grow(world, client_for):
    numbered(world.worker, world.colleague, world.other_team_worker)
    rota = floating_rota(world)
    shift = shift_for(world, rota, world.worker, started_hours_ago=2, hours=10)
    morning = timezone.localdate() + timedelta(days=1)
    pages = [
        (world.worker, reverse("oncall:home")),
        (world.worker, reverse("home:home")),
        (world.other_team_worker, reverse("oncall:rota", args=[rota.pk])),
        (
            world.other_lead_manager,
            reverse("oncall:handover", args=[world.other_service.pk]) + f"?from={morning}",
        ),
        (world.other_team_worker, reverse("tasks:my_tasks")),
    ]
    clients = {user.pk: client_for(user) for user, _ in pages}

    _grow(world, rota, shift, calls=2, start=0)
    for user, url in pages:  # the first answer fills caches (content types, sessions)
        _count(clients[user.pk], url)
    few = [_count(clients[user.pk], url) for user, url in pages]
    _grow(world, rota, shift, calls=8, start=10)
    many = [_count(clients[user.pk], url) for user, url in pages]
    print("on call: now, home, rota, handover, my tasks:", few, many)
    assert many == few
    assert max(many) <= 40
