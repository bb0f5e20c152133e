"""Distance travelled: a person's chart and table, and a service's figures by area."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from keywork.outcomes.reports import service_outcomes
from keywork.outcomes.services import ratings_record
from keywork.people import services as people
from keywork.planning import services


def supported(world, name: str, service=None, worker=None):
    worker = worker or world.worker
    person = people.person_create(actor=worker, first_name=name, last_name="Test")
    referral = people.referral_create(
        actor=worker,
        person=person,
        service=service or world.service,
        received_on=timezone.localdate() - timedelta(days=200),
        source="self",
        reason="r",
    )
    episode = people.referral_accept(
        actor=worker,
        referral=referral,
        start_date=timezone.localdate() - timedelta(days=180),
        key_worker=worker,
    )
    return services.plan_start(actor=worker, episode=episode)


def rate(world, plan, days_ago: int, **scores_by_area):
    domains = {d.name: d for d in plan.framework.domains.all()}
    ratings_record(
        actor=plan.episode.key_worker,
        episode=plan.episode,
        framework=plan.framework,
        rated_on=timezone.localdate() - timedelta(days=days_ago),
        rated_by="together",
        scores={domains[name.replace("_", " ")].pk: s for name, s in scores_by_area.items()},
    )


def test_it_gives_a_person_with_three_ratings_a_chart_and_a_table_of_distance_travelled(
    client_for, world
):
    plan = supported(world, "Ruth")
    rate(world, plan, 90, Money=3, Physical_health=6)
    rate(world, plan, 45, Money=5, Physical_health=4)
    rate(world, plan, 1, Money=6)
    page = client_for("worker").get(reverse("planning:outcomes", args=[plan.pk]))
    html = page.content.decode()
    chart = html[html.index("<svg") : html.index("</svg>")]
    assert 'role="img"' in chart and 'aria-labelledby="ratings-chart-title"' in chart
    assert "Money" in chart and "Physical health" in chart
    assert "Drugs and alcohol" not in chart  # never rated, so not drawn
    assert "style=" not in chart  # the page's security policy forbids inline styles
    rows = {}
    for row in html.split('<tr class="govuk-table__row">')[2:]:
        cells = [c.split("<")[0].strip() for c in row.split('">')[1:]]
        rows[cells[0]] = cells[1:5]
    assert rows["Money"][:3] == ["3", "6", "+3"]
    assert rows["Physical health"][:3] == ["6", "4", "-2"]
    assert rows["Drugs and alcohol"][:3] == ["–", "–", "–"]


def test_it_shows_no_chart_before_any_rating(client_for, world):
    plan = supported(world, "Ruth")
    html = client_for("worker").get(reverse("planning:outcomes", args=[plan.pk])).content
    assert b"<svg" not in html.split(b'class="govuk-header')[-1].split(b"<main")[-1]


# The service's figures, by hand. Money (latest minus first; P6 rated once, so left out):
#   P1 3→5→6 +3, P2 5→4 -1, P3 2→2 0, P4 4→8 +4, P5 6→7 +1  => 5 people, 7/5 = 1.4,
#   improved P1, P4, P5 = 3 of 5 = 60%.
# Home and tenancy: P1 2→2 0, P2 4→7 +3, P3 1→5 +4, P4 6→5 -1, P5 3→3 0, P6 5→9 +4
#   => 6 people, 10/6 = 1.7, improved P2, P3, P6 = 3 of 6 = 50%.
# Money's first and latest ratings on the same day are told apart by the order they were
# recorded in. Physical health: two people only, so no figures are shown.
SCORES = {
    "P1": [
        (100, {"Money": 3, "Home_and_tenancy": 2}),
        (50, {"Money": 5}),
        (1, {"Money": 6, "Home_and_tenancy": 2}),
    ],
    "P2": [
        (100, {"Money": 5, "Home_and_tenancy": 4, "Physical_health": 3}),
        (10, {"Money": 4, "Home_and_tenancy": 7, "Physical_health": 5}),
    ],
    "P3": [
        (100, {"Money": 2, "Home_and_tenancy": 1, "Physical_health": 5}),
        (10, {"Money": 2, "Home_and_tenancy": 5, "Physical_health": 4}),
    ],
    "P4": [(100, {"Money": 4, "Home_and_tenancy": 6}), (10, {"Money": 8, "Home_and_tenancy": 5})],
    "P5": [(100, {"Money": 6, "Home_and_tenancy": 3}), (10, {"Money": 7, "Home_and_tenancy": 3})],
    "P6": [(100, {"Money": 9, "Home_and_tenancy": 5}), (10, {"Home_and_tenancy": 9})],
}


@pytest.fixture
def rated_service(world):
    for name, ratings in SCORES.items():
        plan = supported(world, name)
        for days_ago, scores in ratings:
            rate(world, plan, days_ago, **scores)
    # Someone in another service moves a long way; they must not count here.
    elsewhere = supported(
        world, "Elsewhere", service=world.other_service, worker=world.other_team_worker
    )
    rate(world, elsewhere, 100, Money=1)
    rate(world, elsewhere, 10, Money=10)
    return world.service


def test_it_gives_a_services_figures_as_a_hand_computation_does(rated_service):
    figures = {a.domain: a for a in service_outcomes(service_id=rated_service.pk)}
    money, home = figures["Money"], figures["Home and tenancy"]
    assert (money.people, money.average_change, money.share_improved) == (5, 1.4, 60)
    assert (home.people, home.average_change, home.share_improved) == (6, 1.7, 50)
    health = figures["Physical health"]
    assert health.people == 2 and not health.shown and health.average_change is None


def test_it_shows_the_lead_manager_and_commissioner_the_figures_and_no_names(
    client_for, world, rated_service
):
    url = reverse("planning:service_outcomes", args=[rated_service.pk])
    for persona in ("lead_manager", "commissioner"):
        page = client_for(persona).get(url)
        assert page.status_code == 200, persona
        html = page.content.decode()
        assert "+1.4" in html and "60%" in html and "+1.7" in html and "50%" in html
        assert "Fewer than 5" in html
        chart = html[html.index("<svg") : html.index("</svg>")]
        assert 'aria-labelledby="service-chart-title"' in chart and "+1.4" in chart
        assert "Physical health" not in chart  # too few people to show
        # No one is named (a name with its space cannot turn up inside a random token).
        assert not any(f"{name} Test" in html for name in SCORES)
    home = client_for("lead_manager").get(reverse("home:home")).content.decode()
    assert url in home
    assert client_for("worker").get(url).status_code == 404


def test_it_makes_the_service_figures_in_a_fixed_number_of_queries(
    client_for, world, rated_service, django_assert_max_num_queries
):
    client = client_for("lead_manager")
    with django_assert_max_num_queries(12):
        page = client.get(reverse("planning:service_outcomes", args=[rated_service.pk]))
    assert page.status_code == 200
