"""Attachments: what may be uploaded, checked by its content and not only its name."""

import hashlib
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from keywork import access
from keywork.accounts.models import User
from keywork.core.auditing import set_actor
from keywork.core.contributions import StoredFile
from keywork.notes.models import Attachment, FileNote

# extension -> (content type, kind of content it must have)
ALLOWED = {
    "pdf": ("application/pdf", "pdf"),
    "png": ("image/png", "png"),
    "jpg": ("image/jpeg", "jpeg"),
    "jpeg": ("image/jpeg", "jpeg"),
    "gif": ("image/gif", "gif"),
    "webp": ("image/webp", "webp"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "ooxml:word/",
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "ooxml:xl/"),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "ooxml:ppt/",
    ),
    "odt": (
        "application/vnd.oasis.opendocument.text",
        "odf:application/vnd.oasis.opendocument.text",
    ),
    "ods": (
        "application/vnd.oasis.opendocument.spreadsheet",
        "odf:application/vnd.oasis.opendocument.spreadsheet",
    ),
    "doc": ("application/msword", "ole"),
    "xls": ("application/vnd.ms-excel", "ole"),
}
ALLOWED_LIST = "PDF, JPEG, PNG, GIF, WebP, Word, Excel, PowerPoint or OpenDocument"
NAME_MAX = Attachment._meta.get_field("original_name").max_length or 200


def _content_is(kind: str, head: bytes, path: Path) -> bool:
    if kind == "pdf":
        return head.startswith(b"%PDF-")
    if kind == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if kind == "jpeg":
        return head.startswith(b"\xff\xd8\xff")
    if kind == "gif":
        return head[:6] in (b"GIF87a", b"GIF89a")
    if kind == "webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if kind == "ole":
        return head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    if kind.startswith(("ooxml:", "odf:")):
        if not head.startswith(b"PK\x03\x04"):
            return False
        try:
            with zipfile.ZipFile(path) as archive:
                names = archive.namelist()
                if kind.startswith("ooxml:"):
                    folder = kind.split(":", 1)[1]
                    return "[Content_Types].xml" in names and any(
                        n.startswith(folder) for n in names
                    )
                return archive.read("mimetype").decode("ascii", "replace") == kind.split(":", 1)[1]
        except (zipfile.BadZipFile, KeyError, OSError):
            return False
    return False


def _folder() -> Path:
    folder = Path(settings.KEYWORK_PRIVATE_DIR) / "attachments"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def path_of(attachment: Attachment) -> Path:
    return _folder() / attachment.stored_name


def stored_files() -> Iterator[StoredFile]:
    """Every attachment's file and the checksum taken as it was saved, for the check of a
    restored copy (`manage.py check_restore`)."""
    rows = Attachment.objects.order_by("pk").values_list(
        "pk", "note_id", "stored_name", "sha256", "size"
    )
    for pk, note_id, stored_name, sha256, size in rows.iterator(chunk_size=2000):
        yield StoredFile(
            f"attachments/{stored_name}", f"attachment {pk} of file note {note_id}", sha256, size
        )


def attachment_add(*, actor: User, note: FileNote, upload: UploadedFile) -> Attachment:
    access.check_or_404(actor, "notes.amend", note)
    if note.is_void:
        raise ValidationError("This note has been voided.")
    limit = settings.KEYWORK_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError({"file": f"The file must be {limit // (1024 * 1024)} MB or smaller."})
    name = Path(upload.name or "file").name
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED:
        raise ValidationError({"file": f"The file must be a {ALLOWED_LIST} file."})
    if len(name) > NAME_MAX:
        # Shortened before the extension, which says what the file is when downloaded.
        stem = name[: -(len(extension) + 1)]
        name = f"{stem[: NAME_MAX - len(extension) - 1]}.{name[-len(extension) :]}"
    content_type, kind = ALLOWED[extension]
    stored_name = uuid.uuid4().hex
    path = _folder() / stored_name
    digest = hashlib.sha256()
    with path.open("wb") as out:
        for chunk in upload.chunks():
            digest.update(chunk)
            out.write(chunk)
    with path.open("rb") as stored:
        head = stored.read(16)
    if not _content_is(kind, head, path):
        path.unlink(missing_ok=True)
        raise ValidationError(
            {"file": f"The file is called .{extension} but its content is not: it was not saved."}
        )
    attachment = Attachment(
        note=note,
        original_name=name,
        stored_name=stored_name,
        content_type=content_type,
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
    )
    try:
        # The row and its audit entry together, or neither (and then no file either).
        with transaction.atomic(), set_actor(actor):
            attachment.save()
    except Exception:
        path.unlink(missing_ok=True)
        raise
    return attachment
