"""Importing people and their episodes from a spreadsheet: upload, match the columns,
check every row (a dry run that changes nothing), then save every row or none."""

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from keywork import access
from keywork.accounts.models import User
from keywork.audit.models import AuditEntry
from keywork.audit.services import creation_entries
from keywork.core import bulk
from keywork.core.auditing import set_actor
from keywork.core.errors import NotFoundOrNotAllowed
from keywork.imports import reading, rows
from keywork.imports.models import ImportJob, ImportProblem
from keywork.organisations.models import Service
from keywork.people.matching import Candidate, candidate_keys, likely_matches
from keywork.people.models import Episode, Person, PersonIdentifier
from keywork.people.services import (
    KEY_WORKER_ROLES,
    candidate_from,
    match_keys_for,
    search_names_for,
)

PROGRESS_EVERY = 250

logger = logging.getLogger(__name__)


def _import_dir() -> Path:
    folder = Path(settings.KEYWORK_PRIVATE_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def path_of(job: ImportJob) -> Path:
    return _import_dir() / job.stored_name


def import_upload(*, actor: User, upload: UploadedFile) -> ImportJob:
    access.require(actor, access.Capability.IMPORT)
    # An uploaded file always knows its size.
    if cast(int, upload.size) > settings.KEYWORK_IMPORT_MAX_BYTES:
        limit = settings.KEYWORK_IMPORT_MAX_BYTES // (1024 * 1024)
        raise ValidationError({"file": f"The file must be {limit} MB or smaller."})
    head = upload.read(8192)
    upload.seek(0)
    file_format = reading.sniff_format(upload.name or "", head)
    stored_name = f"{uuid.uuid4().hex}.{file_format}"
    path = _import_dir() / stored_name
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    # The file and the job (with its audit row) are kept together, or neither is.
    try:
        headers = reading.headers_of(path, file_format)
        with transaction.atomic(), set_actor(actor):
            return ImportJob.objects.create(
                organisation_id=actor.organisation_id,
                created_by=actor,
                original_name=(upload.name or "upload")[:200],
                stored_name=stored_name,
                file_format=file_format,
                headers=headers,
                mapping=rows.guess_mapping(headers),
            )
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def import_set_mapping(*, actor: User, job: ImportJob, mapping: dict[str, str]) -> ImportJob:
    _check_owner(actor, job)
    if job.running:
        raise ValidationError("Wait for the current check or import to finish.")
    if job.status == ImportJob.Status.DONE:
        raise ValidationError("This file has already been imported.")
    mapping = {name: column for name, column in mapping.items() if column}
    errors = {}
    for field in rows.FIELDS:
        column = mapping.get(field.name)
        if field.required and not column:
            errors[field.name] = f"Choose the column that holds the {field.label.lower()}."
        elif column and column not in job.headers:
            errors[field.name] = "Choose one of the file's columns."
    used = list(mapping.values())
    for name, column in mapping.items():
        if used.count(column) > 1 and name not in errors:
            errors[name] = f"The column '{column}' is chosen for more than one field."
    if errors:
        raise ValidationError(errors)
    job.mapping = mapping
    job.status = ImportJob.Status.UPLOADED
    # Other columns may name other services: unknown again until the next check.
    job.beyond_services = True
    with transaction.atomic(), set_actor(actor):
        job.save(update_fields=["mapping", "status", "beyond_services"])
        job.services.clear()
    return job


@transaction.atomic
def import_start_check(*, actor: User, job: ImportJob) -> None:
    _check_owner(actor, job)
    job = _locked(job)
    if job.running or job.status == ImportJob.Status.DONE:
        raise ValidationError("This import cannot be checked now.")
    _set_status(actor, job, ImportJob.Status.CHECKING)
    from keywork.imports.tasks import check_import

    # Once the new status is saved: the task reads it, and a failed save sends no task.
    transaction.on_commit(partial(check_import.enqueue, job.pk))


@transaction.atomic
def import_start(*, actor: User, job: ImportJob) -> None:
    _check_owner(actor, job)
    job = _locked(job)  # two clicks on "Import" start one import
    if job.status != ImportJob.Status.CHECKED or job.error_rows:
        raise ValidationError("Check the file, and put right every row with an error, first.")
    _set_status(actor, job, ImportJob.Status.IMPORTING)
    from keywork.imports.tasks import run_import

    transaction.on_commit(partial(run_import.enqueue, job.pk))


def _locked(job: ImportJob) -> ImportJob:
    return ImportJob.objects.select_for_update().get(pk=job.pk)


def _check_owner(actor: User, job: ImportJob) -> None:
    from keywork.imports.selectors import may_act_on

    if not may_act_on(actor, job):
        raise NotFoundOrNotAllowed


def _set_status(actor: User, job: ImportJob, status: str) -> None:
    job.status = status
    job.processed_rows = 0
    job.failure = ""
    # A new attempt, alive from now: a worker still running an earlier one saves nothing.
    job.attempt += 1
    job.heartbeat_at = timezone.now()
    with set_actor(actor):
        job.save(update_fields=["status", "processed_rows", "failure", "attempt", "heartbeat_at"])


STOPPED = {
    ImportJob.Status.CHECKING: (
        "The check stopped before it finished: Keywork was restarted while it ran. "
        "Nothing was changed. Check every row again."
    ),
    ImportJob.Status.IMPORTING: (
        "The import stopped before it finished: Keywork was restarted while it ran. "
        "Nothing was saved. Check every row, then import again."
    ),
}


def import_fail_if_stalled(job: ImportJob) -> ImportJob:
    """A check or import whose worker died (its heartbeat stopped) is marked as stopped,
    with what to do next, so that it can be started again. Nothing was saved: an import
    saves its rows in one transaction at the very end."""
    if not job.stalled:
        return job
    with transaction.atomic():
        updated = ImportJob.objects.filter(
            pk=job.pk, attempt=job.attempt, status=job.status
        ).update(
            status=ImportJob.Status.FAILED,
            failure=STOPPED[ImportJob.Status(job.status)],
            finished_at=timezone.now(),
        )
    job.refresh_from_db()
    if updated:
        logger.warning("Import %s: attempt %s stopped without its worker", job.pk, job.attempt)
    return job


def _still_ours(job: ImportJob, status: str) -> bool:
    """Inside the transaction that saves a worker's work: the job is still at this
    worker's attempt, in the state it was started in (no one marked it stopped, or
    started it again, meanwhile). Locks the job's row until the transaction ends."""
    return (
        ImportJob.objects.select_for_update()
        .filter(pk=job.pk, attempt=job.attempt, status=status)
        .exists()
    )


# --- The work itself, run as tasks -------------------------------------------------------------


def _lookups(job: ImportJob) -> rows.Lookups:
    actor = job.created_by
    services = Service.objects.filter(organisation_id=job.organisation_id, archived_at=None)
    service_ids = access.service_ids_in_scope(actor, access.Capability.IMPORT)
    if service_ids is not None:
        services = services.filter(pk__in=service_ids)
    by_name: dict[str, object] = {s.name.lower(): s for s in services}
    key_workers: dict[tuple[str, int], object] = {}
    for user in (
        User.objects.filter(
            organisation_id=job.organisation_id,
            is_active=True,
            memberships__role__in=KEY_WORKER_ROLES,
        )
        .prefetch_related("memberships__team__services")
        .distinct()
    ):
        for membership in user.memberships.all():
            if membership.role in KEY_WORKER_ROLES and membership.team is not None:
                for service in membership.team.services.all():
                    key_workers[(user.email.lower(), service.pk)] = user
    people = Person.objects.filter(organisation_id=job.organisation_id, merged_into=None)
    return rows.Lookups(
        today=timezone.localdate(),
        services=by_name,
        key_workers=key_workers,
        taken_ni=dict(people.exclude(ni_number="").values_list("ni_number", "pk")),
        taken_nhs=dict(people.exclude(nhs_number="").values_list("nhs_number", "pk")),
    )


def _existing_by_key(job: ImportJob) -> dict[str, list[Candidate]]:
    by_key: dict[str, list[Candidate]] = {}
    for person in Person.objects.filter(
        organisation_id=job.organisation_id, merged_into=None
    ).prefetch_related("identifiers"):
        candidate = candidate_from(person)
        for key in person.match_keys.split():
            by_key.setdefault(key, []).append(candidate)
    return by_key


def _checked_rows(
    job: ImportJob, on_progress: Callable[[int], None]
) -> tuple[list[rows.CheckedRow], list[ImportProblem]]:
    """Reads and checks every row. Returns the rows and the problems found (errors, and
    warnings for rows that look like someone Keywork already has)."""
    lookups = _lookups(job)
    existing = _existing_by_key(job)
    column_index = {header: i for i, header in enumerate(job.headers)}
    checked, problems = [], []
    for number, cells in enumerate(reading.read_rows(path_of(job), job.file_format), start=1):
        if number == 1:
            continue  # the header row
        if not any(cells):
            continue
        if number - 1 > settings.KEYWORK_IMPORT_MAX_ROWS:
            raise ValidationError(
                f"The file has more than {settings.KEYWORK_IMPORT_MAX_ROWS} rows: split it."
            )
        values = {
            name: cells[column_index[column]] if column_index[column] < len(cells) else ""
            for name, column in job.mapping.items()
        }
        row = rows.check_row(number, values, lookups)
        checked.append(row)
        problems += [
            ImportProblem(job=job, row_number=number, column=column, message=f"{column} {message}")
            for column, message in row.errors
        ]
        if not row.errors:
            problems += _duplicate_warnings(job, row, existing)
        if len(checked) % PROGRESS_EVERY == 0:
            on_progress(len(checked))
    return checked, problems


def _duplicate_warnings(
    job: ImportJob, row: rows.CheckedRow, existing: dict[str, list[Candidate]]
) -> list[ImportProblem]:
    person = row.person
    pool = {}
    for key in candidate_keys(person["first_name"], person["last_name"]):
        for candidate in existing.get(key, []):
            pool[candidate.id] = candidate
    if not pool:
        return []
    new = Candidate(
        id=0,
        first_name=person["first_name"],
        last_name=person["last_name"],
        date_of_birth=person["date_of_birth"],
    )
    return [
        ImportProblem(
            job=job,
            row_number=row.number,
            message=f"May be the same person as record {m.candidate_id}: {'; '.join(m.reasons)}",
            is_warning=True,
        )
        for m in likely_matches(new, pool.values(), limit=3)
    ]


def _progress(job: ImportJob) -> Callable[[int], None]:
    def update(done: int) -> None:
        ImportJob.objects.filter(pk=job.pk, attempt=job.attempt).update(
            processed_rows=done, heartbeat_at=timezone.now()
        )

    return update


def _set_services_written_to(job: ImportJob, checked: list[rows.CheckedRow]) -> None:
    """What the rows write to, for who may see the import (selectors.imports_of)."""
    services = {row.episode["service"] for row in checked if row.episode}
    job.beyond_services = (
        not checked or None in services or any(row.episode is None for row in checked)
    )
    job.services.set([service for service in services if service is not None])


def run_check(job_id: int) -> None:
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    # Run for its creator, who is named in the audit of everything it changes.
    with set_actor(job.created_by):
        _check(job)


def _check(job: ImportJob) -> None:
    _progress(job)(0)
    ImportProblem.objects.filter(job=job).delete()
    try:
        checked, problems = _checked_rows(job, _progress(job))
    except ValidationError as error:
        with transaction.atomic():
            if _still_ours(job, job.status):
                _fail(job, " ".join(error.messages))
        return
    # The problems quote the rows: they appear with the services they belong to.
    with transaction.atomic():
        if not _still_ours(job, ImportJob.Status.CHECKING):
            return
        ImportProblem.objects.bulk_create(problems, batch_size=1000)
        _set_services_written_to(job, checked)
        job.total_rows = len(checked)
        job.processed_rows = len(checked)
        job.error_rows = len({p.row_number for p in problems if not p.is_warning})
        job.warning_rows = len({p.row_number for p in problems if p.is_warning})
        job.status = ImportJob.Status.CHECKED
        job.checked_at = timezone.now()
        job.save()


def run_import(job_id: int) -> None:
    """Checks every row again (the records may have changed since the dry run), then
    saves all of them in one transaction; one bad row and nothing is saved."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    with set_actor(job.created_by):
        _import(job)


def _import(job: ImportJob) -> None:
    beat = _progress(job)
    beat(0)
    try:
        checked, problems = _checked_rows(job, _progress(job))
    except ValidationError as error:
        with transaction.atomic():
            if _still_ours(job, job.status):
                _fail(job, " ".join(error.messages))
        return
    errors = [p for p in problems if not p.is_warning]
    if errors or not checked:
        with transaction.atomic():
            if not _still_ours(job, ImportJob.Status.IMPORTING):
                return
            ImportProblem.objects.filter(job=job).delete()
            ImportProblem.objects.bulk_create(problems, batch_size=1000)
            _set_services_written_to(job, checked)
            job.error_rows = len({p.row_number for p in errors})
            _fail(
                job,
                "Some rows have errors now, so nothing was imported."
                if errors
                else "The file has no rows.",
            )
        return
    # Everything the rows become is made ready first; the transaction that saves it,
    # which on SQLite keeps every other writer waiting, only sends it (core.bulk).
    ready = _ready_to_save(job, checked)
    beat(len(checked))
    with transaction.atomic():
        # First, so that on SQLite this transaction holds the write lock from here on.
        if not _still_ours(job, ImportJob.Status.IMPORTING):
            return
        job.people_created = len(checked)
        job.episodes_created = len(ready.episode_of)
        job.processed_rows = job.total_rows = len(checked)
        job.status = ImportJob.Status.DONE
        job.finished_at = timezone.now()
        job.save()
        _set_services_written_to(job, checked)
        _save_ready(ready, job.organisation_id)


@dataclass
class _Ready:
    people: bulk.Prepared
    identifiers: bulk.Prepared
    episodes: bulk.Prepared
    audit: list[bulk.Prepared]  # of the people, the identifiers and the episodes
    # For each identifier and episode, which row's person it belongs to.
    identifier_of: list[int]
    episode_of: list[int]


def _ready_to_save(job: ImportJob, checked: list[rows.CheckedRow]) -> _Ready:
    actor = job.created_by
    people, identifiers, episodes = [], [], []
    identifier_of, episode_of = [], []
    for index, row in enumerate(checked):
        person = Person(organisation_id=job.organisation_id, created_by=actor, **row.person)
        person.search_names = search_names_for(person)
        person.match_keys = match_keys_for(person)
        people.append(person)
        if row.chain_id:
            identifiers.append(PersonIdentifier(kind="chain", value=row.chain_id))
            identifier_of.append(index)
        if row.episode:
            e = row.episode
            episodes.append(
                Episode(
                    organisation_id=job.organisation_id,
                    service=e["service"],
                    start_date=e["start_date"],
                    key_worker=e["key_worker"],
                    end_date=e["end_date"],
                    end_reason=e["end_reason"],
                    destination=e["destination"],
                    ended_by=actor if e["end_date"] else None,
                    created_by=actor,
                )
            )
            episode_of.append(index)
    return _Ready(
        people=bulk.prepare(Person, people),
        identifiers=bulk.prepare(PersonIdentifier, identifiers),
        episodes=bulk.prepare(Episode, episodes),
        audit=[
            bulk.prepare(AuditEntry, creation_entries(actor, made))
            for made in (people, identifiers, episodes)
        ],
        identifier_of=identifier_of,
        episode_of=episode_of,
    )


def _save_ready(ready: _Ready, organisation_id: int) -> None:
    person_ids = bulk.insert(ready.people)
    identifier_people = [person_ids[i] for i in ready.identifier_of]
    identifier_ids = bulk.insert(ready.identifiers, fill={"person_id": identifier_people})
    episode_people = [person_ids[i] for i in ready.episode_of]
    episode_ids = bulk.insert(ready.episodes, fill={"person_id": episode_people})
    for audit, ids, about in zip(
        ready.audit,
        (person_ids, identifier_ids, episode_ids),
        (person_ids, identifier_people, episode_people),
        strict=True,
    ):
        bulk.insert(
            audit,
            fill={
                "object_pk": [str(i) for i in ids],
                "object_id": ids,
                "about_person_id": about,
                # Filed in the organisation's audit, identifiers (which have no
                # organisation of their own) with the people they belong to.
                "organisation_id": [organisation_id] * len(ids),
            },
            with_keys=False,
        )


def _fail(job: ImportJob, message: str) -> None:
    job.status = ImportJob.Status.FAILED
    job.failure = message[:500]
    job.finished_at = timezone.now()
    job.save()
