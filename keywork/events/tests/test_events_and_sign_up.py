"""Events and their sessions, signing up with a waiting list, the register, and the bad
input each refuses."""

from datetime import date, time, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from keywork.audit.models import AuditEntry
from keywork.core.errors import NotFoundOrNotAllowed
from keywork.core.models import Notification
from keywork.events import services
from keywork.events.models import Event, Session, SignUp
from keywork.events.services import session_dates
from keywork.events.tests.conftest import make_event, supported

pytestmark = pytest.mark.django_db
Status = SignUp.Status


def test_it_makes_a_session_for_each_day_of_the_rule():
    tuesday = date(2026, 12, 1)
    weekly = session_dates("weekly", tuesday, date(2026, 12, 29))
    assert weekly == [tuesday + timedelta(days=7 * n) for n in range(5)]
    assert session_dates("fortnightly", tuesday, date(2026, 12, 29)) == weekly[::2]
    # The first Tuesday of each month.
    assert session_dates("monthly", tuesday, date(2027, 3, 31)) == [
        date(2026, 12, 1),
        date(2027, 1, 5),
        date(2027, 2, 2),
        date(2027, 3, 2),
    ]
    # A fifth Tuesday: only the months that have one.
    assert session_dates("monthly", date(2026, 12, 29), date(2027, 4, 30)) == [
        date(2026, 12, 29),
        date(2027, 3, 30),
    ]


def test_it_lets_a_support_assistant_make_a_weekly_group_with_its_sessions(world):
    event = make_event(world, repeat="weekly", until=timezone.localdate() + timedelta(days=7 + 21))
    assert event.sessions.count() == 4
    first = event.sessions.first()
    assert timezone.localtime(first.starts_at).time() == time(14, 0)
    assert AuditEntry.objects.filter(
        object_repr=str(first), action=AuditEntry.Action.CREATE
    ).exists()


@pytest.mark.parametrize(
    ("more", "field"),
    [
        ({"starts_at": time(16, 0), "ends_at": time(14, 0)}, "ends_at"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": -3}, "capacity"),
        ({"repeat": "weekly"}, "until"),
        (
            {"repeat": "weekly", "until": timezone.localdate() + timedelta(days=7 + 2 * 366)},
            "until",
        ),
        ({"repeat": "weekly", "until": timezone.localdate()}, "until"),
        ({"services": []}, "services"),
        ({"cost": -1}, "cost"),
    ],
)
def test_it_refuses_an_event_that_cannot_be_and_saves_nothing(world, more, field):
    with pytest.raises(ValidationError) as refused:
        make_event(world, **more)
    assert field in refused.value.message_dict
    assert not Event.objects.exists() and not Session.objects.exists()


def test_it_refuses_an_event_for_a_service_the_user_does_not_work_in(world):
    with pytest.raises(NotFoundOrNotAllowed):
        make_event(world, services=[world.other_service])
    with pytest.raises(NotFoundOrNotAllowed):
        make_event(world, actor=world.other_org_worker)


def test_it_puts_the_third_on_the_waiting_list_and_moves_them_up_when_a_place_is_freed(
    world, people_three
):
    session = make_event(world).sessions.get()
    ann, bea, cal = (
        services.signup_add(actor=world.support_assistant, session=session, person=p)
        for p in people_three
    )
    assert [ann.status, bea.status, cal.status] == [Status.PLACE, Status.PLACE, Status.WAITING]
    services.signup_cancel(actor=world.support_assistant, sign_up=ann, reason="Unwell")
    cal.refresh_from_db()
    assert cal.status == Status.PLACE
    told = Notification.objects.get(user=world.worker)
    assert "Cal Tester now has a place at Cooking group" in told.text
    assert told.about_person_id == cal.person_id
    assert SignUp.objects.filter(session=session, status__in=SignUp.HOLDING).count() == 2


def test_it_refuses_signing_someone_up_twice_or_someone_from_another_service(world, people_three):
    session = make_event(world).sessions.get()
    services.signup_add(actor=world.worker, session=session, person=people_three[0])
    with pytest.raises(ValidationError) as twice:
        services.signup_add(actor=world.worker, session=session, person=people_three[0])
    assert "already" in twice.value.message_dict["person"][0]
    elsewhere = supported(
        world, "Dee", service=world.other_service, key_worker=world.other_team_worker
    )
    # The worker cannot see them: as if they did not exist.
    with pytest.raises(NotFoundOrNotAllowed):
        services.signup_add(actor=world.worker, session=session, person=elsewhere)
    assert SignUp.objects.filter(session=session).count() == 1


def test_it_refuses_someone_the_actor_sees_who_is_not_in_the_events_services(world):
    session = make_event(world).sessions.get()
    # Supported by the worker's service once, the episode now ended.
    person = supported(world, "Eve")
    person.episodes.update(
        end_date=timezone.localdate(),
        end_reason="planned",
        destination="social_tenancy",
        ended_by=world.worker,
    )
    with pytest.raises(ValidationError) as refused:
        services.signup_add(actor=world.worker, session=session, person=person)
    assert "not supported by the service" in refused.value.message_dict["person"][0]


def test_it_takes_the_register_and_refuses_it_for_a_future_or_cancelled_session(
    world, people_three
):
    event = make_event(world, days_ahead=1)
    session = event.sessions.get()
    ann, bea = (
        services.signup_add(actor=world.support_assistant, session=session, person=p)
        for p in people_three[:2]
    )
    with pytest.raises(ValidationError) as early:
        services.register_save(
            actor=world.support_assistant, session=session, marks={ann.pk: ("attended", "")}
        )
    assert "not started" in early.value.message_dict["register"][0]
    services.session_cancel(actor=world.support_assistant, session=session, reason="Snow")
    with (
        time_machine.travel(session.starts_at + timedelta(minutes=30)),
        pytest.raises(ValidationError) as cancelled,
    ):
        services.register_save(
            actor=world.support_assistant, session=session, marks={ann.pk: ("attended", "")}
        )
    assert "cancelled" in cancelled.value.message_dict["register"][0]
    assert SignUp.objects.get(pk=ann.pk).status == Status.PLACE


@pytest.fixture
def held_session(world, people_three):
    session = make_event(world, days_ahead=1).sessions.get()
    rows = [
        services.signup_add(actor=world.support_assistant, session=session, person=p)
        for p in people_three
    ]
    return session, rows


def test_it_saves_the_register_whole_or_not_at_all(world, held_session):
    session, (ann, bea, cal) = held_session
    with time_machine.travel(session.starts_at + timedelta(minutes=30)):
        with pytest.raises(ValidationError) as refused:
            services.register_save(
                actor=world.support_assistant,
                session=session,
                marks={ann.pk: ("late", ""), bea.pk: ("cancelled", "")},
            )
        assert f"reason-{bea.pk}" in refused.value.message_dict
        ann.refresh_from_db()
        assert ann.status == Status.PLACE
        count = services.register_save(
            actor=world.support_assistant,
            session=session,
            marks={ann.pk: ("late", ""), bea.pk: ("cancelled", "Rang in ill")},
        )
        assert count == 2
        # Bea's place is free; Cal, who waited, came.
        services.register_save(
            actor=world.support_assistant, session=session, marks={cal.pk: ("attended", "")}
        )
    statuses = dict(SignUp.objects.values_list("person__first_name", "status"))
    assert statuses == {"Ann": "late", "Bea": "cancelled", "Cal": "attended"}
    assert SignUp.objects.get(pk=bea.pk).cancel_reason == "Rang in ill"


def test_it_never_lets_the_register_hold_more_than_the_places(world, held_session):
    session, (ann, bea, cal) = held_session
    with (
        time_machine.travel(session.starts_at + timedelta(minutes=30)),
        pytest.raises(ValidationError) as full,
    ):
        services.register_save(
            actor=world.support_assistant, session=session, marks={cal.pk: ("attended", "")}
        )
    assert "full" in full.value.message_dict[f"status-{cal.pk}"][0]


def test_it_adds_someone_who_came_without_signing_up(world, people_three):
    session = make_event(world, days_ahead=1, capacity=3).sessions.get()
    dee = supported(world, "Dee")
    with pytest.raises(ValidationError) as early:
        services.walk_in_add(actor=world.support_assistant, session=session, person=dee)
    assert "not started" in early.value.message_dict["person"][0]
    with time_machine.travel(session.starts_at + timedelta(minutes=10)):
        row = services.walk_in_add(actor=world.support_assistant, session=session, person=dee)
    assert row.walk_in and row.status == Status.ATTENDED


def test_it_moves_or_cancels_one_session_and_leaves_the_rest(world, people_three):
    event = make_event(world, repeat="weekly", until=timezone.localdate() + timedelta(days=28))
    first, second, *rest = event.sessions.all()
    services.session_cancel(actor=world.support_assistant, session=first, reason="Bank holiday")
    later = second.starts_at + timedelta(days=1)
    services.session_move(
        actor=world.support_assistant,
        session=second,
        starts_at=later,
        ends_at=later + timedelta(hours=2),
        venue="The garden",
    )
    assert Session.objects.get(pk=first.pk).is_cancelled
    assert Session.objects.get(pk=second.pk).venue == "The garden"
    assert all(
        s.venue == "The kitchen" and not s.is_cancelled
        for s in Session.objects.filter(pk__in=[r.pk for r in rest])
    )
    with pytest.raises(ValidationError) as cancelled:
        services.signup_add(actor=world.worker, session=first, person=people_three[0])
    assert "cancelled" in cancelled.value.message_dict["person"][0]
    with pytest.raises(ValidationError) as backwards:
        services.session_move(
            actor=world.worker, session=second, starts_at=later, ends_at=later, venue="Here"
        )
    assert "ends_at" in backwards.value.message_dict


def test_it_ends_a_series_keeping_its_past_sessions(world, people_three):
    event = make_event(
        world, days_ahead=-21, repeat="weekly", until=timezone.localdate() + timedelta(days=21)
    )
    assert event.sessions.count() == 7
    future = event.sessions.filter(starts_at__gt=timezone.now()).last()
    services.signup_add(actor=world.worker, session=future, person=people_three[0])
    services.event_end(actor=world.support_assistant, event=event, last_date=timezone.localdate())
    event.refresh_from_db()
    assert event.ended_on == timezone.localdate()
    past = event.sessions.filter(starts_at__lt=timezone.now())
    assert past.count() == 4 and not past.exclude(cancelled_at=None).exists()
    # The later one with someone signed up is cancelled, keeping its list; the rest went.
    assert list(event.sessions.filter(starts_at__gt=timezone.now())) == [future]
    assert Session.objects.get(pk=future.pk).cancel_reason == "The series ended."


def test_it_refuses_staff_of_another_team_or_organisation_on_a_session(world, people_three):
    session = make_event(world).sessions.get()
    for outsider in (
        world.other_team_worker,
        world.other_org_worker,
        world.complex_caseworker,
        world.admin,
    ):
        with pytest.raises(NotFoundOrNotAllowed):
            services.signup_add(actor=outsider, session=session, person=people_three[0])
        with pytest.raises(NotFoundOrNotAllowed):
            services.session_cancel(actor=outsider, session=session, reason="No")
    assert not SignUp.objects.exists()
