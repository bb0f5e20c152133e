"""Plans, reviews, assessments and ratings on the person's timeline."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from keywork.outcomes.models import Domain
from keywork.outcomes.services import ratings_record
from keywork.planning import services


@pytest.fixture
def plan(world, episode):
    plan = services.plan_start(actor=world.worker, episode=episode)
    money = Domain.objects.get(framework=plan.framework, name="Money")
    services.goal_add(actor=world.worker, plan=plan, domain=money, in_own_words="Clear the debt")
    return plan


def rate(world, plan, days_ago: int, score: int = 4):
    domains = list(plan.framework.domains.all()[:3])
    ratings_record(
        actor=world.worker,
        episode=plan.episode,
        framework=plan.framework,
        rated_on=timezone.localdate() - timedelta(days=days_ago),
        rated_by="together",
        scores={d.pk: score for d in domains},
    )


def test_it_shows_reviews_agreements_assessments_and_ratings_on_the_timeline(
    client_for, world, plan
):
    today = timezone.localdate()
    services.plan_agree(
        actor=world.worker, plan=plan, agreed_on=today, agreed_how="paper", person_comments=""
    )
    goal = plan.goals.get()
    services.plan_review(
        actor=world.worker,
        plan=plan,
        held_on=today,
        summary="Good month: two debts cleared",
        next_review_on=today + timedelta(weeks=12),
        progress={goal.pk: ("Paid off the catalogue", "open", "")},
    )
    services.assessment_record(
        actor=world.worker,
        episode=plan.episode,
        framework=plan.framework,
        assessed_on=today - timedelta(days=3),
        areas={goal.domain_id: {"person_view": "Behind", "need": "high"}},
    )
    rate(world, plan, days_ago=2)
    page = client_for("worker").get(reverse("timeline:timeline", args=[plan.person_id]))
    text = page.content.decode()
    assert "Support plan version 1" in text and "Agreed (signed on paper)" in text
    assert f"Support plan reviewed ({today:%d/%m/%Y})" in text
    assert "Good month: two debts cleared" in text
    assert "Reviewed on" not in text  # the review's own version is not listed twice
    assert "Needs and strengths assessed" in text
    assert "Outcome ratings" in text and "3 areas of life rated" in text
    only = client_for("worker").get(
        reverse("timeline:timeline", args=[plan.person_id]) + "?kind=outcomes"
    )
    assert "Outcome ratings" in only.content.decode()
    assert "Support plan reviewed" not in only.content.decode()


def test_it_reads_ratings_for_the_timeline_in_a_fixed_number_of_queries(client_for, world, plan):
    client = client_for("worker")
    url = reverse("timeline:timeline", args=[plan.person_id])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    rate(world, plan, days_ago=1)
    count()  # the first request also fills per-process caches
    few = count()
    for days_ago in range(2, 40):
        rate(world, plan, days_ago=days_ago)
    # The page reads in full only the kinds of event it shows, so forty days of ratings,
    # which fill it, cost no more than one.
    assert count() <= few
