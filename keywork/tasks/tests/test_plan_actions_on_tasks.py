"""A worker ticks off a plan action they own from their task list, through the plan's
own checks: only on a plan they may change, and only over the plan as the list showed it."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from keywork.planning import services
from keywork.planning.models import Action, SupportPlan


@pytest.fixture
def action(world, episode) -> Action:
    plan = services.plan_start(actor=world.worker, episode=episode)
    goal = services.goal_add(
        actor=world.worker, plan=plan, domain=plan.framework.domains.first(), in_own_words="x"
    )
    return services.action_add(
        actor=world.worker,
        goal=goal,
        what="Apply for a hardship grant",
        owner="worker",
        owner_worker=world.worker,
        due_on=timezone.localdate() + timedelta(days=5),
    )


def _form(page: str, action: Action) -> str:
    url = reverse("tasks:action_done", args=[action.pk])
    found = re.search(rf'<form method="post" action="{url}".*?</form>', page, re.S)
    assert found, "no form to mark the action done"
    return found.group(0)


def test_it_marks_a_plan_action_done_from_the_task_list(client_for, world, action):
    client = client_for("worker")
    form = _form(client.get(reverse("tasks:my_tasks")).content.decode(), action)
    assert 'name="csrfmiddlewaretoken"' in form and "Mark done" in form
    version = re.search(r'name="version" value="(\d+)"', form).group(1)
    response = client.post(
        reverse("tasks:action_done", args=[action.pk]), {"version": version}, follow=True
    )
    page = response.content.decode()
    assert "Done: Apply for a hardship grant" in page
    assert "No open actions." in page
    action.refresh_from_db()
    assert action.status == "done"
    plan = SupportPlan.objects.get(pk=action.goal.plan_id)
    assert plan.version == int(version) + 1


def test_it_refuses_when_the_plan_changed_after_the_list_was_opened(client_for, world, action):
    client = client_for("worker")
    form = _form(client.get(reverse("tasks:my_tasks")).content.decode(), action)
    version = re.search(r'name="version" value="(\d+)"', form).group(1)
    services.action_set_status(
        actor=world.colleague, action=action, status="not_needed", version=int(version)
    )
    response = client.post(
        reverse("tasks:action_done", args=[action.pk]), {"version": version}, follow=True
    )
    assert "Someone else changed this plan after you opened it" in response.content.decode()
    action.refresh_from_db()
    assert action.status == "not_needed"


def test_it_needs_a_post_and_keeps_others_out(client_for, world, action):
    url = reverse("tasks:action_done", args=[action.pk])
    assert client_for("worker").get(url).status_code == 405
    plan = SupportPlan.objects.get(pk=action.goal.plan_id)
    assert client_for("other_team_worker").post(url, {"version": plan.version}).status_code == 404
    action.refresh_from_db()
    assert action.status == "not_started"


def test_it_keeps_the_task_list_to_the_same_queries_with_many_actions(client_for, world, action):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("worker")
    client.get(reverse("tasks:my_tasks"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("tasks:my_tasks"))
    for i in range(10):
        services.action_add(
            actor=world.worker,
            goal=action.goal,
            what=f"Step {i}",
            owner="worker",
            owner_worker=world.worker,
            due_on=timezone.localdate() + timedelta(days=i),
        )
    with CaptureQueriesContext(connection) as eleven:
        page = client.get(reverse("tasks:my_tasks")).content.decode()
    assert page.count("Mark done") >= 11
    assert len(eleven) == len(one)
