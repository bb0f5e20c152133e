"""The events pages: a service's events, making an event, a session's list and the
sign-up form, the register, the calendar feed, and what they add to the person's page,
the timeline and the home page."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from keywork.audit.models import AuditEntry
from keywork.events import services
from keywork.events.models import Event, SignUp
from keywork.events.tests.conftest import make_event, supported

pytestmark = pytest.mark.django_db


def _event_form(**more) -> dict:
    day = timezone.localdate() + timedelta(days=7)
    return {
        "title": "Cooking group",
        "kind": "skills",
        "services": [],
        "repeat": "weekly",
        "first_date": day.strftime("%d/%m/%Y"),
        "until": (day + timedelta(days=21)).strftime("%d/%m/%Y"),
        "starts_at": "14:00",
        "ends_at": "16:00",
        "venue": "The kitchen",
        "capacity": "8",
        "cost": "0",
        **more,
    }


def test_it_makes_a_weekly_group_from_the_form(world, client_for):
    client = client_for("support_assistant")
    url = reverse("events:event_new", args=[world.service.pk])
    response = client.post(url, _event_form(services=[world.service.pk]))
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get()
    assert event.sessions.count() == 4
    page = client.get(reverse("events:service", args=[world.service.pk])).content.decode()
    assert "Cooking group" in page


@pytest.mark.parametrize(
    ("more", "message"),
    [
        ({"ends_at": "13:00"}, "The end time must be after the start time"),
        ({"capacity": "0"}, "An event has at least 1 place"),
        ({"capacity": "-2"}, "An event has at least 1 place"),
        ({"until": ""}, "a series needs an end"),
        ({"until": "01/01/2099"}, "at most two years"),
        ({"services": []}, "Choose the service or services the event is for"),
    ],
)
def test_it_says_what_is_wrong_with_an_event_and_saves_nothing(world, client_for, more, message):
    data = _event_form(services=[world.service.pk])
    data.update(more)
    response = client_for("support_assistant").post(
        reverse("events:event_new", args=[world.service.pk]), data
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Event.objects.exists()


def test_it_signs_people_up_and_lists_the_waiting(world, client_for):
    session = make_event(world).sessions.get()
    people = [supported(world, name) for name in ("Ann", "Bea", "Cal")]
    client = client_for("support_assistant")
    url = reverse("events:session", args=[session.pk])
    for person in people:
        assert client.post(url, {"person": person.pk}).status_code == 302
    again = client.post(url, {"person": people[0].pk})
    assert again.status_code == 200  # no longer offered: not a valid choice
    page = client.get(url).content.decode()
    assert "Waiting list" in page and "Cal Tester" in page
    assert SignUp.objects.filter(status="waiting").count() == 1


def test_it_takes_the_register_at_the_session(world, client_for):
    ann, bea = (supported(world, name) for name in ("Ann", "Bea"))
    # Signed up two days ago, for yesterday's session.
    with time_machine.travel(timezone.now() - timedelta(days=2)):
        session = make_event(world, days_ahead=1).sessions.get()
        rows = [
            services.signup_add(actor=world.support_assistant, session=session, person=p)
            for p in (ann, bea)
        ]
    client = client_for("support_assistant")
    url = reverse("events:register", args=[session.pk])
    refused = client.post(
        url, {f"status-{rows[0].pk}": "attended", f"status-{rows[1].pk}": "cancelled"}
    )
    assert refused.status_code == 200
    assert "Say why Bea Tester cancelled" in refused.content.decode()
    assert not SignUp.objects.exclude(status="place").exists()
    saved = client.post(
        url,
        {
            f"status-{rows[0].pk}": "attended",
            f"status-{rows[1].pk}": "cancelled",
            f"reason-{rows[1].pk}": "Hospital appointment",
        },
    )
    assert saved.status_code == 302
    timeline = client.get(reverse("timeline:timeline", args=[ann.pk])).content.decode()
    assert "Cooking group" in timeline and "Attended" in timeline


def test_it_shows_what_the_person_is_signed_up_for_and_todays_sessions(world, client_for):
    session = make_event(world, days_ahead=0).sessions.get()
    later = make_event(world, title="Quiz night", days_ahead=3).sessions.get()
    ann = supported(world, "Ann")
    services.signup_add(actor=world.worker, session=later, person=ann)
    client = client_for("worker")
    page = client.get(reverse("people:person", args=[ann.pk])).content.decode()
    assert "Events signed up for" in page and "Quiz night" in page
    home = client.get(reverse("home:home")).content.decode()
    if session.starts_at > timezone.now():
        assert "Events today" in home


def test_it_shows_the_register_only_of_people_the_reader_may_see(world, client_for):
    event = make_event(world, services=[world.service], capacity=5)
    session = event.sessions.get()
    ann = supported(world, "Ann")
    services.signup_add(actor=world.worker, session=session, person=ann)
    # The event is for the other team's service too; their lead manager sees it but
    # not Ann.
    event.services.add(world.other_service)
    page = client_for("other_lead_manager").get(reverse("events:session", args=[session.pk]))
    assert page.status_code == 200
    assert "Ann Tester" not in page.content.decode()
    assert (
        client_for("other_org_worker").get(reverse("events:session", args=[session.pk])).status_code
        == 404
    )


def test_it_gives_a_feed_of_the_sessions_without_anyone_supported(world, client_for):
    session = make_event(world).sessions.get()
    services.signup_add(actor=world.worker, session=session, person=supported(world, "Ann"))
    client = client_for("support_assistant")
    settings_url = reverse("events:feed_settings", args=[world.service.pk])
    page = client.post(settings_url, {"action": "issue"}).content.decode()
    token = page.split("/events/calendar/")[1].split(".ics")[0]
    feed = client_for(None).get(reverse("events:feed", args=[token]))
    assert feed.status_code == 200
    body = feed.content.decode()
    assert "Cooking group" in body and "The kitchen" in body and "Ann" not in body
    client.post(settings_url, {"action": "revoke"})
    assert client_for(None).get(reverse("events:feed", args=[token])).status_code == 404


def test_it_audits_reading_a_sessions_list(world, client_for):
    session = make_event(world).sessions.get()
    ann = supported(world, "Ann")
    row = services.signup_add(actor=world.worker, session=session, person=ann)
    client_for("colleague").get(reverse("events:session", args=[session.pk]))
    read = AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS, actor=world.colleague)
    assert [e.additional_data for e in read] == [{"shown": {"events.signup": [row.pk]}}]


def test_it_says_every_mistake_on_the_event_form_at_once(world, client_for):
    data = _event_form(services=[world.service.pk], title="", capacity="0", until="")
    data["ends_at"] = "13:00"
    page = (
        client_for("worker")
        .post(reverse("events:event_new", args=[world.service.pk]), data)
        .content.decode()
    )
    for message in (
        "Give the event a title",
        "An event has at least 1 place",
        "The end time must be after the start time",
        "a series needs an end",
    ):
        assert message in page
    assert not Event.objects.exists()


def test_it_saves_a_register_in_part_leaving_those_not_marked(world, client_for):
    ann, bea = (supported(world, name) for name in ("Ann", "Bea"))
    with time_machine.travel(timezone.now() - timedelta(days=2)):
        session = make_event(world, days_ahead=1).sessions.get()
        rows = [
            services.signup_add(actor=world.support_assistant, session=session, person=p)
            for p in (ann, bea)
        ]
    response = client_for("support_assistant").post(
        reverse("events:register", args=[session.pk]), {f"status-{rows[0].pk}": "did_not_attend"}
    )
    assert response.status_code == 302
    assert dict(SignUp.objects.values_list("person__first_name", "status")) == {
        "Ann": "did_not_attend",
        "Bea": "place",
    }
