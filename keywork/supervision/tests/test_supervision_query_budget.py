"""The supervision pages make as many queries with many staff, supervisions, people
discussed, actions, goals and assessments as with few."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from keywork.accounts.models import Role
from keywork.supervision import services
from keywork.testing.factories import staff, supported_person


def _grow(world, *, people: int, rounds: int):
    """More staff in the team, each supervised by the senior; for the worker, rounds of
    supervisions with people discussed, actions, goals and assessments."""
    today = timezone.localdate()
    for n in range(people):
        member = staff(role=Role.SUPPORT_WORKER, team=world.team, full_name=f"Extra {n}")
        services.arrangement_set(
            actor=world.lead_manager, supervisee=member, supervisor=world.senior
        )
        services.supervision_schedule(
            actor=world.senior, supervisee=member, scheduled_for=today - timedelta(days=n + 1)
        )
    framework = services.shipped_competency_framework()
    competency = framework.competencies.first()
    for n in range(rounds):
        day = today - timedelta(days=40 * (rounds - n))
        supervision = services.supervision_schedule(
            actor=world.senior, supervisee=world.worker, scheduled_for=day
        )
        supervision = services.supervision_record(
            actor=world.senior, supervision=supervision, version=1, held_on=day
        )
        for m in range(2):
            person = supported_person(world, f"Round{n}", f"Person{m}").person
            services.case_discussion_add(
                actor=world.senior, supervision=supervision, person=person, decision="Review"
            )
        services.supervision_action_add(
            actor=world.senior,
            supervision=supervision,
            text=f"Action {n}",
            owner=world.worker,
            due_on=today,
        )
        goal = services.development_goal_add(
            actor=world.worker,
            staff_member=world.worker,
            goal=f"Goal {n}",
            due_on=today,
        )
        services.development_goal_review(
            actor=world.senior, supervision=supervision, goal=goal, note="Going"
        )
        assessment = services.competency_assessment_start(
            actor=world.senior,
            staff_member=world.worker,
            framework=framework,
            occasion="any_time",
            assessed_on=day,
        )
        services.competency_supervisor_assess(
            actor=world.senior,
            assessment=assessment,
            version=assessment.version,
            levels={},
            evidence={},
            agreed={competency.pk: 1 + n % 3},
        )


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _latest(world):
    from keywork.supervision.models import Assessment, Supervision

    return (
        Supervision.objects.filter(supervisee=world.worker).exclude(held_on=None).first(),
        Assessment.objects.filter(staff_member=world.worker).first(),
    )


PAGES = [
    lambda w, s, a: reverse("home:home"),
    lambda w, s, a: reverse("supervision:home"),
    lambda w, s, a: reverse("supervision:member", args=[w.worker.pk]),
    lambda w, s, a: reverse("supervision:record", args=[s.pk]),
    lambda w, s, a: reverse("supervision:development", args=[w.worker.pk]),
    lambda w, s, a: reverse("supervision:assessment", args=[a.pk]),
    lambda w, s, a: reverse("administration:staff_detail", args=[w.worker.pk]),
]


@pytest.mark.parametrize("url_for", PAGES)
def test_it_makes_as_many_queries_with_more_staff_and_supervisions(world, client_for, url_for):
    services.arrangement_set(
        actor=world.lead_manager,
        supervisee=world.worker,
        supervisor=world.senior,
        stand_in=world.lead_manager,
    )
    _grow(world, people=1, rounds=2)
    client = client_for("senior")
    url = url_for(world, *_latest(world))
    few = _count(client, url)
    _grow(world, people=6, rounds=4)
    url = url_for(world, *_latest(world))
    _count(client, url)  # anything cached on first sight of new rows
    many = _count(client, url)
    assert many <= few, f"{url}: {few} queries with few, {many} with many"
