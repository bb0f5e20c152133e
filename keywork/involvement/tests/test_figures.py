"""A service's involvement figures: a quarter chosen in the address (2026-Q3), the
quarters before and after it a link away, and the figures for the service's casework
staff too, with how many people took part only for those who may see everyone the
service has supported."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from keywork.involvement import forms, selectors, services
from keywork.testing.factories import supported_person

DAY = timedelta(days=1)


def _figures(client, world, **query):
    return client.get(reverse("involvement:figures", args=[world.service.pk]), query)


def _rows(page: str) -> list[str]:
    body = page.split('<tbody class="govuk-table__body">')[1].split("</tbody>")[0]
    return [row.split("</th>")[0].split(">")[-1] for row in body.split('scope="row"')[1:]]


def _this_quarter() -> date:
    return selectors.quarter_of(timezone.localdate())


def test_it_reads_the_quarter_from_the_address(world, client_for):
    page = _figures(client_for("lead_manager"), world, quarter="2026-Q3").content.decode()
    assert _rows(page) == [
        "July to September 2026",
        "April to June 2026",
        "January to March 2026",
        "October to December 2025",
    ]
    assert 'href="?quarter=2026-Q2"' in page
    assert 'value="2026-Q3"' in page


def test_it_shows_this_quarter_when_none_is_asked_for(world, client_for):
    page = _figures(client_for("lead_manager"), world).content.decode()
    this = _this_quarter()
    assert _rows(page)[0] == selectors.Quarter(this, this, 0, 0, 0).label
    assert f'href="?quarter={forms.quarter_name(selectors.quarter_before(this))}"' in page
    # Nothing comes after this quarter yet.
    assert 'rel="next"' not in page
    earlier = _figures(
        client_for("lead_manager"),
        world,
        quarter=forms.quarter_name(selectors.quarter_before(this)),
    ).content.decode()
    assert f'href="?quarter={forms.quarter_name(this)}" rel="next"' in earlier


@pytest.mark.parametrize(
    "asked", ["2026-Q5", "2026-Q0", "Q3-2026", "2026", "banana", "0000-Q1", "2026-Q3 OR 1=1", "é"]
)
def test_it_says_what_a_quarter_looks_like_and_shows_this_one(world, client_for, asked):
    answer = _figures(client_for("lead_manager"), world, quarter=asked)
    assert answer.status_code == 200
    page = answer.content.decode()
    assert "Enter a quarter as a year and its number, for example 2026-Q3." in page
    assert 'id="quarter-error"' in page and "<title>Error:" in page
    this = _this_quarter()
    assert _rows(page)[0] == selectors.Quarter(this, this, 0, 0, 0).label


def test_it_shows_this_quarter_for_one_still_to_come(world, client_for):
    later = forms.quarter_name(selectors.quarter_after(_this_quarter()))
    page = _figures(client_for("lead_manager"), world, quarter=later).content.decode()
    assert "That quarter has not started yet" in page


def test_it_reads_a_quarter_as_written_in_lower_case_and_with_spaces(world):
    assert forms.quarter_in(" 2026-q4 ") == date(2026, 10, 1)
    assert forms.quarter_name(date(2026, 10, 1)) == "2026-Q4"


def _a_quarter_with_people(world) -> str:
    held = timezone.localdate() - DAY
    meeting = services.session_record(
        actor=world.worker,
        service=world.service,
        kind="residents_meeting",
        title="House meeting",
        held_on=held,
    )
    for n in range(3):
        episode = supported_person(world, f"P{n}", "Count", started=held - 30 * DAY)
        services.participant_add(
            actor=world.worker, session=meeting, person=episode.person, role="took_part"
        )
    services.involvement_action_add(
        actor=world.worker, session=meeting, what="Paint", owner=world.worker, due_on=held
    )
    return forms.quarter_name(selectors.quarter_of(held))


def _first_row_cells(page: str) -> list[str]:
    body = page.split('<tbody class="govuk-table__body">')[1].split("</tr>")[0]
    return [cell.split("</td>")[0].split(">")[-1] for cell in body.split("<td")[1:]]


@pytest.mark.parametrize(
    ("persona", "people_shown"),
    [
        ("lead_manager", True),
        ("commissioner", True),
        ("worker", False),
        ("support_assistant", False),
        ("senior", False),
    ],
)
def test_it_shows_the_casework_staff_the_figures_and_people_to_those_who_see_everyone(
    world, client_for, persona, people_shown
):
    quarter = _a_quarter_with_people(world)
    answer = _figures(client_for(persona), world, quarter=quarter)
    assert answer.status_code == 200
    page = answer.content.decode()
    cells = _first_row_cells(page)
    if people_shown:
        assert "People involved" in page and cells == ["1", "3", "0"]
    else:
        assert "People involved" not in page and cells == ["1", "0"]
        assert "shown to the service's managers" in page


@pytest.mark.parametrize("persona", ["complex_caseworker", "other_team_worker", "admin"])
def test_it_shows_no_figures_to_those_outside_the_services_running(world, client_for, persona):
    assert _figures(client_for(persona), world).status_code == 404


def test_it_counts_people_for_a_lead_manager_only_in_the_services_they_reach(world):
    assert selectors.people_counted_for(world.lead_manager, world.service)
    assert not selectors.people_counted_for(world.lead_manager, world.other_service)
    assert not selectors.people_counted_for(world.lead_manager, world.other_org_service)
    assert not selectors.people_counted_for(world.worker, world.service)
    assert selectors.people_counted_for(world.commissioner, world.service)


def test_it_links_the_involvement_page_to_the_figures_of_the_readers_services(world, client_for):
    page = client_for("worker").get(reverse("involvement:list")).content.decode()
    assert reverse("involvement:figures", args=[world.service.pk]) in page
    assert reverse("involvement:figures", args=[world.other_service.pk]) not in page
