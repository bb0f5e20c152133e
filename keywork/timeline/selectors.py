"""The person's timeline: everything about them, newest first, from every area.

Each area declares its kinds of event (keywork.core.timeline.TimelineKind) in its
contributions; this page merges them without knowing any of them."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import cast

from django.db import connection
from django.db.models import DateTimeField
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from keywork.accounts.models import User
from keywork.audit.reads import record_read
from keywork.core.contributions import contributed
from keywork.core.timeline import Source, TimelineKind
from keywork.people.models import Person

PAGE_SIZE = 25


@dataclass(frozen=True)
class Event:
    at: datetime
    kind: str  # the key of a TimelineKind
    title: str
    detail: str
    url: str
    shows_time: bool = False  # a timed event (a note) shows its time as well as its day


def all_kinds() -> dict[str, TimelineKind]:
    """Every kind of event, in the order the areas place them."""
    return {kind.key: kind for kind in contributed("timeline")}


def _day(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, datetime.min.time()))


@dataclass(frozen=True)
class Cursor:
    """Where the next page starts: at the moment `at`, after the `seen` events at that very
    moment already shown. Many events share a moment (everything dated sits at the start
    of its day), so the moment alone would lose those that fell past a page's end."""

    at: datetime
    seen: int = 0


def timeline(
    *,
    fetched_by: User,
    person: Person,
    kinds: set[str],
    after: Cursor | None,
    since: date | None,
) -> tuple[list[Event], Cursor | None]:
    """Everything about the person, newest first, one page at a time.

    One query finds the page: each source offers its newest rows up to the cursor and
    the database merges them. Then only the rows on the page are read in full, one query
    for each source that has any, so the work stays the same however long the person's
    history is."""
    after = after or Cursor(timezone.now() + timedelta(days=2))
    floor = _day(since) if since else None
    every_kind = all_kinds()
    sources = [
        source
        for key, kind in every_kind.items()
        if key in kinds
        for source in kind.sources(fetched_by, person)
    ]
    found = _newest(
        sources,
        person_id=person.pk,
        before=after.at,
        floor=floor,
        limit=after.seen + PAGE_SIZE + 1,
    )
    # The order is total (moment, source, row), so the events at the cursor's moment that
    # earlier pages showed come first; they are passed over.
    already = 0
    while already < min(after.seen, len(found)) and found[already][0] == after.at:
        already += 1
    found = found[already:]
    page = found[:PAGE_SIZE]
    ids_by_source: defaultdict[int, list[int]] = defaultdict(list)
    for _, row_id, index in page:
        ids_by_source[index].append(row_id)
    shown = {index: sources[index].describe(ids) for index, ids in ids_by_source.items()}
    # A row deleted between the two reads is left out, not an error.
    events = [
        Event(
            _showable(at),
            sources[index].kind,
            *shown[index][row_id],
            shows_time=every_kind[sources[index].kind].shows_time,
        )
        for at, row_id, index in page
        if row_id in shown[index]
    ]
    shown_ids: defaultdict[str, list[int]] = defaultdict(list)
    for _, row_id, index in page:
        if row_id in shown[index]:
            shown_ids[sources[index].rows.model._meta.label_lower].append(row_id)
    record_read(actor=fetched_by, obj=person, shown=cast(dict[str, Iterable[int]], shown_ids))
    older = None
    if len(found) > PAGE_SIZE:
        last = page[-1][0]
        seen = sum(1 for at, _, _ in page if at == last) + (already if last == after.at else 0)
        older = Cursor(last, seen)
    return events, older


def _newest(
    sources: list[Source],
    *,
    person_id: int,
    before: datetime,
    floor: datetime | None,
    limit: int,
) -> list[tuple[datetime, int, int]]:
    """The newest `limit` events of all the sources together up to `before` (itself
    included), as (when, row id, index of the source), newest first."""
    if not sources:
        return []
    arms, params = [], []
    for index, source in enumerate(sources):
        sql, arm_params = _arm_sql(
            source, person_id=person_id, before=before, floor=floor, limit=limit
        )
        # Each arm is the ORM's own SQL with its parameters kept apart; only the index, an
        # int of ours, is written into the text.
        arms.append(f'SELECT "kw_at", "kw_id", {index} FROM ({sql}) AS "kw_{index}"')  # noqa: S608
        params.extend(arm_params)
    query = " UNION ALL ".join(arms) + f" ORDER BY 1 DESC, 3 DESC, 2 DESC LIMIT {limit}"
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return [(_instant(at), row_id, index) for at, row_id, index in cursor.fetchall()]


# The SQL of a source whose rows depend on the person alone is the same for everyone but
# for its parameters, and building it is most of the Python time of a timeline page, so
# it is built once per process. It is kept only when its parameters turn out to be just
# the person's id, the cursor and the floor: the values that change between requests.
_ARM_SQL: dict[tuple, str] = {}


def _arm_sql(
    source: Source, *, person_id: int, before: datetime, floor: datetime | None, limit: int
) -> tuple[str, list]:
    """The SQL of one source's newest `limit` rows up to the cursor, and its parameters."""
    # A source is known by its model and its moment: no two sources share both.
    key = (
        connection.vendor,
        source.rows.model._meta.label,
        str(source.at),
        floor is not None,
        limit,
    )
    stamp = DateTimeField()
    varying = [
        person_id,
        *(stamp.get_db_prep_value(moment, connection) for moment in (before, floor) if moment),
    ]
    if not source.per_user and key in _ARM_SQL:
        return _ARM_SQL[key], varying
    rows = source.rows.annotate(kw_at=source.at, kw_id=source.id).filter(kw_at__lte=before)
    if floor:
        rows = rows.filter(kw_at__gte=floor)
    rows = rows.order_by("-kw_at", "-kw_id").values_list("kw_at", "kw_id")[:limit]
    sql, params = rows.query.sql_with_params()
    if not source.per_user and list(params) == varying:
        _ARM_SQL[key] = sql
    return sql, list(params)


# The first and last moments that London's clock can show. A row dated in year 1 (typed
# before dates were checked) sits at midnight UTC, which London's local time of then
# (GMT-0:01:15) puts in year 0, past the start of Python's calendar.
_EARLIEST_SHOWN = datetime(1, 1, 2, tzinfo=UTC)
_LATEST_SHOWN = datetime(9999, 12, 30, tzinfo=UTC)


def _showable(moment: datetime) -> datetime:
    """The moment an event shows, kept where London time can show it. Only what is shown
    moves: the order and the cursor keep the moment as stored."""
    return min(max(moment, _EARLIEST_SHOWN), _LATEST_SHOWN)


def _instant(value: datetime | str) -> datetime:
    """PostgreSQL gives an aware datetime; SQLite gives the text it stores, in UTC."""
    # SQLite's text is what Django wrote there: always a datetime.
    moment = cast(datetime, parse_datetime(value)) if isinstance(value, str) else value
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, UTC)
