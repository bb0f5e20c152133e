from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from keywork.core.models import Notification
from keywork.notes.tests.test_file_notes import write
from keywork.tasks.models import Task


def day(offset: int) -> str:
    return (timezone.localdate() + timedelta(days=offset)).strftime("%d/%m/%Y")


def test_it_sets_a_follow_up_from_a_note_on_someone_elses_task_list(client_for, world, episode):
    client = client_for("worker")
    response = write(
        client,
        episode,
        follow_up="Ring the housing officer",
        follow_up_for=world.colleague.pk,
        follow_up_by=day(3),
    )
    assert response.status_code == 302
    task = Task.objects.get()
    assert (
        task.assigned_to == world.colleague and task.file_note.subject == "Weekly key-work session"
    )
    assert Notification.objects.filter(user=world.colleague, text__contains="follow up").exists()
    page = client_for("colleague").get(reverse("tasks:my_tasks")).content.decode()
    assert "Ring the housing officer" in page and "Due " in page


def test_it_refuses_a_half_set_follow_up(client_for, episode):
    client = client_for("worker")
    for overrides, message in (
        ({"follow_up": "Do a thing"}, "Enter the date the follow-up is due"),
        ({"follow_up_by": day(2)}, "Say what must be done"),
        (
            {"follow_up": "Do a thing", "follow_up_by": day(-2)},
            "The date for the follow-up has passed",
        ),
    ):
        response = write(client, episode, **overrides)
        assert message in response.content.decode(), overrides
    assert not Task.objects.exists()


def test_it_shows_overdue_tasks_in_red_and_to_the_team_managers(client_for, world, episode):
    client = client_for("worker")
    write(client, episode, follow_up="Chase the benefits claim", follow_up_by=day(1))
    with time_machine.travel(timezone.now() + timedelta(days=4)):
        fresh = client_for("worker")
        page = fresh.get(reverse("tasks:my_tasks")).content.decode()
        assert 'govuk-tag--red">3 days overdue' in page
        team = client_for("senior").get(reverse("tasks:team_tasks", args=[world.team.pk]))
        assert [t.title for t in team.context["tasks"]] == ["Chase the benefits claim"]
        assert "Wendy Worker" in team.content.decode()


def test_it_marks_a_task_done_only_for_its_owner(client_for, world, episode):
    client = client_for("worker")
    write(client, episode, follow_up="Post the form", follow_up_by=day(2))
    task = Task.objects.get()
    url = reverse("tasks:task_done", args=[task.pk])
    assert client_for("colleague").post(url).status_code == 404
    client.post(url)
    task.refresh_from_db()
    assert task.done_at is not None and task.done_by == world.worker
    assert client.get(reverse("tasks:my_tasks")).context["tasks"] == []
