"""Writes for notices and leaflets: a notice and its audience, its files (of the allowed
types, checked by their content), who received it on paper and when, and their
acknowledgement recorded on their behalf. Each checks the actor, validates everything
before it writes, and writes in one transaction."""

import hashlib
import uuid
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from keywork import access
from keywork.accounts.models import User
from keywork.core.auditing import set_actor
from keywork.core.contributions import StoredFile
from keywork.core.errors import NotFoundOrNotAllowed
from keywork.core.saving import check_version, save_checked
from keywork.events.models import Event
from keywork.housing.models import Property
from keywork.notices.models import Notice, NoticeFile, NoticeFor, Receipt
from keywork.notices.selectors import audience_ids, audience_of, events_for_notices
from keywork.organisations.models import Service
from keywork.people.models import Episode, Person

# extension -> (content type, what its first bytes must be, or the zip's tell-tale)
ALLOWED = {
    "pdf": ("application/pdf", b"%PDF-"),
    "png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    "jpg": ("image/jpeg", b"\xff\xd8\xff"),
    "jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        b"PK\x03\x04",
    ),
    "odt": ("application/vnd.oasis.opendocument.text", b"PK\x03\x04"),
}
ALLOWED_LIST = "PDF, Word (.docx), OpenDocument text (.odt), JPEG or PNG"
NAME_MAX = 200


def _check_dates(published_on: date, expires_on: date | None) -> dict[str, str]:
    if expires_on is not None and expires_on < published_on:
        return {
            "expires_on": f"The notice cannot expire before it is published "
            f"({published_on:%d/%m/%Y})."
        }
    return {}


def _check_group(actor: User, service: Service, event: Event | None) -> dict[str, str]:
    if event is None:
        return {"event": "Choose the event or group the notice is for."}
    if not events_for_notices(actor).filter(pk=event.pk).exists():
        raise NotFoundOrNotAllowed
    if not event.services.filter(pk=service.pk).exists():
        return {"event": f"Choose an event or group of {service.name}."}
    if not audience_ids(
        audience=Notice.Audience.GROUP, service_id=service.pk, property_id=None, event_id=event.pk
    ).exists():
        return {"event": f"No one is signed up to {event.title}: no one would get it."}
    return {}


def _check_audience(
    actor: User,
    service: Service,
    audience: str,
    property: Property | None,
    named: list[Person],
    event: Event | None,
) -> dict[str, str]:
    """What is wrong with the audience chosen, field by field; an audience with no one in
    it today is wrong too."""
    errors: dict[str, str] = {}
    if audience == Notice.Audience.PROPERTY:
        if property is None:
            errors["property"] = "Choose the property the notice is for."
        elif property.service_id != service.pk:
            errors["property"] = f"Choose a property of {service.name}."
        elif not audience_ids(
            audience=audience, service_id=service.pk, property_id=property.pk
        ).exists():
            errors["property"] = f"No one lives in {property.name} today: no one would get it."
    elif audience == Notice.Audience.PEOPLE:
        if not named:
            errors["people"] = "Choose the people the notice is for."
        else:
            today = timezone.localdate()
            supported = set(
                Episode.objects.filter(service=service, person__in=named, start_date__lte=today)
                .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
                .values_list("person_id", flat=True)
            )
            for person in named:
                if not access.may_see_person(actor, person):
                    raise NotFoundOrNotAllowed
                if person.pk not in supported:
                    errors["people"] = f"{person} is not supported by {service.name} today."
    elif audience == Notice.Audience.GROUP:
        errors.update(_check_group(actor, service, event))
    elif audience == Notice.Audience.SERVICE:
        if not audience_ids(audience=audience, service_id=service.pk, property_id=None).exists():
            errors["audience"] = f"{service.name} supports no one today: no one would get it."
    else:
        errors["audience"] = "Choose who the notice is for."
    return errors


@transaction.atomic
def notice_create(
    *,
    actor: User,
    service: Service,
    title: str,
    body: str,
    language: str,
    audience: str,
    published_on: date,
    expires_on: date | None = None,
    needs_acknowledgement: bool = False,
    property: Property | None = None,
    people: Iterable[Person] = (),
    event: Event | None = None,
) -> Notice:
    """A notice for everyone the service supports, everyone living in one of its
    properties, named people it supports whom the actor may see, or the people signed up
    to one of its events (all of them, whether or not the actor may see each). An
    audience with no one in it today is refused."""
    access.check_or_404(actor, "notices.give_out", service)
    named = list(people)
    errors: dict[str, str] = _check_dates(published_on, expires_on)
    errors.update(_check_audience(actor, service, audience, property, named, event))
    if errors:
        raise ValidationError(errors)
    notice = save_checked(
        actor,
        Notice(
            organisation_id=service.organisation_id,
            service=service,
            title=title.strip(),
            body=body.strip(),
            language=language,
            audience=audience,
            property=property if audience == Notice.Audience.PROPERTY else None,
            event=event if audience == Notice.Audience.GROUP else None,
            published_on=published_on,
            expires_on=expires_on,
            needs_acknowledgement=needs_acknowledgement,
            created_by=actor,
        ),
    )
    if audience == Notice.Audience.PEOPLE:
        with set_actor(actor):
            for person in named:
                NoticeFor.objects.create(notice=notice, person=person)
    return notice


WITHDRAWN = "This notice was withdrawn on {day:%d/%m/%Y}: it is no longer handed out."


def _withdrawn(notice: Notice) -> str:
    assert notice.withdrawn_at is not None
    return WITHDRAWN.format(day=timezone.localtime(notice.withdrawn_at).date())


@transaction.atomic
def notice_update(
    *,
    actor: User,
    notice: Notice,
    version: int,
    title: str,
    body: str,
    language: str,
    expires_on: date | None = None,
    needs_acknowledgement: bool = False,
    audience: str | None = None,
    property: Property | None = None,
    people: Iterable[Person] = (),
    event: Event | None = None,
) -> Notice:
    """Saves the notice's words, language, expiry and whether it asks to be acknowledged,
    only over the version the actor opened. Who it is for (`audience`, None to keep it)
    may change only while no one has had it. Named people the actor may not see stay
    named: they are not the actor's to take off."""
    access.check_or_404(actor, "notices.give_out", notice.service)
    notice = Notice.objects.select_for_update().select_related("service").get(pk=notice.pk)
    check_version(notice, version, what="notice")
    if notice.withdrawn_at is not None:
        raise ValidationError(_withdrawn(notice))
    errors = _check_dates(notice.published_on, expires_on)
    last_had = Receipt.objects.filter(notice=notice).aggregate(last=Max("received_on"))["last"]
    if expires_on is not None and last_had is not None and expires_on < last_had:
        errors.setdefault(
            "expires_on",
            f"Someone had it on {last_had:%d/%m/%Y}: it cannot expire before then.",
        )
    named = list(people)
    kept: list[int] = []
    if audience is not None:
        now_named = list(
            NoticeFor.objects.filter(notice=notice).values_list("person_id", flat=True)
        )
        kept = [pk for pk in now_named if not access.may_see_person_id(actor, pk)]
        wanted = (
            audience,
            property.pk if property and audience == Notice.Audience.PROPERTY else None,
            event.pk if event and audience == Notice.Audience.GROUP else None,
            {p.pk for p in named} | set(kept) if audience == Notice.Audience.PEOPLE else set(),
        )
        current = (
            notice.audience,
            notice.property_id,
            notice.event_id,
            set(now_named) if notice.audience == Notice.Audience.PEOPLE else set(),
        )
        if wanted != current:
            if last_had is not None:
                errors["audience"] = (
                    "Someone has had this notice already: who it is for can no longer change."
                )
            elif not (audience == Notice.Audience.PEOPLE and kept and not named):
                errors.update(
                    _check_audience(actor, notice.service, audience, property, named, event)
                )
        else:
            audience = None  # nothing to change
    if errors:
        raise ValidationError(errors)
    notice.title = title.strip()
    notice.body = body.strip()
    notice.language = language
    notice.expires_on = expires_on
    notice.needs_acknowledgement = needs_acknowledgement
    if audience is not None:
        notice.audience = audience
        notice.property = property if audience == Notice.Audience.PROPERTY else None
        notice.event = event if audience == Notice.Audience.GROUP else None
    notice.version += 1
    save_checked(actor, notice)
    if audience is not None:
        stay = {p.pk for p in named} | set(kept) if audience == Notice.Audience.PEOPLE else set()
        with set_actor(actor):
            for gone in NoticeFor.objects.filter(notice=notice).exclude(person_id__in=stay):
                gone.delete()
            there = set(NoticeFor.objects.filter(notice=notice).values_list("person_id", flat=True))
            for person in named:
                if audience == Notice.Audience.PEOPLE and person.pk not in there:
                    NoticeFor.objects.create(notice=notice, person=person)
    return notice


@transaction.atomic
def notice_withdraw(*, actor: User, notice: Notice, reason: str) -> Notice:
    """Takes the notice out of what is handed out, saying why. It keeps its history and
    who had it, and shows as withdrawn."""
    access.check_or_404(actor, "notices.give_out", notice.service)
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if notice.withdrawn_at is not None:
        raise ValidationError(_withdrawn(notice))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the notice is withdrawn."})
    if len(reason) > 300:
        raise ValidationError({"reason": "The reason must be 300 characters or fewer."})
    notice.withdrawn_at = timezone.now()
    notice.withdrawn_by = actor
    notice.withdrawn_reason = reason
    notice.version += 1
    return save_checked(actor, notice)


@transaction.atomic
def receipts_record(
    *,
    actor: User,
    notice: Notice,
    people: Iterable[Person],
    received_on: date,
    how: str = Receipt.How.BY_HAND,
) -> list[Receipt]:
    """Who received the notice on paper, and on which day: each of them someone the
    actor may see, in its audience, and not recorded before."""
    access.check_or_404(actor, "notices.give_out", notice.service)
    # Locked, so that a notice withdrawn a moment ago is not handed out after all.
    notice = Notice.objects.select_for_update().select_related("service").get(pk=notice.pk)
    chosen = list(people)
    for person in chosen:
        if not access.may_see_person(actor, person):
            raise NotFoundOrNotAllowed
    errors: dict[str, str] = {}
    if not chosen:
        errors["people"] = "Choose who received the notice."
    if notice.withdrawn_at is not None:
        errors["received_on"] = _withdrawn(notice)
    elif received_on > timezone.localdate():
        errors["received_on"] = "The date received cannot be in the future."
    elif notice.expires_on is not None and received_on > notice.expires_on:
        errors["received_on"] = (
            f"The date received cannot be after the notice expired ({notice.expires_on:%d/%m/%Y})."
        )
    elif received_on < notice.published_on:
        errors["received_on"] = (
            f"The date received cannot be before the notice was published "
            f"({notice.published_on:%d/%m/%Y})."
        )
    ids = [p.pk for p in chosen]
    in_audience = set(audience_of(notice).filter(pk__in=ids).values_list("pk", flat=True))
    already = set(
        Receipt.objects.filter(notice=notice, person_id__in=ids).values_list("person_id", flat=True)
    )
    for person in chosen:
        if person.pk in already:
            errors["people"] = f"{person} has already received it."
        elif person.pk not in in_audience:
            errors["people"] = f"{person} is not someone this notice is for."
    if errors:
        raise ValidationError(errors)
    made = []
    for person in chosen:
        made.append(
            save_checked(
                actor,
                Receipt(
                    notice=notice,
                    person=person,
                    received_on=received_on,
                    how=how,
                    given_by=actor,
                ),
            )
        )
    return made


@transaction.atomic
def receipt_acknowledge(*, actor: User, receipt: Receipt, acknowledged_on: date) -> Receipt:
    """The person acknowledged the notice, recorded by staff on their behalf."""
    access.check_or_404(actor, "notices.give_out", receipt.notice.service)
    if not access.may_see_person(actor, receipt.person):
        raise NotFoundOrNotAllowed
    receipt = Receipt.objects.select_for_update().select_related("notice").get(pk=receipt.pk)
    if receipt.acknowledged_on is not None:
        raise ValidationError(
            f"They already acknowledged it on {receipt.acknowledged_on:%d/%m/%Y}."
        )
    if acknowledged_on > timezone.localdate():
        raise ValidationError({"acknowledged_on": "The date cannot be in the future."})
    if acknowledged_on < receipt.received_on:
        raise ValidationError(
            {
                "acknowledged_on": f"The date cannot be before they received it "
                f"({receipt.received_on:%d/%m/%Y})."
            }
        )
    receipt.acknowledged_on = acknowledged_on
    receipt.acknowledged_recorded_by = actor
    return save_checked(actor, receipt)


# --- Files ---------------------------------------------------------------------------------


def _folder() -> Path:
    folder = Path(settings.KEYWORK_PRIVATE_DIR) / "notice-files"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def path_of(item: NoticeFile) -> Path:
    return _folder() / item.stored_name


def stored_files() -> Iterator[StoredFile]:
    """Every notice's file and its checksum, for `manage.py check_restore`."""
    rows = NoticeFile.objects.order_by("pk").values_list(
        "pk", "notice_id", "stored_name", "sha256", "size"
    )
    for pk, notice_id, stored_name, sha256, size in rows.iterator(chunk_size=2000):
        yield StoredFile(
            f"notice-files/{stored_name}", f"file {pk} of notice {notice_id}", sha256, size
        )


def _content_is(extension: str, path: Path) -> bool:
    with path.open("rb") as stored:
        head = stored.read(16)
    if not head.startswith(ALLOWED[extension][1]):
        return False
    if extension not in ("docx", "odt"):
        return True
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if extension == "docx":
                return "[Content_Types].xml" in names and any(n.startswith("word/") for n in names)
            return archive.read("mimetype") == b"application/vnd.oasis.opendocument.text"
    except (zipfile.BadZipFile, KeyError, OSError):
        return False


def notice_file_add(
    *, actor: User, notice: Notice, upload: UploadedFile, kind: str = NoticeFile.Kind.LEAFLET
) -> NoticeFile:
    """A leaflet, an easy-read version or a translation, of an allowed type whose content
    is what its name says; otherwise nothing is kept, file or row."""
    access.check_or_404(actor, "notices.give_out", notice.service)
    limit = settings.KEYWORK_ATTACHMENT_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError({"file": f"The file must be {limit // (1024 * 1024)} MB or smaller."})
    if kind not in NoticeFile.Kind.values:
        raise ValidationError({"kind": "Choose what kind of file it is."})
    name = Path(upload.name or "file").name
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED:
        raise ValidationError({"file": f"The file must be a {ALLOWED_LIST} file."})
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
    if not _content_is(extension, path):
        path.unlink(missing_ok=True)
        raise ValidationError(
            {"file": f"The file is called .{extension} but its content is not: it was not saved."}
        )
    item = NoticeFile(
        notice=notice,
        kind=kind,
        original_name=name,
        stored_name=stored_name,
        content_type=ALLOWED[extension][0],
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
    )
    try:
        with transaction.atomic(), set_actor(actor):
            item.save()
    except Exception:
        path.unlink(missing_ok=True)
        raise
    return item
