"""After adding an action the plan opens at it; each action says its status once; a
status saved from a page opened before someone else's change is refused; a goal worked
on in many file notes names the latest and links to them all."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from keywork.notes.models import FileNote
from keywork.planning import services
from keywork.planning.models import Action, Goal, SupportPlan


@pytest.fixture
def plan(world, episode) -> SupportPlan:
    return services.plan_start(actor=world.worker, episode=episode)


@pytest.fixture
def goal(world, plan) -> Goal:
    return services.goal_add(
        actor=world.worker,
        plan=plan,
        domain=plan.framework.domains.first(),
        in_own_words="Keep my flat",
    )


def _action(world, goal, what="Pay the rent", **more) -> Action:
    return services.action_add(
        actor=world.worker,
        goal=goal,
        what=what,
        owner="person",
        due_on=more.pop("due_on", timezone.localdate() + timedelta(days=7)),
        **more,
    )


def _item(page: str, action: Action) -> str:
    """The plan page's list item of one action."""
    found = re.search(rf'<li id="action-{action.pk}">(.*?)</li>', page, re.S)
    assert found, f"no item for action {action.pk}"
    return found.group(1)


def test_it_opens_the_plan_at_the_action_just_added(client_for, goal):
    response = client_for("worker").post(
        reverse("planning:action_new", args=[goal.pk]),
        {
            "what": "Ring the council",
            "owner": "person",
            "due_on": (timezone.localdate() + timedelta(days=3)).strftime("%d/%m/%Y"),
        },
    )
    action = Action.objects.get()
    plan_url = reverse("planning:plan", args=[goal.plan_id])
    assert response["Location"] == f"{plan_url}#action-{action.pk}"
    page = client_for("worker").get(plan_url).content.decode()
    assert f'id="action-{action.pk}"' in page


def test_it_says_each_actions_status_once(client_for, world, goal):
    started = _action(world, goal, "Open a bank account")
    services.action_set_status(
        actor=world.worker, action=started, status="in_progress", version=goal.plan.version
    )
    late = _action(world, goal, "Book the GP")
    Action.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - timedelta(days=2))
    page = client_for("worker").get(reverse("planning:plan", args=[goal.plan_id])).content.decode()
    item = _item(page, started)
    # The status is the chosen option of the list that changes it, and said nowhere else.
    assert item.count("In progress") == 1
    assert '<option value="in_progress" selected>In progress</option>' in item
    assert "govuk-tag" not in item
    overdue = _item(page, late)
    assert "Overdue" in overdue and overdue.count("Not started") == 1


def test_it_refuses_a_status_saved_from_a_plan_changed_since_it_was_opened(client_for, world, goal):
    action = _action(world, goal)
    opened = SupportPlan.objects.get(pk=goal.plan_id).version
    _action(world, goal, "Someone else's action")  # moves the plan on
    client = client_for("worker")
    response = client.post(
        reverse("planning:action_status", args=[action.pk]),
        {"status": "done", "version": opened},
        follow=True,
    )
    assert "Someone else changed this plan after you opened it" in response.content.decode()
    action.refresh_from_db()
    assert action.status == "not_started"
    current = SupportPlan.objects.get(pk=goal.plan_id).version
    response = client.post(
        reverse("planning:action_status", args=[action.pk]), {"status": "done", "version": current}
    )
    assert response["Location"].endswith(f"#action-{action.pk}")
    action.refresh_from_db()
    assert action.status == "done"


def test_it_links_from_a_goal_to_all_the_file_notes_that_worked_on_it(
    client_for, world, episode, goal
):
    now = timezone.now()
    for day in range(30):
        note = FileNote.objects.create(
            organisation=world.organisation,
            person=episode.person,
            episode=episode,
            contact_type="phone",
            contact_at=now - timedelta(days=day),
            subject=f"Call {day}",
            text="Talked about the flat",
            author=world.worker,
            recorded_at=now,
        )
        note.goals.add(goal)
    client = client_for("worker")
    page = client.get(reverse("planning:plan", args=[goal.plan_id])).content.decode()
    assert "Showing the latest 3 of 30" in page
    all_notes = reverse("planning:goal_notes", args=[goal.pk])
    assert f'href="{all_notes}"' in page and "See all 30 file notes" in page
    first = client.get(all_notes).content.decode()
    assert "Showing 1 to 25 of 30" in first and "Call 0" in first and "Call 29" not in first
    second = client.get(all_notes, {"page": "2"}).content.decode()
    assert "Showing 26 to 30 of 30" in second and "Call 29" in second
    assert client_for("other_team_worker").get(all_notes).status_code == 404


def test_it_says_how_many_actions_the_person_page_leaves_out(client_for, world, goal):
    for i in range(7):
        _action(world, goal, f"Step {i}")
    page = (
        client_for("worker")
        .get(reverse("people:person", args=[goal.plan.person_id]))
        .content.decode()
    )
    assert "Showing the next 5 of 7 open actions" in page
    assert reverse("planning:plan", args=[goal.plan_id]) in page
