"""What an area gives the person's timeline: its kinds of event and where they come from.

Each area declares `TimelineKind`s in its contributions; the timeline (keywork.timeline)
merges every kind's sources into one page. A source is a queryset of the person's rows
(already narrowed to what the reader may see), the moment of each row's event, and how
to show the rows that land on the page."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import DateTimeField, Expression, F, Func, QuerySet

# What an event shows: its title, a line of detail, and where it links to ("" for none).
Shown = tuple[str, str, str]


@dataclass(frozen=True)
class Source:
    """One kind of row that puts events on the timeline."""

    kind: str  # the key of the TimelineKind it belongs to
    rows: QuerySet  # the person's rows, narrowed to what the user may see
    at: Expression | F  # when each row's event happened
    describe: Callable[[list[int]], dict[int, Shown]]  # the shown rows, read in full
    id: Expression | F = F("pk")  # what tells the rows apart (and orders one moment's rows)
    # Which rows the user may see decides the SQL, not the person alone.
    per_user: bool = False


@dataclass(frozen=True)
class TimelineKind:
    """A kind of event the reader can pick: its key (in the page's address), its label,
    and the sources of its events for one person and reader: f(user, person)."""

    key: str
    label: str
    sources: Callable[[Any, Any], list[Source]]
    place: int = 50
    shows_time: bool = False  # its events have a time of day worth showing


class StartOf(Func):
    """A dated event sits at the start of its day (UTC), so that dated and timed events
    merge into one order, and a cursor part-way through a day still takes that day."""

    output_field = DateTimeField()
    template = "CAST(%(expressions)s AS timestamp with time zone)"

    def as_sqlite(self, compiler, connection, **extra_context):  # type: ignore[no-untyped-def]
        # Text in the form SQLite keeps its timestamps in (Django's Cast would add a
        # format parameter, which would keep the arm's SQL from being reused).
        return self.as_sql(compiler, connection, template="datetime(%(expressions)s)")


def shown_by_id(rows: Iterable[Any], show: Callable[[Any], Shown]) -> dict[int, Shown]:
    return {row.pk: show(row) for row in rows}
