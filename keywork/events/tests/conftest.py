from datetime import time, timedelta

import pytest
from django.utils import timezone

from keywork.events import services
from keywork.people import services as people


def supported(world, first_name: str, *, service=None, key_worker=None):
    """Someone supported by the service (the worker's, unless said), with a key worker."""
    service = service or world.service
    key_worker = key_worker or world.worker
    person = people.person_create(actor=key_worker, first_name=first_name, last_name="Tester")
    referral = people.referral_create(
        actor=key_worker,
        person=person,
        service=service,
        received_on=timezone.localdate() - timedelta(days=30),
        source="self",
        reason="r",
    )
    people.referral_accept(
        actor=key_worker,
        referral=referral,
        start_date=timezone.localdate() - timedelta(days=20),
        key_worker=key_worker,
    )
    return person


def make_event(world, *, actor=None, days_ahead: int = 7, **more):
    fields = {
        "services": [world.service],
        "title": "Cooking group",
        "kind": "skills",
        "venue": "The kitchen",
        "capacity": 2,
        "first_date": timezone.localdate() + timedelta(days=days_ahead),
        "starts_at": time(14, 0),
        "ends_at": time(16, 0),
        **more,
    }
    return services.event_create(actor=actor or world.support_assistant, **fields)


@pytest.fixture
def people_three(world):
    return [supported(world, name) for name in ("Ann", "Bea", "Cal")]
