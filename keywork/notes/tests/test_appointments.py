from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from keywork import access
from keywork.accounts.models import Membership, Role, User
from keywork.core.errors import NotFoundOrNotAllowed
from keywork.notes import appointments
from keywork.notes.models import Appointment, CalendarFeed, FileNote
from keywork.testing.factories import staff, supported_person


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


# --- Need to know: staff named on an appointment, and their calendar feeds -----------------


def move(user, team):
    Membership.objects.filter(user=user).update(team=team)
    access.forget_memberships(user)


def planned(episode, *staff, when=None, kind="home_visit"):
    """An appointment as one stood before staff had to be able to see its person."""
    appointment = Appointment.objects.create(
        organisation=episode.organisation,
        person=episode.person,
        episode=episode,
        kind=kind,
        starts_at=when or timezone.now() + timedelta(days=2),
        place="Flat 2, 10 Dock Road",
        created_by=episode.key_worker,
    )
    appointment.staff.set(staff)
    return appointment


def feed_of(user, client, full_names=False):
    token = appointments.calendar_feed_issue(actor=user, full_names=full_names)
    response = client.get(reverse("notes:calendar_feed", args=[token]))
    assert response.status_code == 200
    return response


def summaries(response):
    return [str(e["SUMMARY"]) for e in Calendar.from_ical(response.content).walk("VEVENT")]


def test_it_offers_as_staff_only_those_who_may_see_the_person(worker_client, world, episode):
    form = worker_client.get(reverse("notes:appointment_new", args=[episode.person_id]))
    offered = set(form.context["form"].fields["staff"].queryset)
    assert {world.worker, world.colleague, world.senior, world.lead_manager} <= offered
    assert world.other_team_worker not in offered
    response = plan(
        worker_client,
        episode,
        timezone.localtime() + timedelta(days=2),
        staff=[world.worker.pk, world.other_team_worker.pk],
    )
    assert response.status_code == 200 and not Appointment.objects.exists()


def test_it_refuses_to_name_staff_who_may_not_see_the_person(world, episode):
    with pytest.raises(ValidationError) as refused:
        appointments.appointment_create(
            actor=world.worker,
            person=episode.person,
            episode=episode,
            kind="home_visit",
            starts_at=timezone.now() + timedelta(days=2),
            duration_minutes=45,
            place="Flat 2",
            staff=[world.worker, world.other_team_worker],
        )
    assert refused.value.message_dict == {
        "staff": [
            "Olive Otherteam cannot see this person's record, so cannot be named on this "
            "appointment."
        ]
    }
    assert not Appointment.objects.exists()


def test_it_keeps_out_of_a_feed_the_people_its_owner_may_not_see(client, world, episode):
    planned(episode, world.worker, world.other_team_worker)
    outsider = feed_of(world.other_team_worker, client, full_names=True)
    assert summaries(outsider) == []
    body = outsider.content.decode()
    assert "Ruth" not in body and "R.E." not in body and "Dock Road" not in body
    assert summaries(feed_of(world.worker, client)) == ["Home visit: R.E."]


def test_it_drops_an_appointment_from_the_feed_of_someone_moved_off_the_team(
    client, world, episode
):
    planned(episode, world.worker, world.colleague)
    assert summaries(feed_of(world.colleague, client)) == ["Home visit: R.E."]
    assert summaries(feed_of(world.colleague, client, full_names=True)) == [
        "Home visit: Ruth Ellis"
    ]
    move(world.colleague, world.other_team)
    moved = feed_of(world.colleague, client, full_names=True)
    assert summaries(moved) == [] and "Ruth" not in moved.content.decode()
    assert summaries(feed_of(world.worker, client)) == ["Home visit: R.E."]


def _appointments_with_many_people(world, count):
    """The worker's appointments with `count` people: half supported by the worker's team,
    half by the other team (appointments from before the worker moved team)."""
    for i in range(count):
        if i % 2:
            other = supported_person(
                world,
                f"Other{i}",
                service=world.other_service,
                key_worker=world.other_team_worker,
                recorded_by=world.other_team_worker,
            )
            planned(other, world.worker, when=timezone.now() + timedelta(days=1, minutes=i))
        else:
            own = supported_person(world, f"Own{i}")
            planned(own, world.worker, when=timezone.now() + timedelta(days=1, minutes=i))


def test_it_asks_about_all_the_feeds_people_at_once(client, world):
    token = appointments.calendar_feed_issue(actor=world.worker)
    url = reverse("notes:calendar_feed", args=[token])
    _appointments_with_many_people(world, 3)
    client.get(url)
    with CaptureQueriesContext(connection) as three:
        assert len(summaries(client.get(url))) == 2
    Appointment.objects.all().delete()
    _appointments_with_many_people(world, 30)
    with CaptureQueriesContext(connection) as thirty:
        assert len(summaries(client.get(url))) == 15
    assert len(thirty) == len(three), f"{len(three)} then {len(thirty)} queries"


def test_it_lets_only_staff_who_may_record_on_the_person_change_an_appointment(world, episode):
    appointment = planned(episode, world.worker, when=timezone.now() - timedelta(hours=2))
    for outsider in (world.other_team_worker, world.other_org_worker, world.admin):
        with pytest.raises(NotFoundOrNotAllowed):
            appointments.appointment_set_status(
                actor=outsider, appointment=appointment, status="did_not_attend"
            )
        with pytest.raises(NotFoundOrNotAllowed):
            appointments.appointment_write_note(
                actor=outsider, appointment=appointment, subject="Visit", text="Went well."
            )
        with pytest.raises(NotFoundOrNotAllowed):
            appointments.appointment_create(
                actor=outsider,
                person=episode.person,
                episode=episode,
                kind="home_visit",
                starts_at=timezone.now() + timedelta(days=2),
                duration_minutes=45,
                place="",
                staff=[outsider],
            )
    appointment.refresh_from_db()
    assert appointment.status == "planned" and appointment.file_note is None
    assert Appointment.objects.count() == 1 and not FileNote.objects.exists()
    appointments.appointment_set_status(
        actor=world.colleague, appointment=appointment, status="did_not_attend"
    )
    appointment.refresh_from_db()
    assert appointment.status == "did_not_attend"


def test_it_issues_calendar_feeds_only_to_casework_staff(world):
    with pytest.raises(NotFoundOrNotAllowed):
        appointments.calendar_feed_issue(actor=world.admin)
    assert not CalendarFeed.objects.exists()


def _everyone_who_may_see(world, person):
    staff = User.objects.filter(organisation=world.organisation)
    return {u for u in staff if access.may_see_person_id(u, person.pk)}


def test_it_finds_the_staff_who_may_see_a_person_as_access_decides(world, episode):
    """staff_who_may_see asks access's question the other way round: it must agree with
    access.may_see_person_id about everyone, whatever the reason they see the person."""
    from keywork.people import services as people
    from keywork.people.models import Episode, Referral

    caseworker = staff(
        role=Role.COMPLEX_CASEWORKER, team=world.other_team, full_name="Cleo Complex"
    )
    assistant = staff(role=Role.SUPPORT_ASSISTANT, team=world.team, full_name="Ali Assistant")
    people.co_worker_add(actor=world.worker, episode=episode, user=caseworker)
    pat = supported_person(
        world,
        "Pat",
        service=world.other_service,
        key_worker=world.other_team_worker,
        recorded_by=world.other_team_worker,
    )
    people.break_glass(actor=world.worker, person=pat.person, reason="Police asked for contact")
    ended = supported_person(world, "Eddie", "Ended")
    long_ended = supported_person(world, "Lana", "Longago")
    Episode.objects.filter(pk=ended.pk).update(
        end_date=timezone.localdate() - timedelta(days=2),
        end_reason="planned",
        destination="not_known",
    )
    Episode.objects.filter(pk=long_ended.pk).update(
        start_date=timezone.localdate() - timedelta(days=900),
        end_date=timezone.localdate() - timedelta(days=400),
        end_reason="planned",
        destination="not_known",
    )
    Referral.objects.filter(person=long_ended.person).update(
        received_on=timezone.localdate() - timedelta(days=900),
        decided_on=timezone.localdate() - timedelta(days=900),
    )
    newly = people.person_create(actor=assistant, first_name="Nina", last_name="New")
    referred = people.person_create(actor=world.worker, first_name="Rob", last_name="Referred")
    people.referral_create(
        actor=world.worker,
        person=referred,
        service=world.other_service,
        received_on=timezone.localdate(),
        source="self",
        reason="r",
    )
    declined = people.person_create(actor=world.worker, first_name="Dee", last_name="Declined")
    people.referral_create(
        actor=world.worker,
        person=declined,
        service=world.service,
        received_on=timezone.localdate() - timedelta(days=500),
        source="self",
        reason="r",
    )
    Referral.objects.filter(person=declined).update(
        status="declined",
        decided_on=timezone.localdate() - timedelta(days=400),
        decision_reason="Out of area",
    )
    for person in (
        episode.person,
        pat.person,
        ended.person,
        long_ended.person,
        newly,
        referred,
        declined,
    ):
        person.refresh_from_db()
        expected = _everyone_who_may_see(world, person)
        found = set(
            access.staff_who_may_see(
                person=person, among=User.objects.filter(organisation=world.organisation)
            )
        )
        assert found == expected, person
    assert caseworker in _everyone_who_may_see(world, episode.person)
    assert world.worker in _everyone_who_may_see(world, pat.person)
    assert world.lead_manager in _everyone_who_may_see(world, long_ended.person)
    assert world.worker not in _everyone_who_may_see(world, long_ended.person)
