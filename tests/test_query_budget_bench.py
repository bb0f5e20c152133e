"""The benchmark's pages (bench/run.py) make as many queries in a large organisation as
in a small one, and stay within a fixed budget: what the benchmark times at a million
people is what these tests hold at a few hundred."""

import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from keywork.organisations.models import Organisation
from keywork.testing.personas import signed_in_client

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from run import build_pages  # noqa: E402 - the benchmark's own list of pages

BUDGET = 30  # the most any of these pages may make, whatever the data


def _queries_per_page(people: int) -> dict[str, int]:
    call_command("seed_scale", people=people, notes_per_person=8, stdout=StringIO())
    pages = build_pages(Organisation.objects.get(name=f"Scale {people:,}"))
    counts = {}
    for label, user, url in pages:
        client = signed_in_client(user)
        assert client.get(url).status_code == 200, label
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, label
        counts[label] = len(queries)
    return counts


@pytest.mark.django_db
def test_it_makes_the_same_queries_for_the_benchmark_pages_at_any_size():
    small = _queries_per_page(40)
    large = _queries_per_page(400)
    assert set(small) == {
        "My caseload",
        "Team caseload",
        "Person's page",
        "Timeline",
        "Note list",
        "Note search",
        "People search",
        "Plan page",
        "Notice",
        "Round of doors",
        "Meeting",
        "Involvement",
        "Events page",
        "Register",
        "Handover",
        "On call now",
        "Training matrix",
    }
    assert max(small.values()) <= BUDGET, small
    # The timeline reads in full only the kinds of event on its page, so which people's
    # histories fill it can move it down, never up.
    assert large.pop("Timeline") <= small.pop("Timeline")
    # The handover writes one audit row for the calls it shows, when the night had any
    # (the smaller organisation's services often have none).
    assert large.pop("Handover") <= small.pop("Handover") + 1
    assert large == small
