"""An import survives its worker dying, says how far it really is, and checks rows for
duplicates without repeating the same work for every row."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from keywork.audit.models import AuditEntry
from keywork.imports import services
from keywork.imports.models import ImportJob
from keywork.imports.tests.test_import import as_csv, check_and_import, rows, started, upload
from keywork.people import matching
from keywork.people.models import Episode, Person, PersonIdentifier


def checked_job(client, world, count: int = 3) -> ImportJob:
    upload(client, as_csv(rows(world, count)))
    job = ImportJob.objects.latest("pk")
    started(client, reverse("imports:job", args=[job.pk]), {"action": "check", **job.mapping})
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED
    return job


def left_by_a_dead_worker(job: ImportJob, world, status: str) -> None:
    """As if the worker was killed part-way: the status says running, and nothing has
    been heard from it for longer than the lease."""
    services._set_status(world.lead_manager, job, status)
    ImportJob.objects.filter(pk=job.pk).update(
        processed_rows=2, heartbeat_at=timezone.now() - ImportJob.LEASE - timedelta(seconds=1)
    )


def test_it_marks_an_import_whose_worker_died_as_stopped_and_lets_it_start_again(client_for, world):
    client = client_for("lead_manager")
    job = checked_job(client, world)
    left_by_a_dead_worker(job, world, ImportJob.Status.IMPORTING)

    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "The import stopped before it finished" in page
    assert "Nothing was saved" in page
    assert "Check every row" in page  # the way on
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED

    job = check_and_import(client, job)
    assert job.status == ImportJob.Status.DONE, job.failure
    assert Person.objects.count() == 3


def test_it_marks_a_check_whose_worker_died_as_stopped(client_for, world):
    client = client_for("lead_manager")
    job = checked_job(client, world)
    left_by_a_dead_worker(job, world, ImportJob.Status.CHECKING)
    progress = client.get(reverse("imports:progress", args=[job.pk])).content.decode()
    assert "The check stopped before it finished" in progress
    assert "hx-get" not in progress  # it no longer polls a worker that is gone


def test_it_leaves_a_live_import_running(client_for, world):
    client = client_for("lead_manager")
    job = checked_job(client, world)
    services._set_status(world.lead_manager, job, ImportJob.Status.IMPORTING)
    client.get(reverse("imports:job", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.IMPORTING


def test_it_saves_nothing_from_a_worker_whose_attempt_was_started_again(client_for, world):
    client = client_for("lead_manager")
    job = checked_job(client, world)
    services._set_status(world.lead_manager, job, ImportJob.Status.IMPORTING)
    old_worker = ImportJob.objects.select_related("created_by").get(pk=job.pk)
    # Someone started it again meanwhile: a new attempt. The old worker wakes up.
    ImportJob.objects.filter(pk=job.pk).update(attempt=job.attempt + 1)
    services._import(old_worker)
    assert Person.objects.count() == 0
    job.refresh_from_db()
    assert job.status == ImportJob.Status.IMPORTING  # the new attempt's to finish


def test_it_never_says_100_percent_before_the_rows_are_saved(client_for, world):
    client = client_for("lead_manager")
    job = checked_job(client, world)
    services._set_status(world.lead_manager, job, ImportJob.Status.IMPORTING)
    ImportJob.objects.filter(pk=job.pk).update(processed_rows=job.total_rows)
    job.refresh_from_db()
    assert job.percent_done == 99
    progress = client.get(reverse("imports:progress", args=[job.pk])).content.decode()
    assert "saving them now" in progress
    assert "100%" not in progress


def test_it_writes_every_row_and_its_audit_as_one_save_would(client_for, world):
    job = check_and_import(
        client_for("lead_manager"), checked_job(client_for("lead_manager"), world, 5)
    )
    assert job.status == ImportJob.Status.DONE
    people = list(Person.objects.order_by("pk"))
    assert [p.first_name for p in people] == [f"First{i}" for i in range(5)]
    assert all(p.created_at and p.match_keys and p.search_names for p in people)
    for person in people:
        assert person.identifiers.get().value.startswith("CH")
        episode = person.episodes.get()
        assert episode.key_worker == world.worker and episode.created_by == world.lead_manager
        for record in (person, person.identifiers.get(), episode):
            entry = AuditEntry.objects.get_for_object(record).get()
            assert entry.action == AuditEntry.Action.CREATE
            assert entry.about_person_id == person.pk
            assert entry.organisation_id == world.organisation.pk
            assert entry.actor == world.lead_manager
    assert PersonIdentifier.objects.count() == Episode.objects.count() == 5
    # New records made afterwards, one at a time, carry on from the imported keys.
    later = Person.objects.create(
        organisation=world.organisation,
        first_name="Later",
        last_name="One",
        created_by=world.worker,
    )
    assert later.pk > people[-1].pk


def test_it_makes_every_row_ready_before_it_takes_the_write_lock(client_for, world, monkeypatch):
    """On SQLite the transaction that saves an import keeps every other writer waiting:
    turning rows into SQL parameters happens before it, sending them inside it."""
    from django.db import connection

    from keywork.core import bulk

    depths: dict[str, list[int]] = {"prepare": [], "insert": []}
    for name in depths:
        real = getattr(bulk, name)

        def watched(*args, real=real, name=name, **kwargs):
            depths[name].append(len(connection.atomic_blocks))
            return real(*args, **kwargs)

        monkeypatch.setattr(bulk, name, watched)
    client = client_for("lead_manager")
    job = check_and_import(client, checked_job(client, world, 3))
    assert job.status == ImportJob.Status.DONE
    assert depths["prepare"] and depths["insert"]
    assert max(depths["prepare"]) < min(depths["insert"])


def test_it_compares_each_pair_of_names_once_however_many_rows_share_them(
    client_for, world, monkeypatch
):
    # Many people with the same common name, and a file of rows with that name: the
    # work of comparing the names is done once, not once for every row and person.
    Person.objects.bulk_create(
        Person(
            organisation=world.organisation,
            first_name="John",
            last_name="Smith",
            match_keys="jo|sm",
            created_by=world.worker,
        )
        for _ in range(60)
    )
    compared = []
    straight = matching._straight_names
    monkeypatch.setattr(matching, "_straight_names", lambda *a: compared.append(a) or straight(*a))
    matching._names_compared.cache_clear()
    table = rows(world, 40)
    for row in table:
        row[0], row[1] = "John", "Smith"
    client = client_for("lead_manager")
    upload(client, as_csv(table))
    job = ImportJob.objects.latest("pk")
    started(client, reverse("imports:job", args=[job.pk]), {"action": "check", **job.mapping})
    job.refresh_from_db()
    assert job.warning_rows == 40  # every row may be one of them
    assert len(compared) <= 4  # not 40 x 60
