"""The demo looks like a real day on the day it is loaded: most of a worker's caseload is
in time for its file notes, a few are due soon, one or two overdue."""

from django.urls import reverse

from keywork.accounts.models import User
from keywork.demo.seed import DEMO_ORGANISATIONS, demo_email, seed_demo
from keywork.testing.personas import signed_in_client


def test_it_loads_a_caseload_that_is_mostly_in_time(db):
    seed_demo()
    spec = DEMO_ORGANISATIONS[0]
    worker = User.objects.get(email=demo_email(spec, spec.staff[0]))
    rows = signed_in_client(worker).get(reverse("people:my_caseload")).context["rows"]
    colours = [
        row.cells[0][1] if isinstance(row.cells[0], tuple) else row.cells[0][0][1] for row in rows
    ]
    assert colours, "the demo worker supports someone"
    assert colours.count("green") > len(colours) / 2, colours
    assert "red" in colours or "yellow" in colours, colours
