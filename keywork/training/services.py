"""Writes for training: the catalogue of courses, what each member of staff completed
(with its certificate, a PDF, JPEG or PNG whose content is checked, not only its name),
courses booked, and the reminders before and when a course expires."""

import calendar
import hashlib
import uuid
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from keywork import access
from keywork.accounts.models import Membership, User
from keywork.core.auditing import set_actor
from keywork.core.contributions import StoredFile
from keywork.core.errors import NotFoundOrNotAllowed
from keywork.core.saving import check_version, save_checked
from keywork.core.services import notify_many
from keywork.training.models import STAFF_ROLES, Booking, Course, CourseRequirement, TrainingRecord

# extension -> (content type, what its first bytes must be)
ALLOWED = {
    "pdf": ("application/pdf", b"%PDF-"),
    "png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    "jpg": ("image/jpeg", b"\xff\xd8\xff"),
    "jpeg": ("image/jpeg", b"\xff\xd8\xff"),
}
ALLOWED_LIST = "PDF, JPEG or PNG"
NAME_MAX = 200
FOLDER = "training-certificates"
REMIND_DAYS_BEFORE = 30


# --- The catalogue ----------------------------------------------------------------------------


def _check_course(
    actor: User,
    *,
    name: str,
    renewal_months: int | None,
    mandatory_for: Iterable[str],
    pk: int | None = None,
) -> tuple[str, list[str]]:
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = "Give the course a name"
    elif (
        Course.objects.filter(organisation_id=actor.organisation_id, name__iexact=name)
        .exclude(pk=pk or 0)
        .exists()
    ):
        errors["name"] = f"The catalogue already has a course called {name}"
    if renewal_months is not None and not 1 <= renewal_months <= 120:
        errors["renewal_months"] = (
            "Renew every must be between 1 and 120 months, or empty if it never needs renewing"
        )
    roles = sorted(set(mandatory_for))
    known = {value for value, _ in STAFF_ROLES}
    if any(role not in known for role in roles):
        errors["mandatory_for"] = "Choose roles of staff in a team"
    if errors:
        raise ValidationError(errors)
    return name, roles


def _set_requirements(course: Course, roles: list[str]) -> None:
    CourseRequirement.objects.filter(course=course).exclude(role__in=roles).delete()
    have = set(course.requirements.values_list("role", flat=True))
    for role in roles:
        if role not in have:
            CourseRequirement.objects.create(course=course, role=role)


def course_create(
    *,
    actor: User,
    name: str,
    description: str = "",
    mandatory_for: Iterable[str] = (),
    renewal_months: int | None = None,
    provider: str = "",
) -> Course:
    access.check_or_404(actor, "training.catalogue")
    name, roles = _check_course(
        actor, name=name, renewal_months=renewal_months, mandatory_for=mandatory_for
    )
    course = Course(
        organisation_id=actor.organisation_id,
        name=name,
        description=description.strip(),
        renewal_months=renewal_months,
        provider=provider.strip(),
        created_by=actor,
    )
    with transaction.atomic(), set_actor(actor):
        save_checked(actor, course)
        _set_requirements(course, roles)
    return course


def course_update(
    *,
    actor: User,
    course: Course,
    version: int | None,
    name: str,
    description: str = "",
    mandatory_for: Iterable[str] = (),
    renewal_months: int | None = None,
    provider: str = "",
    archived: bool = False,
) -> Course:
    """Changing the renewal interval changes no expiry already recorded: each record
    keeps the date it was given."""
    access.check_or_404(actor, "training.catalogue")
    if course.organisation_id != actor.organisation_id:
        raise NotFoundOrNotAllowed
    with transaction.atomic(), set_actor(actor):
        current = Course.objects.select_for_update().get(pk=course.pk)
        check_version(current, version, what="course")
        name, roles = _check_course(
            actor,
            name=name,
            renewal_months=renewal_months,
            mandatory_for=mandatory_for,
            pk=course.pk,
        )
        current.name = name
        current.description = description.strip()
        current.renewal_months = renewal_months
        current.provider = provider.strip()
        if archived and current.archived_at is None:
            current.archived_at = timezone.now()
        elif not archived:
            current.archived_at = None
        current.version += 1
        save_checked(actor, current)
        _set_requirements(current, roles)
    return current


# --- Certificates -----------------------------------------------------------------------------


def _folder() -> Path:
    folder = Path(settings.KEYWORK_PRIVATE_DIR) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def certificate_path(record: TrainingRecord) -> Path:
    return _folder() / record.certificate_stored_name


def stored_files() -> Iterator[StoredFile]:
    """Every certificate and its checksum, for `manage.py check_restore`."""
    rows = (
        TrainingRecord.objects.exclude(certificate_stored_name="")
        .order_by("pk")
        .values_list("pk", "certificate_stored_name", "certificate_sha256", "certificate_size")
    )
    for pk, stored_name, sha256, size in rows.iterator(chunk_size=2000):
        yield StoredFile(
            f"{FOLDER}/{stored_name}", f"certificate of training record {pk}", sha256, size
        )


def _store_certificate(upload: UploadedFile) -> dict[str, object]:
    """Keeps the file if it is what its name says; the fields for the record's row."""
    limit = settings.KEYWORK_ATTACHMENT_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            {"certificate": f"The certificate must be {limit // (1024 * 1024)} MB or smaller."}
        )
    name = Path(upload.name or "certificate").name
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED:
        raise ValidationError({"certificate": f"The certificate must be a {ALLOWED_LIST} file."})
    if len(name) > NAME_MAX:
        stem = name[: -(len(extension) + 1)]
        name = f"{stem[: NAME_MAX - len(extension) - 1]}.{extension}"
    stored_name = uuid.uuid4().hex
    path = _folder() / stored_name
    digest = hashlib.sha256()
    with path.open("wb") as out:
        for chunk in upload.chunks():
            digest.update(chunk)
            out.write(chunk)
    with path.open("rb") as stored:
        head = stored.read(16)
    if not head.startswith(ALLOWED[extension][1]):
        path.unlink(missing_ok=True)
        raise ValidationError(
            {
                "certificate": f"The certificate is called .{extension} but its content is "
                "not: it was not saved."
            }
        )
    return {
        "certificate_name": name,
        "certificate_stored_name": stored_name,
        "certificate_type": ALLOWED[extension][0],
        "certificate_size": upload.size,
        "certificate_sha256": digest.hexdigest(),
    }


def _forget_file(stored_name: str) -> None:
    if stored_name:
        (_folder() / stored_name).unlink(missing_ok=True)


# --- Records ----------------------------------------------------------------------------------


def expiry_for(course: Course, completed_on: date) -> date | None:
    if course.renewal_months is None:
        return None
    return add_months(completed_on, course.renewal_months)


def add_months(day: date, months: int) -> date:
    """The same day of the month, months later (the month's last day where it is shorter:
    29 February plus 12 months is 28 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def _check_dates(
    *, completed_on: date | None, expires_on: date | None, today: date
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if completed_on is None:
        errors["completed_on"] = "Enter the date the course was completed"
    elif completed_on > today:
        errors["completed_on"] = (
            "The date it was completed must be today or in the past: book a course to come "
            "as planned training"
        )
    elif expires_on is not None and expires_on <= completed_on:
        errors["expires_on"] = (
            f"The expiry date must be after the date it was completed ({completed_on:%d/%m/%Y})"
        )
    return errors


def _check_hours(hours: Decimal | None) -> dict[str, str]:
    if hours is not None and not Decimal(0) <= hours <= Decimal(1000):
        return {"hours": "Hours must be between 0 and 1000"}
    return {}


def _saved_with_file(
    actor: User, record: TrainingRecord, upload: UploadedFile | None, old: str
) -> TrainingRecord:
    """Saves the row and its new certificate together: if the row fails, the new file
    goes; once saved, the certificate it replaced goes."""
    stored: dict[str, object] = _store_certificate(upload) if upload is not None else {}
    for field_name, value in stored.items():
        setattr(record, field_name, value)
    try:
        with transaction.atomic(), set_actor(actor):
            save_checked(actor, record)
            if stored and old:
                transaction.on_commit(lambda: _forget_file(old))
    except BaseException:
        _forget_file(str(stored.get("certificate_stored_name", "")))
        raise
    return record


def training_record_create(
    *,
    actor: User,
    staff: User,
    course: Course,
    completed_on: date | None,
    expires_on: date | None = None,
    provider: str = "",
    hours: Decimal | None = None,
    certificate: UploadedFile | None = None,
    today: date | None = None,
) -> TrainingRecord:
    """A course completed. Its expiry, unless given, follows from the course's renewal
    interval; a completion in the future or an expiry not after it is refused."""
    access.check_or_404(actor, "training.record", staff)
    if course.organisation_id != actor.organisation_id:
        raise NotFoundOrNotAllowed
    today = today or timezone.localdate()
    errors = {}
    if course.archived_at is not None:
        errors["course"] = "That course is no longer in the catalogue"
    errors |= _check_dates(completed_on=completed_on, expires_on=expires_on, today=today)
    errors |= _check_hours(hours)
    if errors:
        raise ValidationError(errors)
    assert completed_on is not None
    record = TrainingRecord(
        organisation_id=actor.organisation_id,
        staff=staff,
        course=course,
        completed_on=completed_on,
        expires_on=expires_on or expiry_for(course, completed_on),
        provider=(provider or course.provider).strip(),
        hours=hours,
        recorded_by=actor,
    )
    return _saved_with_file(actor, record, certificate, "")


def training_record_update(
    *,
    actor: User,
    record: TrainingRecord,
    version: int | None,
    completed_on: date | None,
    expires_on: date | None = None,
    provider: str = "",
    hours: Decimal | None = None,
    certificate: UploadedFile | None = None,
    today: date | None = None,
) -> TrainingRecord:
    """A correction, saved only over the version the user opened. A new completion date
    with no expiry given takes the course's interval again; the reminders start again
    for a new expiry."""
    access.check_or_404(actor, "training.record", record.staff)
    today = today or timezone.localdate()
    errors = _check_dates(completed_on=completed_on, expires_on=expires_on, today=today)
    errors |= _check_hours(hours)
    with transaction.atomic():
        current = (
            TrainingRecord.objects.select_for_update().select_related("course").get(pk=record.pk)
        )
        check_version(current, version, what="training record")
        if errors:
            raise ValidationError(errors)
        assert completed_on is not None
        new_expiry = expires_on or expiry_for(current.course, completed_on)
        if new_expiry != current.expires_on:
            current.expiring_reminded_on = current.expired_reminded_on = None
        current.completed_on = completed_on
        current.expires_on = new_expiry
        current.provider = provider.strip()
        current.hours = hours
        current.version += 1
        old = current.certificate_stored_name
        return _saved_with_file(actor, current, certificate, old)


# --- Planned training -------------------------------------------------------------------------


def training_booking_create(
    *,
    actor: User,
    staff: User,
    course: Course,
    booked_for: date | None,
    provider: str = "",
    today: date | None = None,
) -> Booking:
    access.check_or_404(actor, "training.record", staff)
    if course.organisation_id != actor.organisation_id:
        raise NotFoundOrNotAllowed
    today = today or timezone.localdate()
    errors = {}
    if course.archived_at is not None:
        errors["course"] = "That course is no longer in the catalogue"
    if booked_for is None:
        errors["booked_for"] = "Enter the date the course is booked for"
    elif booked_for < today:
        errors["booked_for"] = (
            "The date booked must be today or later: record a course already done as completed"
        )
    if errors:
        raise ValidationError(errors)
    assert booked_for is not None
    booking = Booking(
        organisation_id=actor.organisation_id,
        staff=staff,
        course=course,
        booked_for=booked_for,
        provider=(provider or course.provider).strip(),
        booked_by=actor,
    )
    with transaction.atomic():
        return save_checked(actor, booking)


def training_booking_cancel(*, actor: User, booking: Booking) -> Booking:
    access.check_or_404(actor, "training.record", booking.staff)
    with transaction.atomic():
        current = Booking.objects.select_for_update().get(pk=booking.pk)
        if current.cancelled_at is None:
            current.cancelled_at = timezone.now()
            save_checked(actor, current, update_fields=["cancelled_at"])
        return current


# --- Reminders --------------------------------------------------------------------------------


def managers_of(staff: User) -> list[User]:
    """The senior practitioners and lead managers of the teams the member of staff is in."""
    team_ids = Membership.objects.filter(user=staff, team__isnull=False).values("team_id")
    return list(
        User.objects.filter(
            is_active=True,
            organisation_id=staff.organisation_id,
            memberships__team_id__in=team_ids,
            memberships__role__in=sorted(access.MANAGER_ROLES),
        )
        .exclude(pk=staff.pk)
        .distinct()
    )


def send_training_reminders(today: date) -> int:
    """Tells each worker, and their managers, once 30 days before a course they did
    expires and once when it has expired: only about the latest time they did it, on a
    course still in the catalogue. Returns how many were told."""
    later = TrainingRecord.objects.filter(
        staff_id=OuterRef("staff_id"),
        course_id=OuterRef("course_id"),
        completed_on__gt=OuterRef("completed_on"),
    )
    due = (
        TrainingRecord.objects.filter(
            expires_on__isnull=False,
            course__archived_at=None,
            staff__is_active=True,
            expires_on__lte=today + timedelta(days=REMIND_DAYS_BEFORE),
        )
        .exclude(expired_reminded_on__isnull=False)
        .annotate(superseded=Exists(later))
        .filter(superseded=False)
        .select_related("staff", "course")
    )
    sent = 0
    for record in due:
        assert record.expires_on is not None
        expired = record.expires_on <= today
        if not expired and record.expiring_reminded_on is not None:
            continue
        staff = record.staff
        url = reverse("training:staff", args=[staff.pk])
        when = f"{record.expires_on:%d/%m/%Y}"
        if expired:
            own = f"Your {record.course.name} training expired on {when}: it needs renewing."
            theirs = f"{staff.full_name}'s {record.course.name} training expired on {when}."
        else:
            own = f"Your {record.course.name} training expires on {when}: book a renewal."
            theirs = f"{staff.full_name}'s {record.course.name} training expires on {when}."
        managers = managers_of(staff)
        with transaction.atomic():
            notify_many(users=[staff], text=own, url=url)
            notify_many(users=managers, text=theirs, url=url)
            if expired:
                record.expired_reminded_on = today
            record.expiring_reminded_on = record.expiring_reminded_on or today
            record.save(update_fields=["expiring_reminded_on", "expired_reminded_on"])
        sent += 1 + len(managers)
    return sent
