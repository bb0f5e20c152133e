"""The risk pages read in a fixed number of queries, however long the history."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from keywork.risk import services
from keywork.risk.models import RiskAssessment


def count(client, url) -> int:
    client.get(url)  # the first request also fills per-process caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def record(world, person, n: int):
    for i in range(n):
        incident = services.incident_report(
            actor=world.worker,
            service=world.service,
            type="neighbour",
            severity="low",
            occurred_at=timezone.now() - timedelta(hours=i + 1),
            place="Stairs",
            what_happened=f"Noise {i}",
            immediate_action="Spoke to them",
            people=[person],
        )
        services.safeguarding_refer(
            actor=world.worker,
            person=person,
            service=world.service,
            about="adult",
            concern=f"Concern {i}",
            referred_to="Council",
            referred_on=timezone.localdate(),
            incident=incident,
        )
        services.risk_assessment_save(
            actor=world.worker,
            person=person,
            version=RiskAssessment.objects.filter(person=person)
            .values_list("version", flat=True)
            .first(),
            overall="medium",
            summary="",
            areas={
                "self": {"level": "medium", "management_plan": "Check in"},
                "staff": {"level": "low"},
            },
        )


def test_it_costs_the_same_queries_for_the_risk_page_and_timeline_with_3_or_30_of_everything(
    client_for, world, episode
):
    person = episode.person
    client = client_for("worker")
    urls = [
        reverse("risk:risk", args=[person.pk]),
        reverse("timeline:timeline", args=[person.pk]) + "?kind=risk",
        reverse("people:person", args=[person.pk]),
        reverse("risk:incidents"),
    ]
    record(world, person, 3)
    few = [count(client, url) for url in urls]
    record(world, person, 27)
    # No page costs more (the timeline may cost less: it reads in full only the kinds of
    # event on its page, and thirty risk events fill it).
    now = [count(client, url) for url in urls]
    assert all(later <= first for later, first in zip(now, few, strict=True)), (few, now)


def test_it_costs_the_same_queries_for_the_incident_page_with_2_or_20_people_in_it(
    client_for, world, django_assert_max_num_queries
):
    from keywork.testing.factories import supported_person

    def person(n):
        return supported_person(world, f"P{n}").person

    client = client_for("lead_manager")
    counts = []
    for size in (2, 20):
        incident = services.incident_report(
            actor=world.worker,
            service=world.service,
            type="fire",
            severity="medium",
            occurred_at=timezone.now() - timedelta(hours=1),
            place="Kitchen",
            what_happened="Toaster fire",
            immediate_action="Put it out",
            people=[person(f"{size}-{n}") for n in range(size)],
        )
        counts.append(count(client, reverse("risk:incident", args=[incident.pk])))
    assert counts[0] == counts[1]


def test_it_says_when_a_list_of_incidents_is_cut_short(client_for, world, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from keywork.risk import selectors
    from keywork.risk.services import incident_report
    from keywork.testing.factories import supported_person

    person = supported_person(world, "Cut", "Short").person
    for hours in (1, 2):
        incident_report(
            actor=world.worker,
            service=world.service,
            type="other",
            severity="low",
            occurred_at=timezone.now() - timedelta(hours=hours),
            place="Lounge",
            what_happened="A row",
            immediate_action="Talked",
            people=[person],
        )
    page = client_for("lead_manager").get(reverse("risk:incidents")).content.decode()
    assert "Showing the newest" not in page
    monkeypatch.setattr(selectors, "WAITING_SHOWN", 1)
    page = client_for("lead_manager").get(reverse("risk:incidents")).content.decode()
    assert "Showing the newest 1 of 2 waiting" in page
