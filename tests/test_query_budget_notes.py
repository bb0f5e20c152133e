"""Note pages make as many queries with 50 notes as with 5."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from keywork.notes import services as notes
from keywork.tasks.models import Task
from keywork.testing.factories import supported_person


@pytest.fixture
def episode(world):
    return supported_person(world, "Query", "Count")


def add_notes(world, episode, count, restricted=False):
    for i in range(count):
        note = notes.note_create(
            actor=world.worker,
            person=episode.person,
            episode=episode,
            contact_type="phone",
            contact_at=timezone.now() - timezone.timedelta(minutes=i),
            subject=f"Call {i}",
            text="Spoke about the tenancy renewal.",
            restricted=restricted and i % 2 == 0,
            named_staff=[world.senior] if restricted and i % 2 == 0 else [],
            staff_present=[world.colleague],
        )
        notes.note_amend(
            actor=world.worker,
            note=note,
            subject=note.subject,
            text=note.text + " Amended.",
            reason="More",
            version=1,
        )
    return note


PAGES = [
    ("worker", lambda w, e, n: reverse("notes:note_list", args=[e.person_id])),
    ("colleague", lambda w, e, n: reverse("timeline:timeline", args=[e.person_id])),
    ("worker", lambda w, e, n: reverse("notes:search") + "?q=tenancy"),
    ("senior", lambda w, e, n: reverse("notes:note", args=[n.pk])),
    ("worker", lambda w, e, n: reverse("people:my_caseload")),
]


@pytest.mark.parametrize(("persona", "url_for"), PAGES)
def test_it_makes_as_many_queries_for_fifty_notes_as_for_five(
    client_for, world, episode, persona, url_for
):
    note = add_notes(world, episode, 5, restricted=True)
    client = client_for(persona)
    url = url_for(world, episode, note)
    client.get(url)
    with CaptureQueriesContext(connection) as five:
        assert client.get(url).status_code == 200
    add_notes(world, episode, 45, restricted=True)
    with CaptureQueriesContext(connection) as fifty:
        assert client.get(url).status_code == 200
    # No more queries for fifty notes than for five (the timeline may make fewer: it reads
    # in full only the kinds of event on its page, and fifty notes fill it).
    assert len(fifty) <= len(five), f"{url}: {len(five)} then {len(fifty)} queries"
    # The timeline finds its page in one query, then reads each kind of event on the page
    # once.
    assert len(fifty) <= 30


def add_appointments_and_tasks(world, episode, count):
    from keywork.notes import appointments
    from keywork.tasks.services import task_create

    for i in range(count):
        appointments.appointment_create(
            actor=world.worker,
            person=episode.person,
            episode=episode,
            kind="key_work",
            starts_at=timezone.now() + timezone.timedelta(days=1, minutes=i),
            duration_minutes=30,
            place="Office",
            staff=[world.worker, world.colleague],
            clash_ok=True,  # a busy diary, on purpose
        )
        task_create(
            actor=world.worker,
            assigned_to=world.worker,
            title=f"Task {i}",
            due_on=timezone.localdate(),
            person=episode.person,
        )
    # Overdue, so that the team's overdue list has them all.
    Task.objects.update(due_on=timezone.localdate() - timezone.timedelta(days=3))


OTHER_PAGES = [
    ("worker", lambda w, token: reverse("notes:my_appointments")),
    ("worker", lambda w, token: reverse("tasks:my_tasks")),
    ("senior", lambda w, token: reverse("tasks:team_tasks", args=[w.team.pk])),
    (None, lambda w, token: reverse("notes:calendar_feed", args=[token])),
]


@pytest.mark.parametrize(("persona", "url_for"), OTHER_PAGES)
def test_it_keeps_appointment_and_task_pages_flat(client_for, world, episode, persona, url_for):
    from keywork.notes.appointments import calendar_feed_issue

    add_appointments_and_tasks(world, episode, 5)
    token = calendar_feed_issue(actor=world.worker)
    client = client_for(persona)
    url = url_for(world, token)
    client.get(url)
    with CaptureQueriesContext(connection) as five:
        assert client.get(url).status_code == 200
    add_appointments_and_tasks(world, episode, 45)
    with CaptureQueriesContext(connection) as fifty:
        assert client.get(url).status_code == 200
    # No more queries for fifty notes than for five (the timeline may make fewer: it reads
    # in full only the kinds of event on its page, and fifty notes fill it).
    assert len(fifty) <= len(five), f"{url}: {len(five)} then {len(fifty)} queries"
