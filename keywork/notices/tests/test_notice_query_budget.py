"""The notice pages make as many queries for 25 residents (and their receipts) as for 5."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from keywork.housing.models import Property, Tenancy, Unit
from keywork.notices.models import Notice, Receipt
from keywork.people.models import Episode, Person

BUDGET = 30


def _residents(world, house, notice, count: int, start: int) -> None:
    today = timezone.localdate()
    for i in range(start, start + count):
        person = Person.objects.create(
            organisation=world.organisation,
            first_name=f"Res{i}",
            last_name="Budget",
            created_by=world.worker,
        )
        episode = Episode.objects.create(
            organisation=world.organisation,
            person=person,
            service=world.service,
            start_date=today,
            key_worker=world.worker,
            created_by=world.worker,
        )
        unit = Unit.objects.create(property=house, name=f"Room {i}", opened_on=today)
        Tenancy.objects.create(
            episode=episode,
            person=person,
            unit=unit,
            kind="licence",
            start_date=today,
            created_by=world.worker,
        )
        if i % 2:
            Receipt.objects.create(
                notice=notice, person=person, received_on=today, given_by=world.worker
            )


PAGES = [
    lambda n, h, p: reverse("notices:notice", args=[n.pk]),
    lambda n, h, p: reverse("notices:received", args=[n.pk]),
    lambda n, h, p: reverse("notices:round", args=[h.pk]),
    lambda n, h, p: reverse("notices:list"),
    lambda n, h, p: reverse("people:person", args=[p.pk]),
]


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url_for", PAGES)
def test_it_makes_as_many_queries_for_25_residents_as_for_5(world, client_for, url_for):
    house = Property.objects.create(
        organisation=world.organisation,
        service=world.service,
        name="Budget House",
        address="1 Road",
        type="hostel",
    )
    notice = Notice.objects.create(
        organisation=world.organisation,
        service=world.service,
        title="Bins day",
        body="Bins go out on Monday.",
        audience="property",
        property=house,
        published_on=timezone.localdate(),
        needs_acknowledgement=True,
        created_by=world.worker,
    )
    _residents(world, house, notice, 5, 0)
    first = Person.objects.filter(last_name="Budget").order_by("pk").first()
    client = client_for("support_assistant")
    url = url_for(notice, house, first)
    client.get(url)
    five = _count(client, url)
    _residents(world, house, notice, 20, 5)
    for n in range(5):
        Notice.objects.create(
            organisation=world.organisation,
            service=world.service,
            title=f"More {n}",
            body="More.",
            audience="service",
            published_on=timezone.localdate(),
            created_by=world.worker,
        )
    twenty_five = _count(client, url)
    assert twenty_five == five, f"{url}: {five} queries for 5, {twenty_five} for 25"
    assert twenty_five <= BUDGET, f"{url}: {twenty_five} queries"
