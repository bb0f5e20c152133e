"""Changing an event after it was made: its details go to the sessions to come (not to a
session moved on its own, nor to past ones), more places go to the first waiting, fewer
places than people with one are refused, and two people changing it at once lose
nothing."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from keywork.audit.models import AuditEntry
from keywork.core.errors import NotFoundOrNotAllowed
from keywork.core.models import Notification
from keywork.core.saving import ChangedSinceOpened
from keywork.events import services
from keywork.events.models import Event, Session, SignUp
from keywork.events.tests.conftest import make_event, supported

pytestmark = pytest.mark.django_db


def _details(event: Event, **more) -> dict:
    return {
        "version": event.version,
        "title": event.title,
        "kind": event.kind,
        "venue": event.venue,
        "capacity": event.capacity,
        "organisers": list(event.organisers.all()),
        "what_to_bring": event.what_to_bring,
        "cost": event.cost,
        "accessibility": event.accessibility,
        "description": event.description,
        **more,
    }


def _update(world, event: Event, *, actor=None, **more) -> Event:
    event.refresh_from_db()
    return services.event_update(
        actor=actor or world.support_assistant, event=event, **_details(event, **more)
    )


def _full_session(world, *, places: int = 2, waiting: int = 2, days_ahead: int = 7):
    """A session with its places taken and people waiting, in sign-up order."""
    session = make_event(world, capacity=places, days_ahead=days_ahead).sessions.get()
    people = [supported(world, f"Person{n}") for n in range(places + waiting)]
    for person in people:
        services.signup_add(actor=world.support_assistant, session=session, person=person)
    return session, people


def test_it_changes_a_series_details_for_its_sessions_to_come_only(world):
    # A weekly group that began two weeks ago: two sessions past, five to come.
    with time_machine.travel(timezone.now() - timedelta(days=15)):
        event = make_event(
            world, days_ahead=2, repeat="weekly", until=timezone.localdate() + timedelta(days=44)
        )
    past, to_come = (
        list(event.sessions.filter(starts_at__lt=timezone.now())),
        list(event.sessions.filter(starts_at__gt=timezone.now())),
    )
    assert len(past) == 2 and len(to_come) == 5
    moved, cancelled = to_come[0], to_come[1]
    services.session_move(
        actor=world.support_assistant,
        session=moved,
        starts_at=moved.starts_at + timedelta(hours=1),
        ends_at=moved.ends_at + timedelta(hours=1),
        venue="The garden",
    )
    services.session_cancel(actor=world.support_assistant, session=cancelled, reason="Snow")

    _update(
        world,
        event,
        title="Cooking club",
        kind="social",
        venue="The new kitchen",
        what_to_bring="An apron",
        cost=2,
        accessibility="Step-free",
        description="We cook a meal together",
        organisers=[world.worker],
    )

    event.refresh_from_db()
    assert (event.title, event.kind, event.cost, event.version) == ("Cooking club", "social", 2, 2)
    assert event.description == "We cook a meal together"
    assert list(event.organisers.all()) == [world.worker]
    venues = dict(Session.objects.values_list("pk", "venue"))
    assert [venues[s.pk] for s in past] == ["The kitchen", "The kitchen"]
    assert venues[moved.pk] == "The garden"
    assert {venues[s.pk] for s in to_come[2:]} == {"The new kitchen"}
    cancelled.refresh_from_db()
    assert cancelled.is_cancelled and cancelled.cancel_reason == "Snow"
    moved.refresh_from_db()
    assert timezone.localtime(moved.starts_at).hour == 15


def test_it_audits_the_change_naming_who_made_it(world):
    event = make_event(world)
    _update(world, event, title="Cooking club", capacity=5)
    change = (
        AuditEntry.objects.filter(
            action=AuditEntry.Action.UPDATE,
            content_type__model="event",
            object_pk=str(event.pk),
            actor=world.support_assistant,
        )
        .order_by("pk")
        .last()
    )
    assert change.changes_dict == {
        "title": ["Cooking group", "Cooking club"],
        "capacity": ["2", "5"],
        "version": ["1", "2"],
    }


def test_it_gives_new_places_to_the_first_waiting_and_tells_their_key_workers(world):
    session, (ann, bea, cal, dee) = _full_session(world, places=2, waiting=2)
    _update(world, session.event, capacity=3)
    statuses = dict(SignUp.objects.values_list("person__first_name", "status"))
    assert statuses == {
        "Person0": "place",
        "Person1": "place",
        "Person2": "place",
        "Person3": "waiting",
    }
    told = Notification.objects.get(user=world.worker, about_person_id=cal.pk)
    assert "now has a place at Cooking group" in told.text
    assert not Notification.objects.filter(about_person_id=dee.pk).exists()
    # Room for everyone: the last waiting has a place too.
    _update(world, session.event, capacity=10)
    assert not SignUp.objects.filter(status="waiting").exists()


def test_it_gives_no_new_place_at_a_session_that_has_started_or_is_cancelled(world):
    with time_machine.travel(timezone.now() - timedelta(days=2)):
        started, _ = _full_session(world, places=1, waiting=1, days_ahead=1)
    event = started.event
    _update(world, event, capacity=2)
    assert SignUp.objects.filter(session=started, status="waiting").count() == 1


def test_it_refuses_fewer_places_than_people_with_a_place_and_changes_nothing(world):
    session, _ = _full_session(world, places=3, waiting=1)
    event = session.event
    with pytest.raises(ValidationError) as refused:
        _update(world, event, capacity=2, title="Renamed")
    message = refused.value.message_dict["capacity"][0]
    assert "3 people have places" in message and "give at least 3 places" in message
    event.refresh_from_db()
    assert (event.capacity, event.title, event.version) == (3, "Cooking group", 1)
    assert SignUp.objects.filter(status="place").count() == 3
    # As many places as people with one is fine.
    _update(world, event, capacity=3, title="Renamed")


def test_it_lets_places_go_below_what_a_past_session_had(world):
    with time_machine.travel(timezone.now() - timedelta(days=2)):
        past, _ = _full_session(world, places=3, waiting=0, days_ahead=1)
    _update(world, past.event, capacity=1)
    past.event.refresh_from_db()
    assert past.event.capacity == 1
    assert SignUp.objects.filter(session=past, status="place").count() == 3


@pytest.mark.parametrize(
    ("more", "field"),
    [
        ({"capacity": 0}, "capacity"),
        ({"title": "  "}, "title"),
        ({"venue": ""}, "venue"),
        ({"kind": "rave"}, "kind"),
        ({"cost": -1}, "cost"),
    ],
)
def test_it_refuses_details_that_cannot_be(world, more, field):
    event = make_event(world)
    with pytest.raises(ValidationError) as refused:
        _update(world, event, **more)
    assert field in refused.value.message_dict
    event.refresh_from_db()
    assert event.version == 1


def test_it_refuses_a_save_from_details_opened_before_someone_elses(world):
    event = make_event(world)
    opened = event.version
    _update(world, event, title="Cooking club")
    with pytest.raises(ChangedSinceOpened):
        services.event_update(
            actor=world.worker, event=event, **_details(event, version=opened, capacity=9)
        )
    event.refresh_from_db()
    assert (event.title, event.capacity) == ("Cooking club", 2)


def test_it_refuses_someone_who_does_not_run_the_event(world):
    event = make_event(world)
    for outsider in (world.other_team_worker, world.other_org_worker, world.admin):
        with pytest.raises(NotFoundOrNotAllowed):
            services.event_update(actor=outsider, event=event, **_details(event, title="Mine"))
    event.refresh_from_db()
    assert event.title == "Cooking group"


# --- The page ------------------------------------------------------------------------------


def _form(event: Event, **more) -> dict:
    return {
        "version": event.version,
        "title": event.title,
        "kind": event.kind,
        "venue": event.venue,
        "capacity": str(event.capacity),
        "cost": str(event.cost),
        "what_to_bring": "",
        "accessibility": "",
        "description": "",
        **more,
    }


def test_it_links_to_changing_the_details_from_the_event_page(world, client_for):
    event = make_event(world)
    page = client_for("support_assistant").get(reverse("events:event", args=[event.pk]))
    assert "Change the event's details" in page.content.decode()
    assert reverse("events:event_edit", args=[event.pk]) in page.content.decode()


def test_it_changes_the_details_from_the_page(world, client_for):
    session, _ = _full_session(world, places=1, waiting=1)
    event = session.event
    client = client_for("support_assistant")
    url = reverse("events:event_edit", args=[event.pk])
    form = client.get(url).content.decode()
    assert 'value="Cooking group"' in form and 'name="version"' in form
    saved = client.post(url, _form(event, capacity="2", description="Bring a friend"))
    assert saved.status_code == 302
    page = client.get(reverse("events:event", args=[event.pk])).content.decode()
    assert "Saved the changes to Cooking group." in page and "Bring a friend" in page
    assert not SignUp.objects.filter(status="waiting").exists()


@pytest.mark.parametrize(
    ("more", "message"),
    [
        ({"capacity": "1"}, "2 people have places at the session on"),
        ({"capacity": "lots"}, "Enter the number of places as a whole number"),
        ({"capacity": "0"}, "An event has at least 1 place"),
        ({"title": ""}, "Give the event a title"),
        ({"cost": "-3"}, "The cost cannot be less than nothing"),
    ],
)
def test_it_says_what_is_wrong_on_the_field_and_saves_nothing(world, client_for, more, message):
    session, _ = _full_session(world, places=2, waiting=0)
    event = session.event
    response = client_for("support_assistant").post(
        reverse("events:event_edit", args=[event.pk]), _form(event, **more)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and 'id="id_' in page and "govuk-error-summary" in page
    event.refresh_from_db()
    assert (event.version, event.capacity, event.title) == (1, 2, "Cooking group")


def test_it_keeps_both_changes_when_two_people_change_the_event_at_once(world, client_for):
    event = make_event(world)
    mine, theirs = client_for("support_assistant"), client_for("worker")
    url = reverse("events:event_edit", args=[event.pk])
    opened = _form(event)
    assert theirs.post(url, {**opened, "title": "Their title"}).status_code == 302
    refused = mine.post(url, {**opened, "venue": "My venue"})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Someone else changed this event after you opened it" in page
    assert "Their title" in page and 'value="My venue"' in page
    event.refresh_from_db()
    assert (event.title, event.venue) == ("Their title", "The kitchen")
    # The form now carries the version saved, so saving again goes through.
    again = mine.post(
        url, {**opened, "version": event.version, "title": "Their title", "venue": "My venue"}
    )
    assert again.status_code == 302
    event.refresh_from_db()
    assert (event.title, event.venue) == ("Their title", "My venue")
