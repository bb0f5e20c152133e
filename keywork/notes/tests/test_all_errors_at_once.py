"""A note or appointment form shows every error at once: a date out of range beside the
fields left empty, not only after they are put right."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from keywork.testing.factories import supported_person


def test_it_says_a_note_dated_next_week_beside_a_missing_subject_and_text(client_for, world):
    episode = supported_person(world, "Ada")
    next_week = timezone.localdate() + timedelta(days=7)
    page = (
        client_for("worker")
        .post(
            reverse("notes:note_new", args=[episode.person.pk]),
            {
                "episode": episode.pk,
                "contact_type": "face_to_face",
                "contact_date": next_week.strftime("%d/%m/%Y"),
                "contact_time": "10:00",
                "duration_minutes": "30",
                "subject": "",
                "text": "",
            },
        )
        .content.decode()
    )
    assert "The contact cannot be more than a day in the future" in page
    assert "Enter a subject" in page


def test_it_says_a_moved_appointment_in_the_past_beside_a_missing_duration(client_for, world):
    from keywork.notes.models import Appointment

    episode = supported_person(world, "Ada")
    appointment = Appointment.objects.create(
        organisation=world.organisation,
        person=episode.person,
        episode=episode,
        starts_at=timezone.now() + timedelta(days=2),
        created_by=world.worker,
    )
    appointment.staff.set([world.worker])
    last_week = timezone.localdate() - timedelta(days=7)
    page = (
        client_for("worker")
        .post(
            reverse("notes:appointment_change", args=[appointment.pk]),
            {"day": last_week.strftime("%d/%m/%Y"), "time": "10:00", "duration_minutes": ""},
        )
        .content.decode()
    )
    assert "Appointments are planned ahead: the date has passed" in page
    assert "Enter how long it will take" in page
