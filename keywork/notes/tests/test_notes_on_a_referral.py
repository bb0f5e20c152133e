"""Outreach and assessment come before support: file notes and appointments on a referral,
before any episode of support, with the same need to know as notes in an episode."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from keywork.audit.models import AuditEntry
from keywork.notes import appointments, services
from keywork.notes.models import Appointment, FileNote
from keywork.people import services as people


@pytest.fixture
def referral(world):
    """Rosa Vale, referred to the worker's service last week and being assessed: no
    episode of support yet."""
    person = people.person_create(actor=world.worker, first_name="Rosa", last_name="Vale")
    return people.referral_create(
        actor=world.worker,
        person=person,
        service=world.service,
        received_on=timezone.localdate() - timedelta(days=7),
        source="outreach",
        reason="Sleeping rough by the station.",
    )


def note_data(on: str, **overrides):
    now = timezone.localtime()
    return {
        "episode": on,
        "contact_type": "face_to_face",
        "contact_date": now.strftime("%d/%m/%Y"),
        "contact_time": now.strftime("%H:%M"),
        "duration_minutes": "30",
        "subject": "Outreach at the station",
        "text": "Met Rosa by the station; she agreed to an assessment on Friday.",
    } | overrides


def appointment_data(on: str, staff, **overrides):
    when = timezone.localtime() + timedelta(days=2)
    return {
        "episode": on,
        "kind": "face_to_face",
        "day": when.strftime("%d/%m/%Y"),
        "time": when.strftime("%H:%M"),
        "duration_minutes": "60",
        "place": "The day centre",
        "staff": [u.pk for u in staff],
    } | overrides


def on_referral(referral) -> str:
    return f"referral-{referral.pk}"


def test_it_writes_a_note_on_a_referral_and_shows_it_on_the_list_and_the_timeline(
    client_for, world, referral
):
    client = client_for("worker")
    form = client.get(reverse("notes:note_new", args=[referral.person_id]))
    assert form.status_code == 200
    page = form.content.decode()
    # The form picks the referral: there is nothing else to choose.
    assert f'value="{on_referral(referral)}" selected' in page
    assert "Referral to Harbour House" in page

    response = client.post(
        reverse("notes:note_new", args=[referral.person_id]), note_data(on_referral(referral))
    )
    assert response["Location"] == reverse("notes:note_list", args=[referral.person_id])
    note = FileNote.objects.get()
    assert note.referral == referral and note.episode is None
    assert note.person_id == referral.person_id

    listed = client.get(reverse("notes:note_list", args=[referral.person_id])).content.decode()
    assert "Outreach at the station" in listed and "Referral to Harbour House" in listed
    shown = client.get(reverse("notes:note", args=[note.pk])).content.decode()
    assert "Referral to Harbour House" in shown
    timeline = client.get(reverse("timeline:timeline", args=[referral.person_id]))
    assert "Face to face: Outreach at the station" in timeline.content.decode()
    person_page = client.get(reverse("people:person", args=[referral.person_id]))
    assert "Outreach at the station" in person_page.content.decode()
    # Opening it is a read of Rosa's record.
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.ACCESS,
        content_type=ContentType.objects.get_for_model(FileNote),
        object_pk=str(note.pk),
        about_person_id=referral.person_id,
    ).exists()


def test_it_plans_an_appointment_on_a_referral_and_writes_its_note_there(
    client_for, world, referral
):
    client = client_for("worker")
    url = reverse("notes:appointment_new", args=[referral.person_id])
    assert f'value="{on_referral(referral)}" selected' in client.get(url).content.decode()
    response = client.post(url, appointment_data(on_referral(referral), [world.worker]))
    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.referral == referral and appointment.episode is None

    assert "The day centre" in client.get(reverse("notes:my_appointments")).content.decode()
    assert client.get(reverse("notes:appointment", args=[appointment.pk])).status_code == 200
    person_page = client.get(reverse("people:person", args=[referral.person_id])).content.decode()
    assert reverse("notes:appointment", args=[appointment.pk]) in person_page
    timeline = client.get(reverse("timeline:timeline", args=[referral.person_id]))
    assert "Appointment: Meeting" in timeline.content.decode()
    token = appointments.calendar_feed_issue(actor=world.worker)
    feed = Calendar.from_ical(client.get(reverse("notes:calendar_feed", args=[token])).content)
    assert [str(e["summary"]) for e in feed.walk("VEVENT")] == ["Meeting: R.V."]

    # Once it has happened, its note goes on the referral too.
    Appointment.objects.filter(pk=appointment.pk).update(
        starts_at=timezone.now() - timedelta(hours=1)
    )
    appointment.refresh_from_db()
    note = appointments.appointment_write_note(
        actor=world.worker, appointment=appointment, subject="Assessment", text="Went well."
    )
    assert note.referral == referral and note.episode is None


def test_it_hides_referral_notes_and_appointments_from_those_without_need_to_know(
    client_for, world, referral
):
    note = services.note_create(
        actor=world.worker,
        person=referral.person,
        referral=referral,
        contact_type="phone",
        contact_at=timezone.now() - timedelta(hours=1),
        subject="Assessment call",
        text="Rosa talked about the hostel she left.",
    )
    appointment = appointments.appointment_create(
        actor=world.worker,
        person=referral.person,
        referral=referral,
        kind="key_work",
        starts_at=timezone.now() + timedelta(days=1),
        duration_minutes=60,
        place="Office",
        staff=[world.worker],
    )
    outsider = client_for("other_team_worker")
    assert outsider.get(reverse("notes:note", args=[note.pk])).status_code == 404
    assert outsider.get(reverse("notes:appointment", args=[appointment.pk])).status_code == 404
    assert outsider.get(reverse("notes:note_list", args=[referral.person_id])).status_code == 404
    assert outsider.get(reverse("timeline:timeline", args=[referral.person_id])).status_code == 404
    found = outsider.get(reverse("notes:search"), {"q": "hostel"})
    assert found.context["total"] == 0 and "Assessment call" not in found.content.decode()
    assert "Office" not in outsider.get(reverse("notes:my_appointments")).content.decode()

    # The worker whose team has the referral finds it in search.
    found = client_for("worker").get(reverse("notes:search"), {"q": "hostel"})
    assert found.context["total"] == 1 and "Assessment call" in found.content.decode()


def test_it_keeps_a_restricted_referral_note_to_its_author_the_named_and_the_managers(
    client_for, world, referral
):
    note = services.note_create(
        actor=world.worker,
        person=referral.person,
        referral=referral,
        contact_type="phone",
        contact_at=timezone.now() - timedelta(hours=1),
        subject="Disclosure",
        text="Rosa told me about the abuse at the hostel.",
        restricted=True,
        named_staff=[world.support_assistant],
    )
    url = reverse("notes:note", args=[note.pk])
    for persona, status in [
        ("worker", 200),
        ("support_assistant", 200),
        ("lead_manager", 200),  # manages the referral's service
        ("colleague", 404),
        ("other_team_worker", 404),
    ]:
        assert client_for(persona).get(url).status_code == status, persona
    colleague = client_for("colleague")
    listed = colleague.get(reverse("notes:note_list", args=[referral.person_id]))
    assert "Disclosure" not in listed.content.decode()
    timeline = colleague.get(reverse("timeline:timeline", args=[referral.person_id]))
    assert "Disclosure" not in timeline.content.decode()
    # A manager of the referral's service may amend it, with the version check.
    manager = client_for("lead_manager")
    amend = reverse("notes:note_amend", args=[note.pk])
    data = {"subject": "Disclosure", "text": "Amended.", "reason": "Typo", "version": 1}
    assert manager.post(amend, data)["Location"] == url
    stale = manager.post(amend, data | {"text": "Again."})
    assert "Someone amended this note after you opened it" in stale.content.decode()


def test_it_keeps_referral_notes_on_the_record_once_support_starts(client_for, world, referral):
    client = client_for("worker")
    client.post(
        reverse("notes:note_new", args=[referral.person_id]), note_data(on_referral(referral))
    )
    episode = people.referral_accept(
        actor=world.worker,
        referral=referral,
        start_date=timezone.localdate(),
        key_worker=world.worker,
    )
    listed = client.get(reverse("notes:note_list", args=[referral.person_id])).content.decode()
    assert "Outreach at the station" in listed
    timeline = client.get(reverse("timeline:timeline", args=[referral.person_id]))
    assert "Outreach at the station" in timeline.content.decode()
    # New work goes on the episode: the referral is no longer offered.
    page = client.get(reverse("notes:note_new", args=[referral.person_id])).content.decode()
    assert f'value="{episode.pk}" selected' in page and on_referral(referral) not in page
    refused = client.post(
        reverse("notes:note_new", args=[referral.person_id]),
        note_data(on_referral(referral), subject="Later"),
    )
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
    with pytest.raises(ValidationError, match="Support has started from this referral"):
        services.note_create(
            actor=world.worker,
            person=referral.person,
            referral=referral,
            contact_type="phone",
            contact_at=timezone.now(),
            subject="Later",
            text="After support started.",
        )


def test_it_offers_a_choice_when_the_person_has_an_episode_and_another_referral(
    client_for, world, episode
):
    second = people.referral_create(
        actor=world.worker,
        person=episode.person,
        service=world.other_service,
        received_on=timezone.localdate(),
        source="self",
        reason="Needs floating support too.",
    )
    client = client_for("worker")
    page = client.get(reverse("notes:note_new", args=[episode.person_id])).content.decode()
    assert "Support episode or referral" in page
    assert f'value="{episode.pk}" selected' in page
    assert f'value="{on_referral(second)}"' in page
    client.post(reverse("notes:note_new", args=[episode.person_id]), note_data(on_referral(second)))
    assert FileNote.objects.get().referral == second


def test_it_refuses_a_referral_of_someone_else_or_neither_and_the_database_holds_it(
    client_for, world, referral, episode
):
    client = client_for("worker")
    # Ruth's referral has become her episode; Rosa's is not hers.
    other = client.post(
        reverse("notes:note_new", args=[episode.person_id]), note_data(on_referral(referral))
    )
    assert other.status_code == 200 and "Select a valid choice" in other.content.decode()
    missing = client.post(
        reverse("notes:note_new", args=[referral.person_id]), note_data("")
    ).content.decode()
    assert "Choose the episode or referral this note belongs to" in missing
    odd = client.post(
        reverse("notes:appointment_new", args=[referral.person_id]),
        appointment_data("referral-x", [world.worker]),
    )
    assert odd.status_code == 200 and "Select a valid choice" in odd.content.decode()
    with pytest.raises(ValidationError, match="Choose one of this person's referrals"):
        services.note_create(
            actor=world.worker,
            person=episode.person,
            referral=referral,
            contact_type="phone",
            contact_at=timezone.now(),
            subject="Wrong",
            text="Wrong person.",
        )
    with pytest.raises(ValidationError, match="Choose the episode of support or the referral"):
        services.note_create(
            actor=world.worker,
            person=episode.person,
            episode=episode,
            referral=referral,
            contact_type="phone",
            contact_at=timezone.now(),
            subject="Both",
            text="Both.",
        )
    assert not FileNote.objects.exists()
    for both_or_neither in ({"episode": episode, "referral": referral}, {}):
        with pytest.raises(IntegrityError), transaction.atomic():
            FileNote.objects.create(
                organisation=world.organisation,
                person=episode.person,
                contact_type="phone",
                contact_at=timezone.now(),
                subject="Odd",
                text="Odd",
                author=world.worker,
                recorded_at=timezone.now(),
                **both_or_neither,
            )


def test_it_refuses_an_appointment_on_a_closed_referral(world, referral):
    people.referral_decline(actor=world.worker, referral=referral, reason="Out of area.")
    referral.refresh_from_db()
    with pytest.raises(ValidationError, match="Choose one of this person's open referrals"):
        appointments.appointment_create(
            actor=world.worker,
            person=referral.person,
            referral=referral,
            kind="key_work",
            starts_at=timezone.now() + timedelta(days=1),
            duration_minutes=60,
            place="Office",
            staff=[world.worker],
        )


def test_it_says_what_to_do_first_for_someone_with_no_referral(client_for, world):
    person = people.person_create(actor=world.worker, first_name="Nia", last_name="New")
    client = client_for("worker")
    for name in ("notes:note_new", "notes:appointment_new"):
        response = client.get(reverse(name, args=[person.pk]), follow=True)
        assert "make a referral first" in response.content.decode(), name


def test_it_moves_referral_notes_and_appointments_when_two_records_are_merged(world, referral):
    twin = people.person_create(actor=world.worker, first_name="Rosa", last_name="Vale")
    twin_referral = people.referral_create(
        actor=world.worker,
        person=twin,
        service=world.service,
        received_on=timezone.localdate(),
        source="self",
        reason="Referred again by the day centre.",
    )
    note = services.note_create(
        actor=world.worker,
        person=twin,
        referral=twin_referral,
        contact_type="phone",
        contact_at=timezone.now() - timedelta(hours=1),
        subject="Call",
        text="Rang about the referral.",
    )
    appointment = appointments.appointment_create(
        actor=world.worker,
        person=twin,
        referral=twin_referral,
        kind="phone",
        starts_at=timezone.now() + timedelta(days=1),
        duration_minutes=30,
        place="",
        staff=[world.worker],
    )
    people.person_merge(actor=world.lead_manager, keep=referral.person, merge=twin)
    note.refresh_from_db()
    appointment.refresh_from_db()
    twin_referral.refresh_from_db()
    assert note.person == appointment.person == twin_referral.person == referral.person
    assert note.referral == appointment.referral == twin_referral
