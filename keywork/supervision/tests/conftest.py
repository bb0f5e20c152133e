from datetime import timedelta

import pytest
from django.utils import timezone

from keywork.supervision import services
from keywork.testing.factories import supported_person


@pytest.fixture
def arranged(world):
    """The senior practitioner supervises the worker; the lead manager stands in."""
    return services.arrangement_set(
        actor=world.senior,
        supervisee=world.worker,
        supervisor=world.senior,
        stand_in=world.lead_manager,
    )


@pytest.fixture
def held(world, arranged):
    """A supervision held yesterday, written up, not yet agreed."""
    today = timezone.localdate()
    supervision = services.supervision_schedule(
        actor=world.senior, supervisee=world.worker, scheduled_for=today - timedelta(days=1)
    )
    return services.supervision_record(
        actor=world.senior,
        supervision=supervision,
        version=supervision.version,
        held_on=today - timedelta(days=1),
        present="Wendy and Sally",
        wellbeing="Tired after a hard week, but coping.",
        workload="Twelve people; two moving on soon.",
        learning="Wants the motivational interviewing course.",
        next_on=today + timedelta(weeks=6),
    )


@pytest.fixture
def caseload(world):
    """Two people the worker is key worker for."""
    return [
        supported_person(world, "Ruth", "Ellis").person,
        supported_person(world, "Amir", "Khan").person,
    ]
