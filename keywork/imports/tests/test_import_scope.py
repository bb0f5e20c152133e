"""An import is seen by its creator, and by those who may see every service it writes
to: an administrator sees all of the organisation's, a lead manager only those whose
rows are all for their services. Only its creator checks and runs it."""

import pytest
from django.urls import reverse

from keywork.core.errors import NotFoundOrNotAllowed
from keywork.imports import services
from keywork.imports.models import ImportJob
from keywork.imports.tests.test_import import as_csv, check_and_import, rows, started, upload
from keywork.people.models import Person

LIST = reverse("imports:imports")


def for_service(world, service, count: int = 2) -> list[list[str]]:
    key_worker = world.worker if service == world.service else world.other_team_worker
    table = rows(world, count)
    for row in table:
        row[4], row[6] = service.name, key_worker.email
    return table


def checked_import(client, table, name: str = "people.csv") -> ImportJob:
    upload(client, as_csv(table), name)
    job = ImportJob.objects.latest("pk")
    started(client, reverse("imports:job", args=[job.pk]), {"action": "check", **job.mapping})
    job.refresh_from_db()
    return job


def answers(client, job: ImportJob) -> tuple[int, int, bool]:
    listed = job in client.get(LIST).context["jobs"]
    return (
        client.get(reverse("imports:job", args=[job.pk])).status_code,
        client.get(reverse("imports:progress", args=[job.pk])).status_code,
        listed,
    )


def test_it_shows_a_lead_manager_an_import_only_when_every_row_is_for_their_services(
    client_for, world
):
    admin, lead = client_for("admin"), client_for("lead_manager")
    theirs = checked_import(admin, for_service(world, world.service))
    elsewhere = checked_import(admin, for_service(world, world.other_service), "elsewhere.csv")
    both = checked_import(
        admin,
        for_service(world, world.service, 1) + for_service(world, world.other_service, 1),
        "both.csv",
    )
    bad_service = for_service(world, world.service)
    bad_service[1][4] = "No Such Service"
    with_a_bad_row = checked_import(admin, bad_service, "bad-service.csv")
    people_only = checked_import(
        admin, [row[:4] + ["", "", "", row[7]] for row in rows(world, 2)], "people-only.csv"
    )
    upload(admin, as_csv(for_service(world, world.service)), "not-checked.csv")
    not_checked_yet = ImportJob.objects.latest("pk")
    assert theirs.status == elsewhere.status == "checked"

    assert answers(lead, theirs) == (200, 200, True)
    for job in (elsewhere, both, with_a_bad_row, people_only, not_checked_yet):
        assert answers(lead, job) == (404, 404, False), job.original_name
        assert answers(admin, job) == (200, 200, True)


def test_it_keeps_row_errors_of_another_service_from_a_lead_manager(client_for, world):
    table = for_service(world, world.other_service)
    table[0][2] = "31/02/1980"
    table[0][0] = "Zebedee"
    job = checked_import(client_for("admin"), table)
    assert job.error_rows == 1
    assert (
        "31/02/1980"
        in client_for("admin").get(reverse("imports:job", args=[job.pk])).content.decode()
    )
    response = client_for("lead_manager").get(reverse("imports:job", args=[job.pk]))
    assert response.status_code == 404
    assert "31/02/1980" not in response.content.decode()


def test_it_always_shows_the_creator_their_import(client_for, world):
    lead = client_for("lead_manager")
    upload(lead, as_csv(rows(world, 2)))
    job = ImportJob.objects.get()
    assert answers(lead, job) == (200, 200, True)
    table = rows(world, 2)
    table[0][4] = world.other_service.name  # not one of theirs: an error, for them to see
    job = checked_import(lead, table)
    assert job.error_rows == 1
    assert answers(lead, job) == (200, 200, True)
    assert answers(client_for("admin"), job) == (200, 200, True)


def test_it_lets_only_the_creator_check_or_run_an_import(client_for, world):
    job = checked_import(client_for("admin"), for_service(world, world.service))
    url = reverse("imports:job", args=[job.pk])
    lead = client_for("lead_manager")
    assert lead.get(url).status_code == 200  # they may see it...
    assert "Check every row" not in lead.get(url).content.decode()
    assert lead.post(url, {"action": "import"}).status_code == 404  # ...not run it
    assert lead.post(url, {"action": "check", **job.mapping}).status_code == 404
    job.refresh_from_db()
    assert job.status == "checked" and Person.objects.count() == 0
    for attempt in (
        lambda: services.import_start(actor=world.lead_manager, job=job),
        lambda: services.import_start_check(actor=world.lead_manager, job=job),
        lambda: services.import_set_mapping(actor=world.lead_manager, job=job, mapping=job.mapping),
    ):
        with pytest.raises(NotFoundOrNotAllowed):
            attempt()

    job = check_and_import(client_for("admin"), job)
    assert job.status == "done" and Person.objects.count() == 2
