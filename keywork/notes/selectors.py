from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import (
    Count,
    DateTimeField,
    Expression,
    F,
    Func,
    Min,
    Prefetch,
    QuerySet,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from keywork import access
from keywork.accounts.models import User
from keywork.audit.reads import record_read, record_shown
from keywork.notes import search
from keywork.notes.models import FileNote, FileNoteVersion, NoteDraft
from keywork.people.models import Alert, Episode, Person, Referral
from keywork.planning.models import Goal

SEARCH_LIMIT = 50


def notes_of(*, fetched_by: User, person: Person) -> QuerySet[FileNote]:
    return (
        access.notes_visible_to(fetched_by, about=person)
        .select_related("author", "episode__service")
        .order_by("-contact_at", "-pk")
    )


def note_page(*, fetched_by: User, person: Person, page_number: str | None, per_page: int):
    """One page of the person's notes; the notes it shows are a read of their record."""
    page = Paginator(notes_of(fetched_by=fetched_by, person=person), per_page).get_page(page_number)
    record_shown(actor=fetched_by, model=FileNote, objects=page.object_list, about=person)
    return page


def note_or_404(*, fetched_by: User, note_id: int) -> FileNote:
    notes = (
        access.notes_visible_to(fetched_by)
        .select_related("person", "author", "episode__service", "voided_by")
        .prefetch_related(
            "named_staff",
            "staff_present",
            "attachments",
            "actions",
            Prefetch("goals", queryset=Goal.objects.select_related("domain")),
            Prefetch("versions", queryset=FileNoteVersion.objects.select_related("written_by")),
        )
    )
    return access.get_visible_or_404(notes, pk=note_id)


def draft_of(*, user: User, person: Person) -> NoteDraft | None:
    return NoteDraft.objects.filter(user=user, person=person).first()


def note_search(*, fetched_by: User, query: str):
    person_first = access.people_visible_to(fetched_by).count() <= search.PERSON_FIRST_LIMIT
    results, total = search.search(
        access.notes_visible_to(fetched_by), query, SEARCH_LIMIT, person_first=person_first
    )
    record_shown(actor=fetched_by, model=FileNote, objects=[note for note, _ in results])
    return results, total


# --- The timeline ------------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    at: datetime
    kind: str  # one of TIMELINE_KINDS
    title: str
    detail: str
    url: str


TIMELINE_KINDS = {
    "note": "File notes",
    "referral": "Referrals",
    "episode": "Support",
    "alert": "Alerts",
    "appointment": "Appointments",
    "plan": "Support plans",
    "outcomes": "Assessments and ratings",
    "risk": "Risk and safety",
    "housing": "Housing and move-on",
    "activities": "Learning, work and activity",
}
PAGE_SIZE = 25

# What an event shows: its title, a line of detail, and where it links to ("" for none).
Shown = tuple[str, str, str]


@dataclass(frozen=True)
class _Source:
    """One kind of row that puts events on the timeline."""

    kind: str  # one of TIMELINE_KINDS
    rows: QuerySet  # the person's rows, narrowed to what the user may see
    at: Expression  # when each row's event happened
    describe: Callable[[list[int]], dict[int, Shown]]  # the shown rows, read in full
    id: Expression = F("pk")  # what tells the rows apart (and orders those at one moment)
    # Which rows the user may see decides the SQL, not the person alone (see _arm_sql).
    per_user: bool = False


class _StartOf(Func):
    """A dated event sits at the start of its day (UTC), so that dated and timed events
    merge into one order, and a cursor part-way through a day still takes that day."""

    output_field = DateTimeField()
    template = "CAST(%(expressions)s AS timestamp with time zone)"

    def as_sqlite(self, compiler, connection, **extra_context):
        # Text in the form SQLite keeps its timestamps in (Django's Cast would add a
        # format parameter, which would keep the arm's SQL from being reused).
        return self.as_sql(compiler, connection, template="datetime(%(expressions)s)")


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
    after = after or Cursor(timezone.now() + timezone.timedelta(days=2))
    floor = _day(since) if since else None
    sources = [
        source
        for kind, sources_of in _SOURCES.items()
        if kind in kinds
        for source in sources_of(fetched_by, person)
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
    ids_by_source = defaultdict(list)
    for _, row_id, index in page:
        ids_by_source[index].append(row_id)
    shown = {index: sources[index].describe(ids) for index, ids in ids_by_source.items()}
    # A row deleted between the two reads is left out, not an error.
    events = [
        Event(at, sources[index].kind, *shown[index][row_id])
        for at, row_id, index in page
        if row_id in shown[index]
    ]
    shown_ids = defaultdict(list)
    for _, row_id, index in page:
        if row_id in shown[index]:
            shown_ids[sources[index].rows.model._meta.label_lower].append(row_id)
    record_read(actor=fetched_by, obj=person, shown=shown_ids)
    older = None
    if len(found) > PAGE_SIZE:
        last = page[-1][0]
        seen = sum(1 for at, _, _ in page if at == last) + (already if last == after.at else 0)
        older = Cursor(last, seen)
    return events, older


def _newest(
    sources: list[_Source],
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
    source: _Source, *, person_id: int, before: datetime, floor: datetime | None, limit: int
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


def _instant(value: datetime | str) -> datetime:
    """PostgreSQL gives an aware datetime; SQLite gives the text it stores, in UTC."""
    if isinstance(value, str):
        value = parse_datetime(value)
    return value if timezone.is_aware(value) else timezone.make_aware(value, UTC)


def _shown_by_id(rows, show: Callable) -> dict[int, Shown]:
    return {row.pk: show(row) for row in rows}


def _note_sources(fetched_by: User, person: Person) -> list[_Source]:
    notes = access.notes_visible_to(fetched_by, about=person)

    def show(n: FileNote) -> Shown:
        return (
            f"{n.get_contact_type_display()}: {n.subject}" + (" (void)" if n.is_void else ""),
            f"By {n.author.full_name}"
            + (" · late entry" if n.is_late_entry else "")
            + (" · restricted" if n.restricted else ""),
            reverse("notes:note", args=[n.pk]),
        )

    return [
        _Source(
            "note",
            notes,
            F("contact_at"),
            lambda ids: _shown_by_id(notes.filter(pk__in=ids).select_related("author"), show),
            per_user=True,
        )
    ]


def _referral_sources(fetched_by: User, person: Person) -> list[_Source]:
    referrals = Referral.objects.filter(person=person)

    def show(r: Referral) -> Shown:
        return (
            f"Referral to {r.service}",
            r.get_status_display(),
            reverse("people:referral", args=[r.pk]),
        )

    return [
        _Source(
            "referral",
            referrals,
            _StartOf("received_on"),
            lambda ids: _shown_by_id(referrals.filter(pk__in=ids).select_related("service"), show),
        )
    ]


def _episode_sources(fetched_by: User, person: Person) -> list[_Source]:
    episodes = Episode.objects.filter(person=person)

    def started(e: Episode) -> Shown:
        return (f"Support started: {e.service}", f"Key worker {e.key_worker.full_name}", "")

    def ended(e: Episode) -> Shown:
        return (
            f"Support ended: {e.service}",
            f"{e.get_end_reason_display()}, to {e.get_destination_display().lower()}",
            "",
        )

    def read(ids):
        return episodes.filter(pk__in=ids).select_related("service", "key_worker")

    return [
        _Source(
            "episode",
            episodes,
            _StartOf("start_date"),
            lambda ids: _shown_by_id(read(ids), started),
        ),
        _Source(
            "episode",
            episodes.exclude(end_date=None),
            _StartOf("end_date"),
            lambda ids: _shown_by_id(read(ids), ended),
        ),
    ]


def _alert_sources(fetched_by: User, person: Person) -> list[_Source]:
    alerts = Alert.objects.filter(person=person)

    def show(a: Alert) -> Shown:
        return (f"Alert: {a.text}", "Ended" if a.ended_at else a.get_level_display(), "")

    return [
        _Source(
            "alert",
            alerts,
            F("created_at"),
            lambda ids: _shown_by_id(alerts.filter(pk__in=ids), show),
        )
    ]


def _appointment_sources(fetched_by: User, person: Person) -> list[_Source]:
    # Only what the line shows: not the risk and staff that go with an appointment's page.
    appointments = (
        appointments_visible_to(fetched_by, about=person)
        .select_related(None)
        .prefetch_related(None)
    )

    def show(a) -> Shown:
        return (
            f"Appointment: {a.get_kind_display()}",
            a.get_status_display(),
            reverse("notes:appointment", args=[a.pk]),
        )

    return [
        _Source(
            "appointment",
            appointments,
            F("starts_at"),
            lambda ids: _shown_by_id(appointments.filter(pk__in=ids), show),
            per_user=True,
        )
    ]


def _plan_sources(fetched_by: User, person: Person) -> list[_Source]:
    """Versions of the plan kept when it was agreed, and reviews (each of which keeps a
    version, shown once, as the review)."""
    from keywork.planning.models import PlanVersion, Review

    versions = PlanVersion.objects.filter(plan__person=person, review__isnull=True)
    reviews = Review.objects.filter(plan__person=person)

    def show_version(v: PlanVersion) -> Shown:
        return (
            f"Support plan version {v.number}",
            v.reason,
            reverse("planning:plan_version", args=[v.plan_id, v.number]),
        )

    def show_review(r: Review) -> Shown:
        return (
            f"Support plan reviewed ({r.held_on:%d/%m/%Y})",
            f"By {r.held_by.full_name}" + (f": {r.summary[:160]}" if r.summary else ""),
            reverse("planning:plan_version", args=[r.plan_id, r.version.number])
            if hasattr(r, "version")
            else reverse("planning:plan", args=[r.plan_id]),
        )

    return [
        _Source(
            "plan",
            versions,
            F("frozen_at"),
            lambda ids: _shown_by_id(versions.filter(pk__in=ids).defer("snapshot"), show_version),
        ),
        _Source(
            "plan",
            reviews,
            F("created_at"),
            lambda ids: _shown_by_id(
                reviews.filter(pk__in=ids)
                .select_related("held_by", "version")
                .defer("version__snapshot"),
                show_review,
            ),
        ),
    ]


def _outcome_sources(fetched_by: User, person: Person) -> list[_Source]:
    """Assessments of needs and strengths, and outcome ratings (one event per day's
    ratings in an episode, not one per area)."""
    from keywork.outcomes.models import Rating
    from keywork.planning.models import Assessment

    assessments = Assessment.objects.filter(person=person)
    ratings = Rating.objects.filter(episode__person=person)

    def show_assessment(a: Assessment) -> Shown:
        return (
            "Needs and strengths assessed",
            f"By {a.assessed_by.full_name}",
            reverse("planning:assessment", args=[a.pk]),
        )

    def describe_rating_days(first_ids: list[int]) -> dict[int, Shown]:
        days = {
            d["first"]: d
            for d in ratings.filter(
                rated_on__in=ratings.filter(pk__in=first_ids).values("rated_on")
            )
            .values("episode__support_plan", "rated_on")
            .annotate(areas=Count("pk"), first=Min("pk"))
        }
        return {
            first: (
                "Outcome ratings",
                f"{d['areas']} area{'s' if d['areas'] != 1 else ''} of life rated",
                reverse("planning:outcomes", args=[d["episode__support_plan"]])
                if d["episode__support_plan"]
                else "",
            )
            for first, d in days.items()
            if first in first_ids
        }

    return [
        _Source(
            "outcomes",
            assessments,
            _StartOf("assessed_on"),
            lambda ids: _shown_by_id(
                assessments.filter(pk__in=ids).select_related("assessed_by"), show_assessment
            ),
        ),
        _Source(
            "outcomes",
            ratings.values("episode__support_plan", "rated_on"),
            _StartOf("rated_on"),
            describe_rating_days,
            id=Min("pk"),
        ),
    ]


def _risk_sources(fetched_by: User, person: Person) -> list[_Source]:
    """Saves of the risk assessment, the person's part in incidents (nothing of anyone
    else in them), and safeguarding referrals."""
    from keywork.risk.models import IncidentPerson, RiskVersion, SafeguardingReferral

    versions = RiskVersion.objects.filter(assessment__person=person)
    parts = IncidentPerson.objects.filter(person=person)
    referrals = SafeguardingReferral.objects.filter(person=person)

    def show_version(v: RiskVersion) -> Shown:
        return (
            f"Risk assessment version {v.number}: {v.get_overall_display().lower()} overall",
            f"By {v.saved_by.full_name}",
            reverse("risk:risk_version", args=[person.pk, v.number]),
        )

    def show_part(p: IncidentPerson) -> Shown:
        return (
            f"Incident: {p.incident.get_type_display()}",
            f"{p.incident.get_severity_display()} · "
            + ("signed off" if p.incident.signed_off_at else "waiting for a manager"),
            reverse("risk:incident_part", args=[p.pk]),
        )

    def show_referral(r: SafeguardingReferral) -> Shown:
        return (
            f"Safeguarding referral to {r.referred_to}",
            r.get_outcome_display(),
            reverse("risk:safeguarding", args=[r.pk]),
        )

    return [
        _Source(
            "risk",
            versions,
            F("saved_at"),
            lambda ids: _shown_by_id(
                versions.filter(pk__in=ids).select_related("saved_by").defer("snapshot"),
                show_version,
            ),
        ),
        _Source(
            "risk",
            parts,
            F("incident__occurred_at"),
            lambda ids: _shown_by_id(
                parts.filter(pk__in=ids).select_related("incident"), show_part
            ),
        ),
        _Source(
            "risk",
            referrals,
            F("created_at"),
            lambda ids: _shown_by_id(referrals.filter(pk__in=ids), show_referral),
        ),
    ]


def _housing_sources(fetched_by: User, person: Person) -> list[_Source]:
    """Moves in and out of the service's rooms, housing applications and the checks
    after a move-on."""
    from keywork.housing.models import HousingApplication, SustainmentCheck, Tenancy

    stays = Tenancy.objects.filter(person=person)
    applications = HousingApplication.objects.filter(plan__person=person)
    checks = SustainmentCheck.objects.filter(person=person)

    def read_stays(ids):
        return stays.filter(pk__in=ids).select_related("unit__property")

    def moved_in(t: Tenancy) -> Shown:
        url = reverse("housing:episode", args=[t.episode_id])
        return (f"Moved into {t.unit}", t.get_kind_display(), url)

    def moved_out(t: Tenancy) -> Shown:
        return (f"Moved out of {t.unit}", "", reverse("housing:episode", args=[t.episode_id]))

    def show_application(a: HousingApplication) -> Shown:
        return (
            f"Housing application: {a.get_route_display()}",
            f"{a.get_status_display()} ({a.status_on:%d/%m/%Y})",
            reverse("housing:application", args=[a.pk]),
        )

    def show_check(c: SustainmentCheck) -> Shown:
        return (
            f"{c.months}-month check after moving on",
            "Still housed" if c.still_housed else "Not housed",
            reverse("housing:episode", args=[c.episode_id]),
        )

    return [
        _Source(
            "housing",
            stays,
            _StartOf("start_date"),
            lambda ids: _shown_by_id(read_stays(ids), moved_in),
        ),
        _Source(
            "housing",
            stays.exclude(end_date=None),
            _StartOf("end_date"),
            lambda ids: _shown_by_id(read_stays(ids), moved_out),
        ),
        _Source(
            "housing",
            applications,
            _StartOf("applied_on"),
            lambda ids: _shown_by_id(applications.filter(pk__in=ids), show_application),
        ),
        _Source(
            "housing",
            checks,
            _StartOf("checked_on"),
            lambda ids: _shown_by_id(checks.filter(pk__in=ids), show_check),
        ),
    ]


def _activity_sources(fetched_by: User, person: Person) -> list[_Source]:
    from keywork.activities.models import OutcomeEvent

    happenings = OutcomeEvent.objects.filter(activity__person=person)

    def show(e: OutcomeEvent) -> Shown:
        return (
            f"{e.get_kind_display()}: {e.activity.title}",
            e.detail or e.activity.get_kind_display(),
            reverse("activities:activities", args=[person.pk]),
        )

    return [
        _Source(
            "activities",
            happenings,
            _StartOf("happened_on"),
            lambda ids: _shown_by_id(
                happenings.filter(pk__in=ids).select_related("activity"), show
            ),
        )
    ]


# Each kind's sources, in the order of TIMELINE_KINDS.
_SOURCES = {
    "note": _note_sources,
    "referral": _referral_sources,
    "episode": _episode_sources,
    "alert": _alert_sources,
    "appointment": _appointment_sources,
    "plan": _plan_sources,
    "outcomes": _outcome_sources,
    "risk": _risk_sources,
    "housing": _housing_sources,
    "activities": _activity_sources,
}


# --- Appointments ------------------------------------------------------------------------


def appointments_visible_to(user: User, *, about: Person | None = None) -> QuerySet:
    """Appointments with people the user may see (with `about`, with that one person,
    checked once: see access.notes_visible_to)."""
    from keywork.notes.models import Appointment

    appointments = access.scoped_to_organisation(user, Appointment.objects.all())
    if about is None:
        appointments = appointments.filter(person__in=access.people_visible_to(user))
    elif access.may_see_person(user, about):
        appointments = appointments.filter(person=about)
    else:
        appointments = appointments.none()
    return (
        appointments
        # The risk goes with every appointment: a worker sees it before they go.
        .select_related("person__risk_assessment", "episode__service").prefetch_related(
            "staff", "person__risk_assessment__areas"
        )
    )


def my_appointments(*, user: User, days_back: int = 7) -> QuerySet:
    since = timezone.now() - timezone.timedelta(days=days_back)
    return (
        appointments_visible_to(user)
        .filter(staff=user, starts_at__gte=since)
        .order_by("starts_at", "pk")
    )


def appointment_or_404(*, fetched_by: User, appointment_id: int):
    return access.get_visible_or_404(appointments_visible_to(fetched_by), pk=appointment_id)


def calendar_appointments(user: User) -> QuerySet:
    """What a worker's calendar feed holds: their appointments from a month ago to six
    months ahead, cancelled ones left out."""
    from keywork.notes.models import Appointment

    now = timezone.now()
    return (
        Appointment.objects.filter(
            organisation_id=user.organisation_id,
            staff=user,
            starts_at__gte=now - timezone.timedelta(days=30),
            starts_at__lte=now + timezone.timedelta(days=183),
        )
        .exclude(status=Appointment.Status.CANCELLED)
        .select_related("person")
        .order_by("starts_at")
    )
