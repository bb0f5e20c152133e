from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from keywork.notes.models import Appointment, CalendarFeed, FileNote


def plan(client, on, when, **overrides):
    data = {
        "episode": on.pk,
        "kind": "home_visit",
        "day": when.strftime("%d/%m/%Y"),
        "time": when.strftime("%H:%M"),
        "duration_minutes": "45",
        "place": "Flat 2",
        "staff": [client.user_pk],
    } | overrides
    return client.post(reverse("notes:appointment_new", args=[on.person_id]), data)


@pytest.fixture
def worker_client(client_for, world):
    client = client_for("worker")
    client.user_pk = world.worker.pk
    return client


def test_it_plans_an_appointment_and_lists_it(worker_client, episode):
    when = timezone.localtime() + timedelta(days=2)
    response = plan(worker_client, episode, when)
    assert response["Location"] == reverse("notes:my_appointments")
    appointment = Appointment.objects.get()
    assert appointment.kind == "home_visit" and appointment.duration_minutes == 45
    page = worker_client.get(reverse("notes:my_appointments")).content.decode()
    assert "Ruth Ellis" in page and "Flat 2" in page


def test_it_refuses_a_past_date_or_no_staff(worker_client, episode):
    past = timezone.localtime() - timedelta(days=3)
    assert "the date has passed" in plan(worker_client, episode, past).content.decode()
    nobody = plan(worker_client, episode, timezone.localtime() + timedelta(days=1), staff=[])
    assert "Choose who from the staff will be there" in nobody.content.decode()
    assert not Appointment.objects.exists()


def test_it_marks_did_not_attend_and_turns_an_attended_one_into_a_note(
    worker_client, world, episode
):
    soon = timezone.localtime() + timedelta(hours=1)
    plan(worker_client, episode, soon)
    plan(
        worker_client,
        episode,
        soon + timedelta(days=1),
        staff=[world.worker.pk, world.colleague.pk],
    )
    first, second = Appointment.objects.order_by("starts_at")
    Appointment.objects.update(starts_at=timezone.now() - timedelta(hours=2))

    worker_client.post(reverse("notes:appointment", args=[first.pk]), {"action": "attended"})
    first.refresh_from_db()
    assert first.status == "attended"
    worker_client.post(reverse("notes:appointment", args=[first.pk]), {"action": "did_not_attend"})
    first.refresh_from_db()
    assert first.status == "did_not_attend"
    bad = worker_client.post(reverse("notes:appointment", args=[first.pk]), {"action": "exploded"})
    assert "Choose what happened" in bad.content.decode()
    first.refresh_from_db()
    assert first.status == "did_not_attend"

    response = worker_client.post(
        reverse("notes:appointment", args=[second.pk]),
        {"action": "note", "subject": "Home visit", "text": "Flat tidy; rent paid."},
    )
    note = FileNote.objects.get()
    assert response["Location"] == reverse("notes:note", args=[note.pk])
    second.refresh_from_db()
    assert second.status == "attended" and second.file_note == note
    assert note.contact_type == "home_visit" and note.duration_minutes == 45
    assert list(note.staff_present.all()) == [world.colleague]
    again = worker_client.post(
        reverse("notes:appointment", args=[second.pk]),
        {"action": "note", "subject": "x", "text": "y"},
    )
    assert "already" in again.content.decode()


def test_it_serves_an_icalendar_feed_with_initials_that_can_be_revoked(
    worker_client, client, episode
):
    plan(worker_client, episode, timezone.localtime() + timedelta(days=3))
    page = worker_client.post(reverse("notes:calendar"), {"action": "issue"})
    link = page.context["link"]
    path = "/" + link.split("/", 3)[3]
    response = client.get(path)  # no sign-in: the address is the key
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    assert str(events[0]["SUMMARY"]) == "Home visit: R.E."
    body = response.content.decode()
    assert "Ruth" not in body and "Ellis" not in body

    worker_client.post(reverse("notes:calendar"), {"action": "issue", "full_names": "on"})
    assert client.get(path).status_code == 404  # the old address stopped working
    assert CalendarFeed.objects.get().full_names

    worker_client.post(reverse("notes:calendar"), {"action": "revoke"})
    assert not CalendarFeed.objects.exists()
    assert client.get("/calendar/made-up-token.ics").status_code == 404
