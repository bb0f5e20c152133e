"""An appointment can be moved, cancelled with a reason (confirmed first), or marked not
attended once it has happened; a clash with the worker's other appointments is said
when saving, and the worker goes back to where they came from."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from keywork.notes.models import Appointment


def planned(world, episode, *, starts_at, minutes=60):
    appointment = Appointment.objects.create(
        organisation=world.organisation,
        person=episode.person,
        episode=episode,
        starts_at=starts_at,
        duration_minutes=minutes,
        place="The office",
        created_by=world.worker,
    )
    appointment.staff.set([world.worker])
    return appointment


def at(days: int, hour: int):
    return (timezone.localtime() + timedelta(days=days)).replace(
        hour=hour, minute=0, second=0, microsecond=0
    )


def test_it_cancels_only_with_a_reason_and_asks_first(world, client_for, episode):
    appointment = planned(world, episode, starts_at=at(3, 10))
    client = client_for("worker")
    url = reverse("notes:appointment_cancel", args=[appointment.pk])
    confirm = client.get(url).content.decode()
    assert "This cannot be undone" in confirm
    refused = client.post(url, {"reason": "  "})
    assert "Say why the appointment is cancelled" in refused.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.PLANNED
    done = client.post(url, {"reason": "They are in hospital", "next": "/caseload/"})
    assert done.status_code == 302 and done["Location"] == "/caseload/"
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
    assert appointment.cancel_reason == "They are in hospital"
    page = client.get(reverse("notes:appointment", args=[appointment.pk])).content.decode()
    assert "Cancelled: They are in hospital" in page
    assert "Change the time or place" not in page


def test_it_warns_of_a_clash_before_moving_an_appointment(world, client_for, episode):
    other = planned(world, episode, starts_at=at(4, 14))
    appointment = planned(world, episode, starts_at=at(3, 10))
    client = client_for("worker")
    url = reverse("notes:appointment_change", args=[appointment.pk])
    moved = {
        "day": at(4, 14).strftime("%d/%m/%Y"),
        "time": "14:30",
        "duration_minutes": "30",
        "place": "Their flat",
    }
    # Said before anything is saved, with what was typed kept and a box to keep the time.
    response = client.post(url, moved)
    assert response.status_code == 200
    page = response.content.decode()
    assert "You already have 1 other appointment at that time (14:00)." in page
    assert 'name="clash_ok" type="checkbox"' in page
    assert 'value="Their flat"' in page
    appointment.refresh_from_db()
    assert timezone.localtime(appointment.starts_at).hour == 10

    page = client.post(url, {**moved, "clash_ok": "on"}, follow=True).content.decode()
    assert "Changed the appointment." in page
    appointment.refresh_from_db()
    assert timezone.localtime(appointment.starts_at).strftime("%d/%m %H:%M") == at(4, 14).replace(
        minute=30
    ).strftime("%d/%m %H:%M")
    assert (appointment.duration_minutes, appointment.place) == (30, "Their flat")
    assert other.pk != appointment.pk


def test_it_warns_of_a_clash_before_planning_an_appointment(world, client_for, episode):
    planned(world, episode, starts_at=at(4, 14))
    client = client_for("worker")
    url = reverse("notes:appointment_new", args=[episode.person.pk])
    new = {
        "episode": episode.pk,
        "kind": "face_to_face",
        "day": at(4, 14).strftime("%d/%m/%Y"),
        "time": "14:15",
        "duration_minutes": "30",
        "place": "The office",
        "staff": [world.worker.pk],
    }
    page = client.post(url, new).content.decode()
    assert "You already have 1 other appointment at that time (14:00)." in page
    assert Appointment.objects.count() == 1
    assert client.post(url, {**new, "clash_ok": "on"}).status_code == 302
    assert Appointment.objects.count() == 2


def test_it_says_a_do_not_visit_alone_alert_once(world, client_for, episode):
    from keywork.people.models import Alert

    Alert.objects.create(
        person=episode.person,
        kind=Alert.Kind.NOT_ALONE,
        text="Do not visit alone",
        created_by=world.worker,
    )
    page = (
        client_for("worker")
        .post(
            reverse("notes:appointment_new", args=[episode.person.pk]),
            {
                "episode": episode.pk,
                "kind": "home_visit",
                "day": at(5, 11).strftime("%d/%m/%Y"),
                "time": "11:00",
                "duration_minutes": "30",
                "staff": [world.worker.pk],
            },
        )
        .content.decode()
    )
    # The alert's kind, once, and its words only where they say more than its kind.
    assert "Do not visit alone: only one member of staff is going.</a>" in page
    assert "going. Do not visit alone" not in page


def test_it_refuses_a_next_address_of_another_site(world, client_for, episode):
    appointment = planned(world, episode, starts_at=at(3, 10))
    response = client_for("worker").post(
        reverse("notes:appointment_cancel", args=[appointment.pk]),
        {"reason": "Moved away", "next": "https://elsewhere.example/"},
    )
    assert response["Location"] == reverse("notes:appointment", args=[appointment.pk])


def test_it_marks_not_attended_only_once_it_has_happened(world, client_for, episode):
    future = planned(world, episode, starts_at=at(2, 10))
    past = planned(world, episode, starts_at=timezone.now() - timedelta(hours=3))
    client = client_for("worker")
    url = reverse("notes:appointment", args=[future.pk])
    client.post(url, {"action": "did_not_attend"})
    future.refresh_from_db()
    assert future.status == Appointment.Status.PLANNED
    response = client.post(
        reverse("notes:appointment", args=[past.pk]), {"action": "did_not_attend"}, follow=True
    )
    assert "Marked as not attended" in response.content.decode()
    past.refresh_from_db()
    assert past.status == Appointment.Status.DID_NOT_ATTEND
