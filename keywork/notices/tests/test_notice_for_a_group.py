"""A notice for a group: everyone signed up to an event or series and not cancelled is in
its audience, whoever reads it; each reader is shown only those of them they may see."""

from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from keywork.core.errors import NotFoundOrNotAllowed
from keywork.events.models import Event, Session, SignUp
from keywork.notices import selectors, services
from keywork.notices.models import Notice, Receipt
from keywork.testing.factories import supported_person

DAY = timedelta(days=1)


def _event(world, services_for, title="Cooking group"):
    event = Event.objects.create(
        organisation=world.organisation,
        title=title,
        kind="skills",
        venue="The kitchen",
        capacity=2,
        repeat="weekly",
        first_date=timezone.localdate() - 7 * DAY,
        until=timezone.localdate() + 7 * DAY,
        starts_at=time(14, 0),
        ends_at=time(16, 0),
        created_by=world.support_assistant,
    )
    event.services.set(services_for)
    now = timezone.now()
    sessions = [
        Session.objects.create(
            event=event, starts_at=now + days * DAY, ends_at=now + days * DAY + timedelta(hours=2)
        )
        for days in (-7, 0, 7)
    ]
    return event, sessions


def _sign_up(world, session, person, status):
    return SignUp.objects.create(
        session=session,
        person=person,
        status=status,
        signed_up_at=timezone.now() - 3 * DAY,
        signed_up_by=world.support_assistant,
    )


@pytest.fixture
def group(world):
    """Ann has a place, Bea waits for one, Cal cancelled his, and Dev, supported by the
    other team's service, has a place the house team may not see."""
    event, (past, now, future) = _event(world, [world.service, world.other_service])
    ann, bea, cal = (supported_person(world, n, "Group").person for n in ("Ann", "Bea", "Cal"))
    dev = supported_person(
        world,
        "Dev",
        "Group",
        service=world.other_service,
        key_worker=world.other_team_worker,
        recorded_by=world.other_team_worker,
    ).person
    _sign_up(world, past, ann, "attended")
    _sign_up(world, future, ann, "place")
    _sign_up(world, future, bea, "waiting")
    _sign_up(world, future, cal, "cancelled")
    _sign_up(world, now, dev, "place")
    return event, {"ann": ann, "bea": bea, "cal": cal, "dev": dev}


def _notice(world, event, **more):
    return services.notice_create(
        actor=world.support_assistant,
        service=world.service,
        title="The group moves to Thursdays",
        body="From next week the group meets on Thursdays.",
        language="en",
        audience="group",
        event=event,
        published_on=timezone.localdate() - 2 * DAY,
        **more,
    )


def test_it_is_for_everyone_signed_up_but_shows_each_reader_only_whom_they_may_see(
    world, group, client_for
):
    event, people = group
    notice = _notice(world, event)
    everyone = set(selectors.audience_of(notice).values_list("pk", flat=True))
    assert everyone == {people["ann"].pk, people["bea"].pk, people["dev"].pk}

    shown = selectors.delivery(fetched_by=world.support_assistant, notice=notice)
    assert [p.first_name for p in shown.not_yet] == ["Ann", "Bea"]
    page = client_for("support_assistant").get(reverse("notices:notice", args=[notice.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "The people signed up to" in text and "Cooking group" in text
    assert 'id="received-count">0 of 2<' in text
    assert "Dev Group" not in text and "Cal Group" not in text

    ann_page = client_for("worker").get(reverse("people:person", args=[people["ann"].pk]))
    assert "The group moves to Thursdays" in ann_page.content.decode()
    cal_page = client_for("worker").get(reverse("people:person", args=[people["cal"].pk]))
    assert "The group moves to Thursdays" not in cal_page.content.decode()


def test_it_records_receipts_for_the_signed_up_and_refuses_the_cancelled(world, group):
    event, people = group
    notice = _notice(world, event)
    services.receipts_record(
        actor=world.support_assistant,
        notice=notice,
        people=[people["ann"]],
        received_on=timezone.localdate(),
    )
    with pytest.raises(ValidationError) as refused:
        services.receipts_record(
            actor=world.support_assistant,
            notice=notice,
            people=[people["cal"]],
            received_on=timezone.localdate(),
        )
    assert refused.value.message_dict["people"] == ["Cal Group is not someone this notice is for."]
    assert list(Receipt.objects.values_list("person__first_name", flat=True)) == ["Ann"]


def test_it_refuses_a_group_with_no_event_or_no_one_signed_up(world, group):
    with pytest.raises(ValidationError) as refused:
        _notice(world, None)
    assert refused.value.message_dict["event"] == ["Choose the event or group the notice is for."]
    empty, _ = _event(world, [world.service], title="Quiet club")
    with pytest.raises(ValidationError) as refused:
        _notice(world, empty)
    assert refused.value.message_dict["event"] == [
        "No one is signed up to Quiet club: no one would get it."
    ]
    assert not Notice.objects.exists()


def test_it_refuses_an_event_the_notices_service_does_not_run(world):
    walk, (_, now, _) = _event(world, [world.other_service], title="Floating walk")
    person = supported_person(world, "Eve", "Group").person
    _sign_up(world, now, person, "place")
    # The lead manager works in the house's service only: the walk is not theirs to give
    # a notice for.
    with pytest.raises(NotFoundOrNotAllowed):
        services.notice_create(
            actor=world.lead_manager,
            service=world.service,
            title="Walk",
            body="Bring boots.",
            language="en",
            audience="group",
            event=walk,
            published_on=timezone.localdate(),
        )
    assert not Notice.objects.exists()


def test_it_makes_a_notice_for_a_group_from_the_form(world, group, client_for):
    event, _ = group
    client = client_for("support_assistant")
    form = {
        "service": world.service.pk,
        "title": "Bring an apron",
        "body": "Aprons please.",
        "language": "en",
        "audience": "group",
        "published_on": timezone.localdate().strftime("%d/%m/%Y"),
    }
    page = client.get(reverse("notices:new"))
    assert "Cooking group (every week, from" in page.content.decode()
    answer = client.post(reverse("notices:new"), form)
    assert answer.status_code == 200
    assert "Choose the event or group the notice is for." in answer.content.decode()
    answer = client.post(reverse("notices:new"), {**form, "event": event.pk})
    assert answer.status_code == 302
    assert Notice.objects.get().event == event
