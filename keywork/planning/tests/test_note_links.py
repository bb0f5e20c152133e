"""File notes say which goals and actions of the plan they worked on."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from keywork.notes.models import FileNote
from keywork.outcomes.models import Domain
from keywork.planning import services
from keywork.planning.models import SupportPlan


def note_data(episode, **extra):
    now = timezone.localtime()
    return {
        "episode": episode.pk,
        "contact_type": "key_work",
        "contact_date": now.strftime("%d/%m/%Y"),
        "contact_time": now.strftime("%H:%M"),
        "duration_minutes": "30",
        "subject": "Rang the gas company together",
        "text": "We rang the gas company and agreed a payment plan.",
        **extra,
    }


@pytest.fixture
def goal(world, episode):
    plan = services.plan_start(actor=world.worker, episode=episode)
    money = Domain.objects.get(framework=plan.framework, name="Money")
    goal = services.goal_add(
        actor=world.worker, plan=plan, domain=money, in_own_words="Stop owing the gas company"
    )
    services.action_add(
        actor=world.worker,
        goal=goal,
        what="Ring the gas company",
        owner="person",
        owner_worker=None,
        owner_agency="",
        due_on=timezone.localdate() + timedelta(days=7),
    )
    return goal


def test_it_links_a_note_to_the_goals_and_actions_it_worked_on(client_for, episode, goal):
    client = client_for("worker")
    action = goal.actions.get()
    form = client.get(
        reverse("notes:note_new", args=[episode.person_id]) + f"?goal={goal.pk}"
    ).content.decode()
    assert "Link to the support plan" in form and "Stop owing the gas company" in form
    assert f'value="{goal.pk}" checked' in form
    response = client.post(
        reverse("notes:note_new", args=[episode.person_id]),
        note_data(episode, goals=[goal.pk], actions=[action.pk]),
    )
    assert response.status_code == 302
    note = FileNote.objects.get()
    assert list(note.goals.all()) == [goal] and list(note.actions.all()) == [action]
    page = client.get(reverse("notes:note", args=[note.pk])).content.decode()
    assert "Stop owing the gas company" in page and "Action: Ring the gas company" in page
    plan_page = client.get(reverse("planning:plan", args=[goal.plan_id])).content.decode()
    assert "Worked on in 1 file note" in plan_page
    assert "Rang the gas company together" in plan_page


def test_it_does_not_let_a_note_link_to_another_persons_goal(client_for, world, episode, goal):
    from keywork.people import services as people

    other = people.person_create(actor=world.worker, first_name="Ann", last_name="Other")
    referral = people.referral_create(
        actor=world.worker,
        person=other,
        service=world.service,
        received_on=timezone.localdate() - timedelta(days=3),
        source="self",
        reason="r",
    )
    other_episode = people.referral_accept(
        actor=world.worker,
        referral=referral,
        start_date=timezone.localdate() - timedelta(days=2),
        key_worker=world.worker,
    )
    response = client_for("worker").post(
        reverse("notes:note_new", args=[other.pk]),
        note_data(other_episode, goals=[goal.pk]),
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not FileNote.objects.exists()


def test_it_keeps_a_restricted_note_off_the_plan_for_those_who_may_not_read_it(
    client_for, world, episode, goal
):
    client_for("worker").post(
        reverse("notes:note_new", args=[episode.person_id]),
        note_data(
            episode,
            goals=[goal.pk],
            subject="Private matter",
            restricted="on",
            named_staff=[world.lead_manager.pk],
        ),
    )
    assert FileNote.objects.get().restricted
    own = client_for("worker").get(reverse("planning:plan", args=[goal.plan_id]))
    assert "Private matter" in own.content.decode()
    colleague = client_for("colleague").get(reverse("planning:plan", args=[goal.plan_id]))
    assert colleague.status_code == 200
    assert "Private matter" not in colleague.content.decode()
    assert "Worked on in" not in colleague.content.decode()


def test_it_reads_linked_notes_for_the_plan_page_in_a_fixed_number_of_queries(
    client_for, episode, goal, django_assert_num_queries
):
    client = client_for("worker")
    url = reverse("planning:plan", args=[goal.plan_id])

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    client.post(
        reverse("notes:note_new", args=[episode.person_id]), note_data(episode, goals=[goal.pk])
    )
    few = count()
    for n in range(20):
        client.post(
            reverse("notes:note_new", args=[episode.person_id]),
            note_data(episode, goals=[goal.pk], subject=f"Session {n}"),
        )
    assert FileNote.objects.count() == 21
    assert count() == few
    assert SupportPlan.objects.count() == 1
