"""Note pages make as many queries with 50 notes as with 5."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from keywork.notes import services as notes
from keywork.people import services as people


@pytest.fixture
def episode(world):
    person = people.person_create(actor=world.worker, first_name="Query", last_name="Count")
    referral = people.referral_create(
        actor=world.worker,
        person=person,
        service=world.service,
        received_on=timezone.localdate(),
        source="self",
        reason="r",
    )
    return people.referral_accept(
        actor=world.worker,
        referral=referral,
        start_date=timezone.localdate(),
        key_worker=world.worker,
    )


def add_notes(world, episode, count, restricted=False):
    for i in range(count):
        note = notes.note_create(
            actor=world.worker,
            person=episode.person,
            episode=episode,
            contact_type="phone",
            contact_at=timezone.now() - timezone.timedelta(minutes=i),
            subject=f"Call {i}",
            text="Spoke about the tenancy renewal.",
            restricted=restricted and i % 2 == 0,
            named_staff=[world.senior] if restricted and i % 2 == 0 else [],
            staff_present=[world.colleague],
        )
        notes.note_amend(
            actor=world.worker,
            note=note,
            subject=note.subject,
            text=note.text + " Amended.",
            reason="More",
            version=1,
        )
    return note


PAGES = [
    ("worker", lambda w, e, n: reverse("notes:note_list", args=[e.person_id])),
    ("colleague", lambda w, e, n: reverse("notes:timeline", args=[e.person_id])),
    ("worker", lambda w, e, n: reverse("notes:search") + "?q=tenancy"),
    ("senior", lambda w, e, n: reverse("notes:note", args=[n.pk])),
    ("worker", lambda w, e, n: reverse("people:my_caseload")),
]


@pytest.mark.parametrize(("persona", "url_for"), PAGES)
def test_it_makes_as_many_queries_for_fifty_notes_as_for_five(
    client_for, world, episode, persona, url_for
):
    note = add_notes(world, episode, 5, restricted=True)
    client = client_for(persona)
    url = url_for(world, episode, note)
    client.get(url)
    with CaptureQueriesContext(connection) as five:
        assert client.get(url).status_code == 200
    add_notes(world, episode, 45, restricted=True)
    with CaptureQueriesContext(connection) as fifty:
        assert client.get(url).status_code == 200
    assert len(fifty) == len(five), f"{url}: {len(five)} then {len(fifty)} queries"
    assert len(fifty) <= 25
