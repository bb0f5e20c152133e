from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from keywork.outcomes.models import Domain, Framework
from keywork.planning.models import Action, Goal, PlanVersion, SupportPlan


def day(offset: int) -> str:
    return (timezone.localdate() + timedelta(days=offset)).strftime("%d/%m/%Y")


@pytest.fixture
def plan(client_for, episode) -> SupportPlan:
    client_for("worker").post(reverse("planning:episode_plan", args=[episode.pk]))
    return SupportPlan.objects.get(episode=episode)


def test_it_ships_keyworks_own_framework(db):
    framework = Framework.objects.get(organisation=None)
    assert framework.name == "Keywork Steps" and framework.domains.count() == 10
    stages = list(framework.stages.values_list("low", "high"))
    assert stages == [(1, 2), (3, 4), (5, 6), (7, 8), (9, 10)]


def test_it_starts_a_plan_with_a_review_date_from_the_service_standard(plan, episode):
    assert plan.next_review_on == timezone.localdate() + timedelta(weeks=12)
    assert plan.framework.organisation is None


def test_it_adds_goals_in_the_persons_words_and_actions_with_owners(client_for, world, plan):
    client = client_for("worker")
    domain = Domain.objects.get(framework=plan.framework, name="Money")
    client.post(
        reverse("planning:goal_new", args=[plan.pk]),
        {"domain": domain.pk, "in_own_words": "I want to stop owing the gas company"},
    )
    goal = Goal.objects.get()
    for data in (
        {"what": "Ring the gas company", "owner": "person", "due_on": day(7)},
        {
            "what": "Apply for a hardship grant",
            "owner": "worker",
            "owner_worker": world.worker.pk,
            "due_on": day(14),
        },
        {
            "what": "Review the debt",
            "owner": "agency",
            "owner_agency": "Citizens Advice",
            "due_on": day(21),
        },
    ):
        response = client.post(reverse("planning:action_new", args=[goal.pk]), data)
        assert response.status_code == 302, data
    page = client.get(reverse("planning:plan", args=[plan.pk])).content.decode()
    assert "“I want to stop owing the gas company”" in page
    assert "Citizens Advice" in page and "The person" in page
    tasks = client.get(reverse("tasks:my_tasks")).content.decode()
    assert "Apply for a hardship grant" in tasks


def test_it_refuses_an_action_without_an_owner_or_a_past_due_date(client_for, plan):
    client = client_for("worker")
    domain = plan.framework.domains.first()
    client.post(
        reverse("planning:goal_new", args=[plan.pk]), {"domain": domain.pk, "in_own_words": "x"}
    )
    goal = Goal.objects.get()
    url = reverse("planning:action_new", args=[goal.pk])
    cases = [
        ({"what": "A", "owner": "worker", "due_on": day(3)}, "Choose the worker who will do it"),
        ({"what": "A", "owner": "agency", "due_on": day(3)}, "Name the agency that will do it"),
        ({"what": "A", "owner": "", "due_on": day(3)}, "Choose who will do it"),
        (
            {"what": "A", "owner": "person", "due_on": day(-3)},
            "The due date must be today or later",
        ),
    ]
    for data, message in cases:
        response = client.post(url, data)
        assert message in response.content.decode(), data
    assert not Action.objects.exists()


def test_it_tells_the_second_editor_and_keeps_their_text(client_for, plan):
    first, second = client_for("worker"), client_for("colleague")
    url = reverse("planning:plan_edit", args=[plan.pk])
    version = plan.version
    first.post(url, {"next_review_on": day(30), "person_comments": "First", "version": version})
    response = second.post(
        url, {"next_review_on": day(40), "person_comments": "Second view", "version": version}
    )
    page = response.content.decode()
    assert "Someone else changed this plan after you opened it" in page
    assert "Second view" in page and "Their comments: First" in page
    plan.refresh_from_db()
    assert plan.person_comments == "First"
    past = first.post(
        url, {"next_review_on": day(-1), "person_comments": "", "version": plan.version}
    )
    assert "The review date must be today or later" in past.content.decode()


def test_it_records_agreement_and_keeps_that_version(client_for, world, plan):
    client = client_for("worker")
    url = reverse("planning:plan_agree", args=[plan.pk])
    empty = client.post(url, {"agreed_on": day(0), "agreed_how": "verbal"})
    assert "Add at least one goal" in empty.content.decode()
    domain = plan.framework.domains.first()
    client.post(
        reverse("planning:goal_new", args=[plan.pk]),
        {"domain": domain.pk, "in_own_words": "A home of my own"},
    )
    client.post(
        url, {"agreed_on": day(0), "agreed_how": "paper", "person_comments": "Happy with it"}
    )
    version = PlanVersion.objects.get()
    assert (
        version.number == 1 and version.snapshot["goals"][0]["in_own_words"] == "A home of my own"
    )
    page = client.get(reverse("planning:plan_version", args=[plan.pk, 1])).content.decode()
    assert "A home of my own" in page and "Agreed (signed on paper)" in page


def test_it_shows_plan_review_and_overdue_actions_on_the_caseload(client_for, world, plan):
    client = client_for("worker")
    rows = client.get(reverse("people:my_caseload")).context["rows"]
    labels = [c.label for c in client.get(reverse("people:my_caseload")).context["columns"]]
    cells = dict(zip(labels, rows[0].cells, strict=True))
    assert cells["Plan review due"][1] == "green"
    assert cells["Actions overdue"] == ("None overdue", "")
    domain = plan.framework.domains.first()
    client.post(
        reverse("planning:goal_new", args=[plan.pk]), {"domain": domain.pk, "in_own_words": "x"}
    )
    client.post(
        reverse("planning:action_new", args=[Goal.objects.get().pk]),
        {"what": "Do it", "owner": "person", "due_on": day(1)},
    )
    Action.objects.update(due_on=timezone.localdate() - timedelta(days=2))
    SupportPlan.objects.update(next_review_on=timezone.localdate() - timedelta(days=3))
    rows = client.get(reverse("people:my_caseload")).context["rows"]
    cells = dict(zip(labels, rows[0].cells, strict=True))
    assert cells["Plan review due"] == ("3 days overdue", "red")
    assert cells["Actions overdue"] == ("1 overdue", "red")


def test_it_lets_only_the_team_edit_the_plan(client_for, plan):
    url = reverse("planning:goal_new", args=[plan.pk])
    assert client_for("other_team_worker").get(url).status_code == 404
    assert client_for("admin").get(url).status_code == 404
    assert client_for("colleague").get(url).status_code == 200


def test_it_puts_agreed_versions_on_the_timeline(client_for, plan):
    client = client_for("worker")
    domain = plan.framework.domains.first()
    client.post(
        reverse("planning:goal_new", args=[plan.pk]), {"domain": domain.pk, "in_own_words": "A job"}
    )
    client.post(
        reverse("planning:plan_agree", args=[plan.pk]),
        {"agreed_on": day(0), "agreed_how": "verbal"},
    )
    events = client.get(
        reverse("timeline:timeline", args=[plan.person_id]), {"kind": "plan"}
    ).context["events"]
    assert [e.title for e in events] == ["Support plan version 1"]


def test_it_keeps_the_plan_page_to_the_same_queries_with_many_goals(client_for, world, plan):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from keywork.planning import services

    def grow(count):
        for i in range(count):
            goal = services.goal_add(
                actor=world.worker,
                plan=plan,
                domain=plan.framework.domains.first(),
                in_own_words=f"Goal {i}",
            )
            services.action_add(
                actor=world.worker,
                goal=goal,
                what=f"Step {i}",
                owner="worker",
                owner_worker=world.colleague,
                due_on=timezone.localdate(),
            )

    client = client_for("worker")
    url = reverse("planning:plan", args=[plan.pk])
    grow(5)
    client.get(url)
    with CaptureQueriesContext(connection) as five:
        client.get(url)
    grow(45)
    with CaptureQueriesContext(connection) as fifty:
        client.get(url)
    assert len(fifty) == len(five) <= 20


def test_it_reviews_the_plan_closing_goals_with_a_reason(client_for, world, plan):
    client = client_for("worker")
    domains = list(plan.framework.domains.all()[:2])
    for domain, words in zip(domains, ("Get a bank account", "Make a friend"), strict=True):
        client.post(
            reverse("planning:goal_new", args=[plan.pk]),
            {"domain": domain.pk, "in_own_words": words},
        )
    bank, friend = Goal.objects.order_by("pk")
    url = reverse("planning:plan_review", args=[plan.pk])
    refused = client.post(
        url,
        {
            "held_on": day(0),
            "next_review_on": day(84),
            f"progress_{bank.pk}": "Opened it",
            f"outcome_{bank.pk}": "achieved",
            f"progress_{friend.pk}": "",
            f"outcome_{friend.pk}": "open",
        },
    )
    assert "Say in a word why the goal is closing" in refused.content.decode()
    assert "Say how this goal has gone" in refused.content.decode()
    response = client.post(
        url,
        {
            "held_on": day(0),
            "next_review_on": day(84),
            "summary": "Good month",
            f"progress_{bank.pk}": "Opened it at the post office",
            f"outcome_{bank.pk}": "achieved",
            f"why_{bank.pk}": "Done with help from Wendy",
            f"progress_{friend.pk}": "Went to the group twice",
            f"outcome_{friend.pk}": "open",
        },
    )
    assert response.status_code == 302
    bank.refresh_from_db()
    friend.refresh_from_db()
    plan.refresh_from_db()
    assert bank.status == "achieved" and bank.closed_reason == "Done with help from Wendy"
    assert friend.status == "open"
    assert plan.next_review_on == timezone.localdate() + timedelta(days=84)
    version = PlanVersion.objects.get()
    assert version.reason.startswith("Reviewed on")
    # Only open goals come to the next review.
    assert list(client.get(url).context["form"].goals) == [friend]


def test_it_brings_back_the_shipped_framework_if_the_database_lost_it(client_for, episode):
    from keywork.outcomes.models import Stage

    Stage.objects.all().delete()
    Domain.objects.all().delete()
    Framework.objects.all().delete()
    client_for("worker").post(reverse("planning:episode_plan", args=[episode.pk]))
    plan = SupportPlan.objects.get(episode=episode)
    assert plan.framework.name == "Keywork Steps" and plan.framework.domains.count() == 10


def test_it_records_ratings_and_shows_the_distance_travelled(client_for, plan):
    client = client_for("worker")
    url = reverse("planning:outcomes", args=[plan.pk])
    money, home = (
        plan.framework.domains.get(name="Money"),
        plan.framework.domains.get(name="Home and tenancy"),
    )
    client.post(
        url,
        {
            "rated_on": day(-30),
            "rated_by": "together",
            f"domain_{money.pk}": "3",
            f"domain_{home.pk}": "6",
        },
    )
    client.post(url, {"rated_on": day(0), "rated_by": "together", f"domain_{money.pk}": "7"})
    rows = {row.domain: row for row in client.get(url).context["progress"]}
    assert (rows["Money"].baseline, rows["Money"].latest, rows["Money"].change) == (3, 7, 4)
    assert rows["Money"].stage == "Getting there"
    assert rows["Home and tenancy"].change == 0
    assert rows["Drugs and alcohol"].latest is None
    assert "+4" in client.get(url).content.decode()


def test_it_refuses_a_rating_outside_the_scale_and_saves_none(client_for, plan):
    from keywork.outcomes.models import Rating

    client = client_for("worker")
    url = reverse("planning:outcomes", args=[plan.pk])
    money = plan.framework.domains.get(name="Money")
    home = plan.framework.domains.get(name="Home and tenancy")
    for bad in ("11", "0", "-2", "seven", "9" * 30):
        response = client.post(
            url,
            {
                "rated_on": day(0),
                "rated_by": "together",
                f"domain_{money.pk}": "5",
                f"domain_{home.pk}": bad,
            },
        )
        assert response.status_code == 200, bad
        assert "Give a " in response.content.decode(), bad
    future = client.post(url, {"rated_on": day(2), "rated_by": "person", f"domain_{money.pk}": "5"})
    assert "cannot be dated in the future" in future.content.decode()
    none = client.post(url, {"rated_on": day(0), "rated_by": "person"})
    assert "Rate at least one area of life" in none.content.decode()
    assert not Rating.objects.exists()
    assert (
        client_for("other_team_worker")
        .post(url, {"rated_on": day(0), "rated_by": "person", f"domain_{money.pk}": "5"})
        .status_code
        == 404
    )


def test_it_compares_any_two_kept_versions(client_for, plan):
    client = client_for("worker")
    domain = plan.framework.domains.first()
    client.post(
        reverse("planning:goal_new", args=[plan.pk]),
        {"domain": domain.pk, "in_own_words": "Cook a meal"},
    )
    goal = Goal.objects.get()
    client.post(
        reverse("planning:action_new", args=[goal.pk]),
        {"what": "Buy a pan", "owner": "person", "due_on": day(5)},
    )
    client.post(
        reverse("planning:plan_agree", args=[plan.pk]),
        {"agreed_on": day(0), "agreed_how": "verbal"},
    )
    action = Action.objects.get()
    plan.refresh_from_db()
    client.post(
        reverse("planning:action_status", args=[action.pk]),
        {"status": "done", "version": plan.version},
    )
    client.post(
        reverse("planning:goal_new", args=[plan.pk]),
        {"domain": domain.pk, "in_own_words": "Invite my sister"},
    )
    client.post(
        reverse("planning:plan_agree", args=[plan.pk]), {"agreed_on": day(0), "agreed_how": "paper"}
    )
    response = client.get(
        reverse("planning:plan_compare", args=[plan.pk]), {"from": "1", "to": "2"}
    )
    changes = response.context["changes"]
    assert "Buy a pan: not started → done" in changes
    assert any("Goal added" in c and "Invite my sister" in c for c in changes)
    same = client.get(reverse("planning:plan_compare", args=[plan.pk]), {"from": "2", "to": "2"})
    assert same.context["changes"] == []
    odd = client.get(reverse("planning:plan_compare", args=[plan.pk]), {"from": "99x", "to": "-1"})
    assert odd.status_code == 200


def test_it_gives_an_action_only_to_a_worker_who_may_see_the_person(world, client_for, episode):
    from keywork.planning import services as planning_services
    from keywork.planning.models import Goal

    plan = planning_services.plan_start(actor=world.worker, episode=episode)
    goal = Goal.objects.create(plan=plan, domain=plan.framework.domains.first(), in_own_words="x")
    with pytest.raises(ValidationError) as refused:
        planning_services.action_add(
            actor=world.worker,
            goal=goal,
            what="Phone the council",
            owner="worker",
            owner_worker=world.other_team_worker,
            due_on=timezone.localdate(),
        )
    assert "Olive Otherteam cannot see" in refused.value.message_dict["owner_worker"][0]
    page = client_for("worker").get(reverse("planning:action_new", args=[goal.pk]))
    assert "Olive Otherteam" not in page.content.decode()
    assert "Colin Colleague" in page.content.decode()
