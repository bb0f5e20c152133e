from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from keywork.accounts.models import User
from keywork.demo.seed import seed_demo
from keywork.organisations.models import Organisation, Team
from keywork.training import selectors
from keywork.training.models import TrainingRecord

pytestmark = pytest.mark.django_db


def test_it_loads_a_demo_matrix_with_cells_expired_expiring_and_missing_on_the_day(db):
    seed_demo()
    team = Team.objects.get(name="Montpelier house team")
    admin = User.objects.get(email="admin@harbourside.example")
    matrix = selectors.team_matrix(fetched_by=admin, team=team, today=timezone.localdate())
    states = {cell.state for row in matrix.rows for cell in row.cells}
    assert {"valid", "expiring", "expired", "missing", "not_required"} <= states
    cells = {
        (row.staff.full_name, course.name): cell
        for row in matrix.rows
        for course, cell in zip(matrix.courses, row.cells, strict=True)
    }
    assert cells["Priya Shah", "First aid at work"].state == "expiring"
    assert cells["Tom Okafor", "Safeguarding adults"].state == "expired"
    assert cells["Tom Okafor", "Safeguarding adults"].booked_for is not None
    assert cells["Jess Morgan", "Fire safety"].state == "missing"


def test_it_adds_a_few_training_records_a_year_for_each_member_of_staff_at_scale(db):
    call_command("seed_scale", people=300, batch=100, stdout=StringIO())
    org = Organisation.objects.get(name="Scale 300")
    staff = User.objects.filter(organisation=org, memberships__team__isnull=False).count()
    since = timezone.localdate() - timedelta(days=365 * 3)
    records = TrainingRecord.objects.filter(organisation=org, completed_on__gte=since).count()
    a_year_each = records / staff / 3
    assert 1.5 <= a_year_each <= 5, a_year_each
    assert not TrainingRecord.objects.filter(
        organisation=org, completed_on__gt=timezone.localdate()
    ).exists()
