"""Where the incidents page cuts a list short it says how many of how many it shows, and
links to the whole list, a page at a time, in the same number of queries."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from keywork.risk import selectors
from keywork.risk.models import Incident
from keywork.risk.services import incident_report
from keywork.testing.factories import supported_person


def _incidents(world, count: int) -> None:
    person = supported_person(world, "Many", "Incidents").person
    for hours in range(count):
        incident_report(
            actor=world.worker,
            service=world.service,
            type="other",
            severity="low",
            occurred_at=timezone.now() - timedelta(hours=hours + 1),
            place="Lounge",
            what_happened=f"Row {hours}",
            immediate_action="Talked",
            people=[person],
        )


def test_it_says_how_many_are_left_out_and_pages_through_them_all(client_for, world, monkeypatch):
    _incidents(world, 7)
    Incident.objects.update(signed_off_at=timezone.now(), signed_off_by=world.lead_manager)
    monkeypatch.setattr(selectors, "RECENT_SHOWN", 3)
    monkeypatch.setattr(selectors, "LIST_PAGE_SIZE", 5)
    client = client_for("lead_manager")
    page = client.get(reverse("risk:incidents")).content.decode()
    assert "Showing the latest 3 of 7 signed off." in page
    url = reverse("risk:incident_list", args=["signed-off"])
    assert f'href="{url}"' in page
    first = client.get(url).content.decode()
    assert "Showing 1 to 5 of 7" in first and 'rel="next"' in first
    second = client.get(url, {"page": "2"}).content.decode()
    assert "Showing 6 to 7 of 7" in second and 'rel="prev"' in second
    assert client.get(url, {"page": "x"}).status_code == 200
    assert client.get(reverse("risk:incident_list", args=["nothing"])).status_code == 404


def test_it_keeps_the_incidents_page_and_lists_to_the_same_queries(client_for, world, monkeypatch):
    monkeypatch.setattr(selectors, "WAITING_SHOWN", 2)
    client = client_for("lead_manager")
    urls = [reverse("risk:incidents"), reverse("risk:incident_list", args=["waiting"])]

    def counts() -> list[int]:
        found = []
        for url in urls:
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            found.append(len(queries))
        return found

    _incidents(world, 3)
    few = counts()
    _incidents(world, 12)
    assert counts() == few


def test_it_shows_a_date_in_the_future_with_the_other_missing_answers(client_for, world):
    later = timezone.localtime() + timedelta(days=2)
    response = client_for("worker").post(
        reverse("risk:incident_new"),
        {
            "service": world.service.pk,
            "day": later.strftime("%d/%m/%Y"),
            "time": "10:00",
        },
    )
    html = response.content.decode()
    summary = html[html.index('class="govuk-error-summary"') :]
    summary = summary[: summary.index("</ul>")]
    assert "An incident cannot be dated in the future" in summary
    assert "Say where it happened" in summary and "Say what happened" in summary
    assert 'href="#id_day"' in summary
    assert not Incident.objects.exists()
