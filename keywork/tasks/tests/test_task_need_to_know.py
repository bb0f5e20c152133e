"""Tasks name the people they are about only to staff who may see those people."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from keywork import access
from keywork.accounts.models import Membership
from keywork.core.errors import NotFoundOrNotAllowed
from keywork.notes.models import FileNote
from keywork.notes.tests.test_file_notes import write
from keywork.tasks import services
from keywork.tasks.models import Task
from keywork.testing.factories import supported_person


def day(offset: int):
    return timezone.localdate() + timedelta(days=offset)


def move(user, team):
    Membership.objects.filter(user=user).update(team=team)
    access.forget_memberships(user)


def other_team_person(world, first_name="Pat"):
    """Someone supported by the other team only: the world's own team may not see them."""
    return supported_person(
        world,
        first_name,
        "Other",
        service=world.other_service,
        key_worker=world.other_team_worker,
        recorded_by=world.other_team_worker,
    ).person


def test_it_refuses_a_task_for_someone_who_may_not_see_its_person(world, episode):
    with pytest.raises(ValidationError) as refused:
        services.task_create(
            actor=world.worker,
            assigned_to=world.other_team_worker,
            title="Ring the housing officer",
            due_on=day(2),
            person=episode.person,
        )
    assert refused.value.message_dict == {
        "assigned_to": [
            "Olive Otherteam cannot see this person's record, so cannot be given this task."
        ]
    }
    assert not Task.objects.exists()


def test_it_refuses_that_follow_up_on_a_file_note_and_saves_neither(client_for, world, episode):
    response = write(
        client_for("worker"),
        episode,
        follow_up="Ring the housing officer",
        follow_up_for=world.other_team_worker.pk,
        follow_up_by=day(2).strftime("%d/%m/%Y"),
    )
    assert response.status_code == 200
    # The form offers only staff who may see the person: Olive is not among them.
    page = response.content.decode()
    assert "Select a valid choice" in page
    assert "Olive Otherteam" not in page
    assert not Task.objects.exists() and not FileNote.objects.exists()


def test_it_refuses_a_task_from_someone_who_may_not_record_on_the_person(world, episode):
    for outsider in (world.other_team_worker, world.other_org_worker, world.admin):
        with pytest.raises(NotFoundOrNotAllowed):
            services.task_create(
                actor=outsider,
                assigned_to=outsider,
                title="Look them up",
                due_on=day(1),
                person=episode.person,
            )
    assert not Task.objects.exists()


def test_it_keeps_a_task_but_hides_whom_it_is_about_once_the_assignee_leaves_the_team(
    client_for, world, episode
):
    task = services.task_create(
        actor=world.worker,
        assigned_to=world.colleague,
        title="Ring Ruth's GP about her prescription",
        due_on=day(2),
        person=episode.person,
    )
    page = client_for("colleague").get(reverse("tasks:my_tasks")).content.decode()
    assert "Ruth Ellis" in page and "Ring Ruth&#x27;s GP" in page

    move(world.colleague, world.other_team)
    response = client_for("colleague").get(reverse("tasks:my_tasks"))
    page = response.content.decode()
    assert [t.pk for t in response.context["tasks"]] == [task.pk]
    assert "You no longer work with this person" in page
    assert "Ruth" not in page and "Ellis" not in page and "GP" not in page
    assert reverse("people:person", args=[episode.person_id]) not in page
    # They can still clear it from their list.
    assert reverse("tasks:task_done", args=[task.pk]) in page


def test_it_hides_the_person_and_the_title_of_a_plan_action_its_owner_may_no_longer_see(
    client_for, world, episode
):
    from keywork.outcomes.models import Domain
    from keywork.planning import services as planning

    plan = planning.plan_start(actor=world.worker, episode=episode)
    goal = planning.goal_add(
        actor=world.worker,
        plan=plan,
        domain=Domain.objects.get(framework=plan.framework, name="Money"),
        in_own_words="Keep my flat",
    )
    planning.action_add(
        actor=world.worker,
        goal=goal,
        what="Ask Ruth about her debts",
        owner="worker",
        owner_worker=world.colleague,
        due_on=day(3),
    )
    page = client_for("colleague").get(reverse("tasks:my_tasks")).content.decode()
    assert "Ruth Ellis" in page and "Ask Ruth about her debts" in page
    move(world.colleague, world.other_team)
    page = client_for("colleague").get(reverse("tasks:my_tasks")).content.decode()
    assert "You no longer work with this person" in page
    assert "Ruth" not in page and "debts" not in page
    assert reverse("planning:plan", args=[plan.pk]) not in page


def test_it_names_on_the_team_list_only_the_people_its_viewer_may_see(client_for, world, episode):
    pat = other_team_person(world)
    move(world.colleague, world.other_team)
    services.task_create(
        actor=world.other_team_worker,
        assigned_to=world.colleague,
        title="Chase Pat's housing benefit",
        due_on=day(1),
        person=pat,
    )
    move(world.colleague, world.team)
    services.task_create(
        actor=world.worker,
        assigned_to=world.colleague,
        title="Book Ruth's review",
        due_on=day(1),
        person=episode.person,
    )
    Task.objects.update(due_on=day(-2))
    for manager in ("senior", "lead_manager"):
        response = client_for(manager).get(reverse("tasks:team_tasks", args=[world.team.pk]))
        page = response.content.decode()
        assert len(response.context["tasks"]) == 2
        assert "Ruth Ellis" in page and "Book Ruth&#x27;s review" in page
        assert "Pat" not in page and "housing benefit" not in page
        assert "Someone you do not work with" in page


def test_it_marks_done_only_the_assignees_own_task(world, episode):
    task = services.task_create(
        actor=world.worker,
        assigned_to=world.colleague,
        title="Post the form",
        due_on=day(1),
        person=episode.person,
    )
    for stranger in (world.worker, world.senior, world.other_org_worker):
        with pytest.raises(NotFoundOrNotAllowed):
            services.task_done(actor=stranger, task=task)
    task.refresh_from_db()
    assert task.done_at is None
    services.task_done(actor=world.colleague, task=task)
    task.refresh_from_db()
    assert task.done_at is not None and task.done_by == world.colleague
    with pytest.raises(ValidationError):
        services.task_done(actor=world.colleague, task=Task.objects.get(pk=task.pk))


def test_it_lets_someone_who_left_the_team_clear_a_task_they_can_no_longer_read(
    client_for, world, episode
):
    task = services.task_create(
        actor=world.worker,
        assigned_to=world.colleague,
        title="Ring Ruth's GP",
        due_on=day(1),
        person=episode.person,
    )
    move(world.colleague, world.other_team)
    response = client_for("colleague").post(reverse("tasks:task_done", args=[task.pk]), follow=True)
    task.refresh_from_db()
    assert task.done_at is not None
    assert "Ruth" not in response.content.decode()


def _tasks_about_many_people(world, count: int) -> None:
    """Tasks for the worker about `count` different people: half of them supported by
    the worker's team, half by the other team (tasks set before the worker moved)."""
    for i in range(count):
        if i % 2:
            person = other_team_person(world, f"Other{i}")
        else:
            person = supported_person(world, f"Own{i}", "Person").person
        Task.objects.create(
            organisation=world.organisation,
            assigned_to=world.worker,
            person=person,
            title=f"Task {i}",
            due_on=day(-3),
            created_by=world.worker,
        )


@pytest.mark.parametrize(
    ("persona", "url_for"),
    [
        ("worker", lambda world: reverse("tasks:my_tasks")),
        ("senior", lambda world: reverse("tasks:team_tasks", args=[world.team.pk])),
    ],
)
def test_it_asks_about_all_the_pages_people_at_once(client_for, world, persona, url_for):
    client = client_for(persona)
    url = url_for(world)
    _tasks_about_many_people(world, 3)
    client.get(url)
    with CaptureQueriesContext(connection) as three:
        assert len(client.get(url).context["tasks"]) == 3
    Task.objects.all().delete()
    _tasks_about_many_people(world, 30)
    with CaptureQueriesContext(connection) as thirty:
        assert len(client.get(url).context["tasks"]) == 30
    assert len(thirty) == len(three), f"{len(three)} then {len(thirty)} queries"
