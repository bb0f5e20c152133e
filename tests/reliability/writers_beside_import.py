"""Run as a program by tests/test_busy_database.py, against an SQLite file of its own:
`setup` makes the records and a checked import of many rows, `import` runs it as the
worker would, and `writers` saves a person's note draft again and again meanwhile, as a
worker typing would, until told to stop. Each prints what it found as JSON."""

import csv
import io
import json
import sys
import time
from pathlib import Path

import django


def setup(rows: int) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from keywork.imports import services
    from keywork.imports.models import ImportJob
    from keywork.testing.factories import supported_person
    from keywork.testing.personas import build_world

    world = build_world()
    people = [supported_person(world, name).person.pk for name in ("Ada", "Ben")]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Forename", "Surname", "DOB", "Service", "Start date", "Key worker"])
    for i in range(rows):
        writer.writerow(
            [
                f"First{i}",
                f"Last{i}",
                "01/02/1980",
                world.service.name,
                "01/10/2026",
                world.worker.email,
            ]
        )
    upload = SimpleUploadedFile("people.csv", buffer.getvalue().encode())
    job = services.import_upload(actor=world.lead_manager, upload=upload)
    services._set_status(world.lead_manager, job, ImportJob.Status.CHECKING)
    services.run_check(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED and not job.error_rows, job.failure
    services._set_status(world.lead_manager, job, ImportJob.Status.IMPORTING)
    return {"job": job.pk, "people": people, "worker": world.worker.pk}


def run_import(job_id: int) -> dict:
    from keywork.imports import services
    from keywork.imports.models import ImportJob

    started = time.monotonic()
    services.run_import(job_id)
    job = ImportJob.objects.get(pk=job_id)
    return {"status": job.status, "seconds": round(time.monotonic() - started, 2)}


def writers(worker_id: int, people: list[int], stop: Path) -> dict:
    from django.urls import reverse

    from keywork.accounts.models import User
    from keywork.testing.personas import signed_in_client

    client = signed_in_client(User.objects.get(pk=worker_id))
    client.defaults["SERVER_NAME"] = "localhost"  # outside pytest, "testserver" is no host
    answers, last_saved = [], {}
    number = 0
    while not stop.exists() or number < 4:
        person = people[number % len(people)]
        text = f"Draft number {number}"
        started = time.monotonic()
        response = client.post(
            reverse("notes:draft_save", args=[person]),
            {"subject": "Visit", "text": text},
            HTTP_HX_REQUEST="true",
        )
        answers.append([response.status_code, round(time.monotonic() - started, 3)])
        if response.status_code == 200:
            last_saved[str(person)] = text
        number += 1
        time.sleep(0.05)
    return {"answers": answers, "last_saved": last_saved}


if __name__ == "__main__":
    django.setup()
    what = sys.argv[1]
    if what == "setup":
        found = setup(int(sys.argv[2]))
    elif what == "import":
        found = run_import(int(sys.argv[2]))
    else:
        found = writers(int(sys.argv[2]), json.loads(sys.argv[3]), Path(sys.argv[4]))
    print(json.dumps(found))
