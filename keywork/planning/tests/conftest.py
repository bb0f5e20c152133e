from datetime import timedelta

import pytest
from django.utils import timezone

from keywork.people.models import Episode


@pytest.fixture
def episode(world) -> Episode:
    from keywork.people import services as people

    person = people.person_create(actor=world.worker, first_name="Ruth", last_name="Ellis")
    referral = people.referral_create(
        actor=world.worker,
        person=person,
        service=world.service,
        received_on=timezone.localdate() - timedelta(days=30),
        source="self",
        reason="r",
    )
    return people.referral_accept(
        actor=world.worker,
        referral=referral,
        start_date=timezone.localdate() - timedelta(days=20),
        key_worker=world.worker,
    )
