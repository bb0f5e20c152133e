from datetime import timedelta

import pytest
from django.utils import timezone

from keywork.oncall import services
from keywork.oncall.models import Line
from keywork.people import services as people


def supported(world, first_name: str, *, service=None, key_worker=None):
    """Someone supported by a service (the worker's, unless said), with a key worker."""
    service = service or world.service
    key_worker = key_worker or world.worker
    person = people.person_create(actor=key_worker, first_name=first_name, last_name="Caller")
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


def numbered(*users) -> None:
    for user in users:
        services.contact_number_set(actor=user, user=user, number="07700 900123")


def floating_rota(world):
    """Out-of-hours cover for the floating service, which the worker's team does not
    work in: on call, the worker reaches people outside their own caseload."""
    return services.rota_create(
        actor=world.other_lead_manager,
        name="Bristol out of hours",
        services=[world.other_service],
        nation="ENG",
    )


def shift_for(
    world, rota, worker, *, started_hours_ago: float = 1, hours: float = 8, line=Line.FIRST
):
    rota.refresh_from_db()
    start = timezone.now() - timedelta(hours=started_hours_ago)
    return services.shift_add(
        actor=world.other_lead_manager,
        rota=rota,
        version=rota.version,
        line=line,
        worker=worker,
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
    )


@pytest.fixture
def on_call(world):
    """The worker is first on call now for the floating service, which supports Fran."""
    numbered(world.worker, world.colleague, world.other_team_worker)
    rota = floating_rota(world)
    fran = supported(world, "Fran", service=world.other_service, key_worker=world.other_team_worker)
    shift = shift_for(world, rota, world.worker)
    return rota, shift, fran
