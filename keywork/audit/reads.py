"""Every read of personal data leaves one audit row: who, when, what and why.

The access module calls `record_read` for each record about a person it hands out, and
`record_shown` for the rows a list or search put on a page; no view has to remember.
Within a request the reads are gathered (one row per record, however often it is
fetched) and written together once the page has been answered, so that a page costs
the same few queries whatever it shows, and a request refused (404, 405) or failed
logs nothing, because nothing was shown. Outside a request (a command, a background
job) a read is written at once.
"""

from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

from keywork.audit.models import AuditEntry, person_id_of
from keywork.core.addresses import client_address
from keywork.core.contributions import contributed


@dataclass
class _Read:
    model: type[Model]
    pk: int | None
    label: str
    person_id: int | None
    reason: str | None  # None: fetched through a scoped list, settled when written
    shown: dict[str, list[int]] = field(default_factory=dict)


@dataclass
class _RequestReads:
    actor: object
    reads: dict[tuple[str, object], _Read] = field(default_factory=dict)


_gathering: ContextVar[_RequestReads | None] = ContextVar("keywork_reads", default=None)

NORMAL = AuditEntry.Reason.NORMAL
ON_CALL = AuditEntry.Reason.ON_CALL
BREAK_GLASS = AuditEntry.Reason.BREAK_GLASS
# Of two reasons for one read, the one someone must answer for is kept.
_WEIGHT = {NORMAL: 0, ON_CALL: 1, BREAK_GLASS: 2}


def record_read(
    *,
    actor,
    obj: Model,
    reason: str = NORMAL,
    shown: dict[str, Iterable[int]] | None = None,
) -> AuditEntry | None:
    """One read of `obj` by `actor`; `shown` names the rows a page listed under it
    ("notes.filenote": [ids]), kept with the read. Returns the row where it is written
    at once (outside a request)."""
    read = _Read(
        model=type(obj),
        pk=obj.pk,
        label=str(obj)[:200],
        person_id=person_id_of(obj),
        reason=reason,
    )
    return _gather(actor, read, shown)


def record_fetched(obj: Model) -> None:
    """A row handed out by the access module's lookups: a read if it is about a person.
    The reader is the signed-in user of the request being answered."""
    gathering = _gathering.get()
    person_id = person_id_of(obj)
    if gathering is None or person_id is None:
        return
    read = _Read(model=type(obj), pk=obj.pk, label=str(obj)[:200], person_id=person_id, reason=None)
    _gather(gathering.actor, read, None)


def record_shown(*, actor, model: type[Model], objects: Iterable[Model], about=None) -> None:
    """The rows a list, a search or a timeline put on one page: one audit row for the
    page, naming the person it is about (if any) and every row shown."""
    ids = [obj.pk for obj in objects]
    if about is not None:
        record_read(actor=actor, obj=about, shown={model._meta.label_lower: ids})
        return
    if not ids:
        return
    # A search across people: the row names the kind of record and lists what was shown.
    listing = _Read(
        model=model,
        pk=None,
        label=f"List of {model._meta.verbose_name_plural}"[:200],
        person_id=None,
        reason=NORMAL,
    )
    _gather(actor, listing, {model._meta.label_lower: ids})


def _gather(actor, read: _Read, shown: dict[str, Iterable[int]] | None) -> AuditEntry | None:
    _add_shown(read, shown)
    gathering = _gathering.get()
    if gathering is None or gathering.actor != actor:
        return _write([read], actor=actor, remote_addr=None)[0]
    key = (read.model._meta.label_lower, read.pk)
    earlier = gathering.reads.get(key)
    if earlier is None:
        gathering.reads[key] = read
        return None
    if earlier.reason is None or (
        read.reason is not None and _WEIGHT.get(read.reason, 0) > _WEIGHT.get(earlier.reason, 0)
    ):
        earlier.reason = read.reason
    _add_shown(earlier, read.shown)
    return None


def _add_shown(read: _Read, shown: dict[str, Iterable[int]] | None) -> None:
    for label, ids in (shown or {}).items():
        listed = read.shown.setdefault(label, [])
        listed.extend(i for i in ids if i not in listed)


def _write(reads: list[_Read], *, actor, remote_addr: str | None) -> list[AuditEntry]:
    if not reads:
        return []
    unsettled = {read.person_id for read in reads if read.reason is None and read.person_id}
    if unsettled:
        # Whoever decides need to know says why (their work, or break-glass): the
        # audit stands below the access module, so it asks through the registry.
        settled: dict[int, str] = {}
        for reasons_of in contributed("read_reasons"):
            settled.update(reasons_of(actor, unsettled))
        for read in reads:
            if read.reason is None:
                read.reason = settled.get(read.person_id, NORMAL)
    return AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                content_type=ContentType.objects.get_for_model(read.model),
                object_pk="" if read.pk is None else str(read.pk),
                object_id=read.pk if isinstance(read.pk, int) else None,
                object_repr=read.label,
                action=AuditEntry.Action.ACCESS,
                actor=actor,
                actor_email=getattr(actor, "email", None),
                remote_addr=remote_addr,
                organisation_id=getattr(actor, "organisation_id", None),
                about_person_id=read.person_id,
                reason=read.reason,
                additional_data={"shown": read.shown} if read.shown else None,
            )
            for read in reads
        ]
    )


# Methods that can show a page. Anything else is answered 405 before a view runs.
SHOWING_METHODS = frozenset({"GET", "HEAD", "POST"})


class ReadAuditMiddleware:
    """Gathers the reads of one request and writes them once it has been answered with
    something other than an error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        gathering = _RequestReads(actor=user)
        token = _gathering.set(gathering)
        try:
            response = self.get_response(request)
        finally:
            _gathering.reset(token)
        if response.status_code < 400 and request.method in SHOWING_METHODS:
            _write(
                list(gathering.reads.values()),
                actor=user,
                # Behind nginx, the client's address, not the proxy's.
                remote_addr=client_address(request),
            )
        return response
