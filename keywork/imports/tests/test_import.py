import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from openpyxl import Workbook

from keywork.audit.models import AuditEntry
from keywork.imports.models import ImportJob
from keywork.people.models import Episode, Person

HEADER = ["Forename", "Surname", "DOB", "NI number", "Service", "Start date", "Key worker", "CHAIN"]


def rows(world, count: int, bad_row: int | None = None) -> list[list[str]]:
    out = []
    for i in range(count):
        row = [
            f"First{i}",
            f"Last{i}",
            "01/02/1980",
            "",
            world.service.name,
            "01/10/2026",
            world.worker.email,
            f"CH{i}",
        ]
        if i == bad_row:
            row[2] = "31/02/1980"  # no such day
        out.append(row)
    return out


def as_csv(table: list[list[str]], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADER, *table])
    return buffer.getvalue().encode(encoding)


def upload(client, content: bytes, name: str = "people.csv"):
    return client.post(reverse("imports:imports"), {"file": SimpleUploadedFile(name, content)})


def started(client, url: str, data: dict):
    """A post that starts a task: the task is sent once the request's transaction is
    saved, which a test's own transaction never is, so it is run here."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, data)


def check_and_import(client, job: ImportJob):
    url = reverse("imports:job", args=[job.pk])
    started(client, url, {"action": "check", **job.mapping})
    job.refresh_from_db()
    if job.status == "checked" and not job.error_rows:
        started(client, url, {"action": "import"})
        job.refresh_from_db()
    return job


def test_it_guesses_the_columns_from_their_headings(client_for, world):
    response = upload(client_for("lead_manager"), as_csv(rows(world, 1)))
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("imports:job", args=[job.pk])
    assert job.mapping == {
        "first_name": "Forename",
        "last_name": "Surname",
        "date_of_birth": "DOB",
        "ni_number": "NI number",
        "service": "Service",
        "start_date": "Start date",
        "key_worker_email": "Key worker",
        "chain_id": "CHAIN",
    }


@pytest.mark.parametrize("count", [10_000])
def test_it_saves_nothing_from_ten_thousand_rows_with_one_bad_one_and_all_without(
    client_for, world, count
):
    client = client_for("lead_manager")
    upload(client, as_csv(rows(world, count, bad_row=6_789)))
    job = check_and_import(client, ImportJob.objects.get())
    assert job.status == "checked" and job.error_rows == 1
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    # Row 6,791 of the file: the header is row 1 and the rows count from 0.
    assert "6791" in page and "Date of birth" in page and "not a date like 27/03/1985" in page
    assert Person.objects.count() == 0

    upload(client, as_csv(rows(world, count)))
    job = check_and_import(client, ImportJob.objects.latest("pk"))
    assert job.status == "done", job.failure
    assert Person.objects.count() == count
    assert Episode.objects.filter(key_worker=world.worker, service=world.service).count() == count
    assert (
        AuditEntry.objects.filter(
            action=AuditEntry.Action.CREATE, actor=world.lead_manager, content_type__model="person"
        ).count()
        == count
    )
    # The imported people are on the key worker's caseload.
    assert client_for("worker").get(reverse("people:search"), {"q": "first9999"}).context["results"]


def test_it_reads_an_excel_workbook(client_for, world):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows(world, 3):
        sheet.append(row)
    content = io.BytesIO()
    book.save(content)
    client = client_for("lead_manager")
    upload(client, content.getvalue(), name="people.xlsx")
    job = check_and_import(client, ImportJob.objects.get())
    assert job.status == "done" and Person.objects.count() == 3


def test_it_explains_an_unreadable_file(client_for, world):
    client = client_for("lead_manager")
    cases = [
        (as_csv(rows(world, 2), encoding="utf-16"), "people.csv", "Upload a CSV file"),
        ("Forename,Surname\nZoë,Brontë\n".encode("latin-1"), "people.csv", "not in UTF-8 text"),
        (b"", "people.csv", "The file is empty"),
        (b"PK\x03\x04broken", "people.xlsx", "cannot be opened"),
        (b"MZ\x90\x00", "people.exe", "Upload a CSV file"),
        (b"a,a\n1,2\n", "people.csv", "Two columns have the same heading"),
    ]
    for content, name, message in cases:
        response = upload(client, content, name)
        assert response.status_code == 200, name
        assert message in response.content.decode(), (name, message)
    assert not ImportJob.objects.exists()


def test_it_names_missing_columns_and_many_bad_rows(client_for, world):
    client = client_for("lead_manager")
    upload(client, as_csv(rows(world, 3)))
    job = ImportJob.objects.get()
    url = reverse("imports:job", args=[job.pk])
    response = client.post(url, {"action": "check", "first_name": "Forename"})
    assert "Choose the column that holds the last name" in response.content.decode()

    table = rows(world, 1000)
    for row in table:
        row[3] = "not an NI"
    upload(client, as_csv(table))
    job = check_and_import(client, ImportJob.objects.latest("pk"))
    assert job.error_rows == 1000
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "1000 rows with errors" in page
    assert Person.objects.count() == 0


def test_it_checks_identifiers_services_and_key_workers(client_for, world):
    client = client_for("lead_manager")
    table = rows(world, 4)
    table[0][3] = "AB123456C"
    table[1][3] = "AB123456C"  # the same NI number twice in the file
    table[2][4] = "No Such Service"
    table[3][6] = world.admin.email  # an administrator cannot be a key worker
    upload(client, as_csv(table))
    job = check_and_import(client, ImportJob.objects.get())
    messages = [p.message for p in job.problems.filter(is_warning=False)]
    assert any("is also on row 2" in m for m in messages)
    assert any(
        "'No Such Service' is not one of your organisation's services" in m for m in messages
    )
    assert any("is not a support worker or above" in m for m in messages)
    assert Person.objects.count() == 0


def test_it_warns_of_rows_that_may_already_be_in_keywork(client_for, world):
    client = client_for("lead_manager")
    upload(client, as_csv(rows(world, 2)))
    check_and_import(client, ImportJob.objects.get())
    upload(client, as_csv(rows(world, 1)))
    job = check_and_import(client, ImportJob.objects.latest("pk"))
    # Without an error the second import goes ahead, but the warning was shown first.
    assert job.warning_rows == 1
    first = Person.objects.filter(first_name="First0").earliest("pk")
    messages = [p.message for p in job.problems.all()]
    assert any(f"May be the same person as record {first.pk}" in m for m in messages)


def test_it_lets_only_importers_of_the_same_organisation_see_an_import(client_for, world):
    upload(client_for("lead_manager"), as_csv(rows(world, 1)))
    job = ImportJob.objects.get()
    assert client_for("worker").get(reverse("imports:job", args=[job.pk])).status_code == 404
    assert (
        client_for(world.other_org_admin).get(reverse("imports:job", args=[job.pk])).status_code
        == 404
    )
    assert client_for("admin").get(reverse("imports:job", args=[job.pk])).status_code == 200


def test_it_drops_nul_bytes_that_no_database_column_can_hold(client_for, world):
    client = client_for("lead_manager")
    nul_row = rows(world, 1)[0]
    nul_row[0] = "Ann" + "\x00" + "a"
    # Only the first 4 KB are sniffed for binary content, so a NUL after them can reach a cell.
    table = [["Pad", "Ding", "", "", "", "", "", "x" * 5000], nul_row]
    upload(client, as_csv(table))
    job = check_and_import(client, ImportJob.objects.get())
    assert job.status == "done", job.failure
    assert Person.objects.filter(first_name="Anna").exists()
