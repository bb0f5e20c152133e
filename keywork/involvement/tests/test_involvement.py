"""A residents' meeting: who took part and in what role, what was decided, actions with
owners and due dates, "you said, we did" to print, and the service's figures by quarter,
counted from the records."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from keywork.core.errors import NotFoundOrNotAllowed
from keywork.involvement import selectors, services
from keywork.involvement.models import InvolvementAction, Participation
from keywork.testing.factories import supported_person

DAY = timedelta(days=1)


def _meeting(world, held_on=None):
    return services.session_record(
        actor=world.support_assistant,
        service=world.service,
        kind="residents_meeting",
        title="House meeting",
        held_on=held_on or timezone.localdate() - DAY,
        decided="A kitchen rota.",
    )


def test_it_records_a_meeting_with_who_took_part_actions_and_you_said_we_did(world, client_for):
    people = [
        supported_person(world, f"Member{n}", "Meet", started=timezone.localdate() - 30 * DAY)
        for n in range(3)
    ]
    meeting = _meeting(world)
    client = client_for("support_assistant")
    answer = client.post(
        reverse("involvement:participant_add", args=[meeting.pk]),
        {"person": people[0].person.pk, "role": "chair"},
    )
    assert answer.status_code == 302
    services.participant_add(
        actor=world.worker, session=meeting, person=people[1].person, role="took_part"
    )
    answer = client.post(
        reverse("involvement:action_add", args=[meeting.pk]),
        {
            "what": "Buy a second kettle",
            "owner": world.worker.pk,
            "due_on": (timezone.localdate() + 7 * DAY).strftime("%d/%m/%Y"),
        },
    )
    assert answer.status_code == 302
    answer = client.post(
        reverse("involvement:said_did_add", args=[meeting.pk]),
        {"you_said": "The kitchen is too busy at tea time.", "we_did": "A rota."},
    )
    assert answer.status_code == 302
    page = client.get(reverse("involvement:session", args=[meeting.pk])).content.decode()
    assert "Member0 Meet</a>: chaired it" in page and "Member2" not in page
    assert "Buy a second kettle" in page
    mine = client_for("worker").get(reverse("involvement:list")).content.decode()
    assert "Your open actions" in mine and "Buy a second kettle" in mine
    printed = client.get(
        reverse("involvement:said_did_print", args=[world.service.pk])
    ).content.decode()
    assert "The kitchen is too busy at tea time." in printed and "Member0" not in printed
    timeline = client.get(reverse("timeline:timeline", args=[people[0].person.pk])).content.decode()
    assert "Residents&#x27; meeting: House meeting" in timeline or (
        "Residents' meeting: House meeting" in timeline
    )
    action = InvolvementAction.objects.get()
    answer = client.post(
        reverse("involvement:action_done", args=[action.pk]),
        {"done_on": timezone.localdate().strftime("%d/%m/%Y")},
    )
    assert answer.status_code == 302
    assert InvolvementAction.objects.get().done_on == timezone.localdate()


def test_it_refuses_bad_input_naming_the_field_and_saves_nothing(world):
    with pytest.raises(ValidationError) as refused:
        _meeting(world, held_on=timezone.localdate() + DAY)
    assert "held_on" in refused.value.message_dict
    meeting = _meeting(world)
    elsewhere = supported_person(
        world,
        "Other",
        "Place",
        service=world.other_service,
        key_worker=world.other_team_worker,
        recorded_by=world.other_team_worker,
    )
    with pytest.raises(NotFoundOrNotAllowed):
        services.participant_add(
            actor=world.worker, session=meeting, person=elsewhere.person, role="took_part"
        )
    here = supported_person(world, "Late", "Comer", started=timezone.localdate())
    with pytest.raises(ValidationError) as refused:
        services.participant_add(
            actor=world.worker, session=meeting, person=here.person, role="took_part"
        )
    assert "not supported" in refused.value.message_dict["person"][0]
    with pytest.raises(ValidationError) as refused:
        services.involvement_action_add(
            actor=world.worker,
            session=meeting,
            what="x",
            owner=world.other_team_worker,
            due_on=timezone.localdate(),
        )
    assert "owner" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.involvement_action_add(
            actor=world.worker,
            session=meeting,
            what="x",
            owner=world.worker,
            due_on=meeting.held_on - DAY,
        )
    assert "due_on" in refused.value.message_dict
    assert not Participation.objects.exists() and not InvolvementAction.objects.exists()


def test_it_counts_people_sessions_and_actions_done_per_quarter(world, client_for):
    today = date(2026, 11, 20)
    people = [
        supported_person(world, f"Q{n}", "Count", started=date(2026, 1, 5)).person for n in range(3)
    ]
    earlier = _meeting(world, held_on=date(2026, 8, 1))
    later = _meeting(world, held_on=date(2026, 10, 15))
    again = _meeting(world, held_on=date(2026, 11, 1))
    for session, who in ((earlier, people[:1]), (later, people[:2]), (again, people[1:])):
        for person in who:
            services.participant_add(
                actor=world.worker, session=session, person=person, role="took_part"
            )
    action = services.involvement_action_add(
        actor=world.worker,
        session=earlier,
        what="Paint",
        owner=world.worker,
        due_on=date(2026, 9, 1),
    )
    InvolvementAction.objects.filter(pk=action.pk).update(done_on=date(2026, 10, 2))
    quarters = selectors.figures(world.service, today=today)
    assert [(q.first, q.sessions, q.people, q.actions_done) for q in quarters[:2]] == [
        (date(2026, 10, 1), 2, 3, 1),
        (date(2026, 7, 1), 1, 1, 0),
    ]
    assert quarters[0].label == "October to December 2026"
    page = client_for("lead_manager").get(reverse("involvement:figures", args=[world.service.pk]))
    assert page.status_code == 200
    # The other team's staff have nothing to do with this service's running.
    assert (
        client_for("other_team_worker")
        .get(reverse("involvement:figures", args=[world.service.pk]))
        .status_code
        == 404
    )


@pytest.mark.parametrize("name", ["involvement:session", "involvement:list"])
def test_it_makes_as_many_queries_for_twenty_people_as_for_two(world, client_for, name):
    meeting = _meeting(world)

    def add(n, start):
        for i in range(start, start + n):
            episode = supported_person(
                world, f"B{i}", "Budget", started=timezone.localdate() - 30 * DAY
            )
            services.participant_add(
                actor=world.worker, session=meeting, person=episode.person, role="took_part"
            )
            services.involvement_action_add(
                actor=world.worker,
                session=meeting,
                what=f"Do {i}",
                owner=world.worker,
                due_on=timezone.localdate(),
            )

    url = reverse(name, args=[meeting.pk]) if name == "involvement:session" else reverse(name)
    client = client_for("worker")
    add(2, 0)
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    two = count()
    add(18, 2)
    assert count() == two
    assert two <= 30
