from django.urls import reverse

from keywork.audit.models import AuditEntry
from keywork.people.models import Alert, Episode, Person, PossibleDuplicate
from keywork.people.tests.test_casework_flow import accept, record, refer


def two_records(client, world):
    first = record(client, phone="07700 900123")
    second = record(
        client,
        first_name="Bob",
        last_name="Smyth",
        ni_number="",
        nhs_number="943 476 5919",
        checked_duplicates="1",
        not_a_duplicate="on",
    )
    accept(client, refer(client, first, world.service), world.worker)
    accept(client, refer(client, second, world.service), world.worker)
    client.post(
        reverse("people:alert_new", args=[second.pk]), {"text": "Dog in flat", "level": "warning"}
    )
    return first, second


def test_it_links_two_records_that_may_be_one_person(client_for, world):
    client = client_for("worker")
    first, second = two_records(client, world)
    response = client.post(
        reverse("people:possible_duplicate_new", args=[first.pk]),
        {"record_number": second.pk, "note": "Same DOB and area"},
    )
    assert response.status_code == 302
    link = PossibleDuplicate.objects.get()
    assert {link.person, link.other} == {first, second}
    page = client.get(reverse("people:person", args=[second.pk])).content.decode()
    assert f"Record {first.pk}: Robert Smith" in page
    # A worker may link but not merge.
    assert "Compare and merge" not in page
    assert (
        client.post(reverse("people:person_merge", args=[first.pk, second.pk])).status_code == 404
    )
    bad = client.post(
        reverse("people:possible_duplicate_new", args=[first.pk]), {"record_number": 99999}
    )
    assert "There is no record with that number" in bad.content.decode()


def test_it_lets_a_senior_merge_keeping_every_record_and_its_history(client_for, world):
    worker = client_for("worker")
    first, second = two_records(worker, world)
    worker.post(
        reverse("people:possible_duplicate_new", args=[first.pk]), {"record_number": second.pk}
    )
    senior = client_for("senior")
    assert (
        "Compare and merge"
        in senior.get(reverse("people:person", args=[first.pk])).content.decode()
    )
    response = senior.post(reverse("people:person_merge", args=[first.pk, second.pk]))
    assert response["Location"] == reverse("people:person", args=[first.pk])

    first.refresh_from_db()
    second.refresh_from_db()
    assert second.merged_into == first
    assert first.nhs_number == "9434765919"  # filled from the merged record
    assert "Bob Smyth" in first.previous_names
    assert Episode.objects.filter(person=first).count() == 2
    assert Alert.objects.filter(person=first, text="Dog in flat").exists()
    assert PossibleDuplicate.objects.get().resolved_at is not None
    # The merged record leaves search, but every row it had is still there.
    results = senior.get(reverse("people:search"), {"q": "smyth"}).context["results"]
    assert [p.pk for p in results] == [first.pk]
    assert Person.objects.filter(pk=second.pk).exists()
    moved = AuditEntry.objects.filter(
        actor=world.senior, changes__person=[str(second.pk), str(first.pk)]
    )
    assert moved.count() >= 3  # the episode, its referral and the alert at least
    assert (
        AuditEntry.objects.get_for_object(second)
        .filter(action=AuditEntry.Action.UPDATE, actor=world.senior)
        .exists()
    )


def test_it_refuses_to_merge_records_with_different_identifiers(client_for, world):
    worker = client_for("worker")
    first = record(worker)
    second = record(
        worker,
        first_name="Rob",
        ni_number="CE123456A",
        checked_duplicates="1",
        not_a_duplicate="on",
    )
    for p in (first, second):
        accept(worker, refer(worker, p, world.service), world.worker)
    response = client_for("senior").post(
        reverse("people:person_merge", args=[first.pk, second.pk]), follow=True
    )
    assert "may not be the same person" in response.content.decode()
    second.refresh_from_db()
    assert second.merged_into is None
