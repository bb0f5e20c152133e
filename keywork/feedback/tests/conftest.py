from datetime import timedelta

import pytest
from django.utils import timezone

from keywork.feedback import services
from keywork.feedback.models import Complaint
from keywork.people import services as people


def supported(world, first_name: str, *, service=None, key_worker=None):
    service = service or world.service
    key_worker = key_worker or world.worker
    person = people.person_create(actor=key_worker, first_name=first_name, last_name="Resident")
    referral = people.referral_create(
        actor=key_worker,
        person=person,
        service=service,
        received_on=timezone.localdate() - timedelta(days=90),
        source="self",
        reason="r",
    )
    people.referral_accept(
        actor=key_worker,
        referral=referral,
        start_date=timezone.localdate() - timedelta(days=80),
        key_worker=key_worker,
    )
    return person


def days_ago(n: int):
    return timezone.localdate() - timedelta(days=n)


@pytest.fixture
def person(world):
    return supported(world, "Rosa")


@pytest.fixture
def about_colleague(world, person):
    """Rosa's complaint about Colin, the worker's colleague, logged by the worker, with the
    senior practitioner handling stage 1."""
    return services.complaint_log(
        actor=world.worker,
        service=world.service,
        who=Complaint.Who.PERSON,
        person=person,
        how=Complaint.How.IN_PERSON,
        about=Complaint.About.STAFF,
        about_staff=world.colleague,
        summary="Colin shouted at me in the kitchen.",
        wanted="An apology.",
        received_on=days_ago(40),
        handler=world.senior,
    )
