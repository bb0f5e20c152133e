"""Casework pages make the same number of queries with 5 people as with 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from keywork.people.models import Alert, Episode, EpisodeWorker, Person, PersonIdentifier, Referral


def support(world, count: int, start: int = 0) -> list[Person]:
    people = []
    for i in range(start, start + count):
        person = Person.objects.create(
            organisation=world.organisation,
            first_name=f"Casey{i}",
            last_name="Example",
            search_names=f"casey{i} example",
            created_by=world.worker,
        )
        Episode.objects.create(
            organisation=world.organisation,
            person=person,
            service=world.service,
            start_date=timezone.localdate(),
            key_worker=world.worker if i % 2 else world.colleague,
            created_by=world.worker,
        )
        EpisodeWorker.objects.create(episode=person.episodes.get(), user=world.senior)
        Alert.objects.create(person=person, text="Do not visit alone", created_by=world.worker)
        PersonIdentifier.objects.create(person=person, kind="chain", value=f"C{i}")
        Referral.objects.create(
            organisation=world.organisation,
            person=person,
            service=world.service,
            received_on=timezone.localdate(),
            source="self",
            reason="r",
            created_by=world.worker,
        )
        people.append(person)
    return people


PAGES = [
    ("worker", lambda w, p: reverse("people:my_caseload")),
    ("senior", lambda w, p: reverse("people:team_caseload", args=[w.team.pk])),
    ("worker", lambda w, p: reverse("people:search") + "?q=casey"),
    ("worker", lambda w, p: reverse("people:person", args=[p.pk])),
    ("worker", lambda w, p: reverse("people:waiting_list", args=[w.service.pk])),
    ("worker", lambda w, p: reverse("people:person_edit", args=[p.pk])),
    ("worker", lambda w, p: reverse("home:home")),
]
# The person's page is the heaviest here: each area's section of it (its what's next,
# notices not yet had, complaints...) costs a query of its own, however much the person has.
BUDGET = 27


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(("persona", "url_for"), PAGES)
def test_it_makes_as_many_queries_for_fifty_people_as_for_five(client_for, world, persona, url_for):
    first = support(world, 5)[0]
    client = client_for(persona)
    url = url_for(world, first)
    client.get(url)
    five = count(client, url)
    support(world, 45, start=5)
    # A person with more of everything on their own page too.
    for _ in range(5):
        Alert.objects.create(person=first, text="More", created_by=world.worker)
    fifty = count(client, url)
    assert fifty == five, f"{url}: {five} queries for 5 people, {fifty} for 50"
    assert fifty <= BUDGET, f"{url}: {fifty} queries"
