"""Reads about people, already scoped to who is asking."""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from keywork import access
from keywork.accounts.models import Membership, User
from keywork.audit.reads import record_shown
from keywork.core.contributions import contributed
from keywork.core.fields import record_id_in
from keywork.organisations.models import Service, Team
from keywork.people import identifiers
from keywork.people.matching import Candidate, candidate_keys, fold, likely_matches
from keywork.people.models import Alert, Episode, EpisodeWorker, Person, Professional, Referral
from keywork.people.services import CO_WORKER_ROLES, KEY_WORKER_ROLES, candidate_from

SEARCH_LIMIT = 50


def person_or_404(*, fetched_by: User, person_id: int) -> Person:
    return access.visible_person_or_404(fetched_by, person_id)


def active_alerts(person: Person) -> list[Alert]:
    return list(person.alerts.filter(ended_at=None).order_by("-created_at"))


def person_header(person: Person) -> dict[str, object]:
    """What people/_person_header.html needs: the person and their open alerts."""
    return {"person": person, "alerts": active_alerts(person)}


def person_page(*, fetched_by: User, person_id: int) -> Person:
    """The person with everything their page shows, in a fixed number of queries."""
    return access.visible_person_or_404(fetched_by, person_id, with_related=_everything_shown)


def _everything_shown(people: QuerySet[Person]) -> QuerySet[Person]:
    return people.select_related("created_by").prefetch_related(
        "identifiers",
        "support_needs",
        "emergency_contacts",
        "consents",
        Prefetch("professionals", queryset=_professionals()),
        Prefetch(
            "episodes",
            queryset=Episode.objects.select_related("service", "key_worker").prefetch_related(
                Prefetch("co_workers", queryset=EpisodeWorker.objects.select_related("user")),
                # Where they live in the service now (the housing app's stays).
                Prefetch(
                    "tenancies",
                    # Django gives the model its `objects`; known here through the relation.
                    queryset=Episode.tenancies.rel.related_model.objects.filter(  # type: ignore[attr-defined]
                        end_date__isnull=True
                    ).select_related("unit__property"),
                    to_attr="current_stays",
                ),
            ),
        ),
        Prefetch(
            "referrals",
            queryset=Referral.objects.select_related("service").order_by("-received_on"),
        ),
        Prefetch(
            "alerts",
            queryset=Alert.objects.filter(ended_at=None).select_related("created_by"),
            to_attr="active_alerts",
        ),
    )


@dataclass(frozen=True)
class PossibleDuplicates:
    """The unresolved links from a person's record to others that may be the same
    person: those the viewer may open, and how many more are held where they cannot see
    (a manager of that service can)."""

    shown: list[tuple]  # (link, the other person)
    held_elsewhere: int


def possible_duplicates_of(*, fetched_by: User, person: Person) -> PossibleDuplicates:
    from keywork.people.models import PossibleDuplicate

    links = PossibleDuplicate.objects.filter(
        Q(person=person) | Q(other=person), resolved_at=None
    ).select_related("person", "other", "marked_by")
    pairs = [(link, link.other if link.person_id == person.pk else link.person) for link in links]
    if not pairs:
        return PossibleDuplicates([], 0)
    visible = set(
        access.people_visible_to(fetched_by)
        .filter(pk__in=[other.pk for _, other in pairs])
        .values_list("pk", flat=True)
    )
    shown = [(link, other) for link, other in pairs if other.pk in visible]
    return PossibleDuplicates(shown, len(pairs) - len(shown))


def _professionals() -> QuerySet[Professional]:
    return Professional.objects.select_related("agency").filter(ended_on=None)


# --- Search ------------------------------------------------------------------------------

_DATE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")


def _as_date(text: str) -> date | None:
    match = _DATE.match(text)
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def people_search(*, fetched_by: User, query: str) -> list[Person]:
    """By any name (part of it, any case, with or without accents), a date of birth
    written like 27/11/1980, or an identifier. Only among the people the user may see."""
    people = access.people_visible_to(fetched_by)
    # PostgreSQL refuses a NUL in text: no one searches for one, so it is dropped.
    query = query.replace("\x00", "").strip()[:100]
    if not query:
        return []
    conditions = Q()
    day = _as_date(query)
    if day:
        conditions |= Q(date_of_birth=day)
    compact = re.sub(r"[\s-]", "", query).upper()
    if re.fullmatch(r"[A-Z]{2}\d{6}[A-D]", compact):
        conditions |= Q(ni_number=compact)
    if re.fullmatch(r"\d{10}", compact):
        conditions |= Q(nhs_number=compact)
    if (record_number := record_id_in(query)) is not None:
        conditions |= Q(pk=record_number)
    conditions |= Q(identifiers__value__iexact=query)
    words = fold(query).split()
    if words and not day:
        name_match = Q()
        for word in words:
            name_match &= Q(search_names__contains=word)
        conditions |= name_match
    found = list(
        people.filter(conditions)
        .distinct()
        .annotate(open_alerts=Count("alerts", filter=Q(alerts__ended_at=None), distinct=True))
        .order_by("last_name", "first_name", "pk")[:SEARCH_LIMIT]
    )
    record_shown(actor=fetched_by, model=Person, objects=found)
    return found


# --- Duplicates --------------------------------------------------------------------------


@dataclass(frozen=True)
class LikelyDuplicate:
    """A record that may be the person being entered. Of one the user may not open,
    nothing is shown but the service that holds it, and a sealed reference with which
    they can ask that service's managers to check (duplicate_check_ask)."""

    person: Person | None  # None where the user may not see the record
    score: int
    reasons: tuple[str, ...]
    visible: bool
    held_by: str = ""  # the service holding a record the user may not see
    reference: str = ""  # sealed: names the record to that service's managers only


def likely_duplicates(
    *,
    fetched_by: User,
    first_name: str,
    last_name: str,
    date_of_birth: date | None = None,
    ni_number: str = "",
    nhs_number: str = "",
    exclude_id: int | None = None,
) -> list[LikelyDuplicate]:
    """Records in the organisation that may be the same person as the one being entered.

    The whole organisation is searched, not only the user's caseload: a duplicate in
    another team matters just as much. Of a match the user cannot open nothing of the
    person is shown (not even why it matched, which would repeat their names): only
    that a possible match is held by another service, and a way to ask its managers."""
    keys = candidate_keys(first_name, last_name)
    name_filter = Q()
    for key in keys:
        name_filter |= Q(match_keys__contains=key)
    ni = identifiers.normalise_ni_number(ni_number) if ni_number else ""
    nhs = identifiers.normalise_nhs_number(nhs_number) if nhs_number else ""
    pool = Person.objects.filter(organisation_id=fetched_by.organisation_id, merged_into=None)
    filters = name_filter
    if date_of_birth:
        filters |= Q(date_of_birth=date_of_birth)
    if ni:
        filters |= Q(ni_number=ni)
    if nhs:
        filters |= Q(nhs_number=nhs)
    pool = pool.filter(filters).prefetch_related("identifiers")
    if exclude_id:
        pool = pool.exclude(pk=exclude_id)
    people = {p.pk: p for p in pool[:500]}
    new = Candidate(
        id=0,
        first_name=first_name,
        last_name=last_name,
        other_names=(),
        date_of_birth=date_of_birth,
        birth_year=None,
        identifiers=frozenset(([f"NI:{ni}"] if ni else []) + ([f"NHS:{nhs}"] if nhs else [])),
    )
    matches = likely_matches(new, [candidate_from(p) for p in people.values()])
    visible = set(
        access.people_visible_to(fetched_by)
        .filter(pk__in=[m.candidate_id for m in matches])
        .values_list("pk", flat=True)
    )
    hidden = [m.candidate_id for m in matches if m.candidate_id not in visible]
    held_by = services_holding(hidden)
    return [
        LikelyDuplicate(people[m.candidate_id], m.score, m.reasons, True)
        if m.candidate_id in visible
        else LikelyDuplicate(
            None,
            m.score,
            (),
            False,
            held_by=held_by.get(m.candidate_id, "another team"),
            reference=duplicate_reference(m.candidate_id),
        )
        for m in matches
    ]


DUPLICATE_SALT = "keywork.people.duplicate-check"


def duplicate_reference(person_id: int) -> str:
    from django.core import signing

    return signing.dumps(person_id, salt=DUPLICATE_SALT, compress=True)


def services_holding(person_ids: list[int]) -> dict[int, str]:
    """The service that holds each person most recently (support first, then a
    referral): what a worker who may not see them is told, to know whom to ask."""
    held: dict[int, str] = {}
    if not person_ids:
        return held
    for person_id, service in (
        Referral.objects.filter(person_id__in=person_ids)
        .order_by("received_on", "pk")
        .values_list("person_id", "service__name")
    ):
        held[person_id] = service
    for person_id, service in (
        Episode.objects.filter(person_id__in=person_ids)
        .order_by("start_date", "pk")
        .values_list("person_id", "service__name")
    ):
        held[person_id] = service
    return held


# --- Referrals and waiting lists ---------------------------------------------------------


def waiting_list(*, fetched_by: User, service: Service) -> list[Referral]:
    """Open referrals to the service, oldest first, with the days each has waited."""
    today = timezone.localdate()
    referrals = list(
        Referral.objects.filter(service=service, status__in=Referral.OPEN_STATUSES)
        .select_related("person", "source_agency")
        .order_by("received_on", "pk")
    )
    for referral in referrals:
        referral.days_waiting = (today - referral.received_on).days  # type: ignore[attr-defined]
    return referrals


def service_for_casework_or_404(*, fetched_by: User, service_id: int) -> Service:
    return access.get_visible_or_404(access.services_for_casework(fetched_by), pk=service_id)


def referral_or_404(*, fetched_by: User, referral_id: int) -> Referral:
    referrals = Referral.objects.filter(
        person__in=access.people_visible_to(fetched_by)
    ).select_related("person", "service")
    return access.get_visible_or_404(referrals, pk=referral_id)


def episode_or_404(*, fetched_by: User, episode_id: int) -> Episode:
    episodes = Episode.objects.filter(
        person__in=access.people_visible_to(fetched_by)
    ).select_related("person", "service", "key_worker")
    return access.get_visible_or_404(episodes, pk=episode_id)


def _active_staff(
    organisation_id: int, roles: Iterable[str], **membership: object
) -> QuerySet[User]:
    filters = {f"memberships__{name}": value for name, value in membership.items()}
    return (
        User.objects.filter(
            organisation_id=organisation_id,
            is_active=True,
            memberships__role__in=roles,
            **filters,
        )
        .distinct()
        .order_by("full_name")
    )


def possible_key_workers(service: Service) -> QuerySet[User]:
    return _active_staff(service.organisation_id, KEY_WORKER_ROLES, team__services=service)


def possible_key_workers_for_team(team: Team) -> QuerySet[User]:
    return _active_staff(team.organisation_id, KEY_WORKER_ROLES, team=team)


def possible_co_workers(organisation_id: int) -> QuerySet[User]:
    return _active_staff(organisation_id, CO_WORKER_ROLES)


# --- Caseloads ---------------------------------------------------------------------------


class CellPart(tuple[str, str]):
    """One (text, colour) of a caseload cell, drawn as a GOV.UK tag when it has a colour."""

    badge = False


class Level(CellPart):
    """A level (of risk): drawn as an MOJ badge, outlined, so that it never looks like the
    filled tag beside it that says when something is due."""

    badge = True


@dataclass(frozen=True)
class CaseloadColumn:
    """A column of the caseload table, contributed by an area ("caseload_columns"):
    `annotate` adds what the column needs to the episodes query in one step, `cell`
    turns a row into text and a RAG status; `place` orders the columns (lower first)."""

    label: str
    annotate: Callable[[QuerySet[Episode]], QuerySet[Episode]]
    # One (text, colour), or several for a cell that says more than one thing.
    cell: Callable[[Episode], tuple[str, str] | list[tuple[str, str]]]
    place: int = 50
    # What the column adds about the reader's own work (their drafts...), on My caseload.
    annotate_for_reader: Callable[[QuerySet[Episode], User], QuerySet[Episode]] | None = None


def _alerts_annotation(episodes: QuerySet[Episode]) -> QuerySet[Episode]:
    # A count of its own (not a join shared with the other columns, whose rows would
    # multiply one another's) for each row.
    open_alerts = (
        Alert.objects.filter(person=OuterRef("person_id"), ended_at=None)
        .order_by()
        .values("person")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return episodes.annotate(open_alert_count=Coalesce(Subquery(open_alerts), 0))


def _alerts_cell(episode: Episode) -> tuple[str, str]:
    count = episode.open_alert_count  # type: ignore[attr-defined]  # annotated by _alerts_annotation
    return (
        f"{count} alert{'s' if count != 1 else ''}" if count else "None",
        "red" if count else "",
    )


# Last, after every area's columns.
ALERTS_COLUMN = CaseloadColumn("Alerts", _alerts_annotation, _alerts_cell, place=90)


def caseload_columns() -> tuple[CaseloadColumn, ...]:
    """Every area's caseload columns, in their places."""
    return contributed("caseload_columns")


CASELOAD_SORTS = {
    "name": ("person__last_name", "person__first_name", "pk"),
    "service": ("service__name", "person__last_name", "pk"),
    "start": ("start_date", "pk"),
    "-start": ("-start_date", "-pk"),
}


def _caseload_query(
    episodes: QuerySet[Episode], sort: str, *, with_key_worker: bool, reader: User | None = None
) -> QuerySet[Episode]:
    for column in caseload_columns():
        episodes = column.annotate(episodes)
        if reader is not None and column.annotate_for_reader is not None:
            episodes = column.annotate_for_reader(episodes, reader)
    ordering = CASELOAD_SORTS.get(sort, CASELOAD_SORTS["name"])
    related = ("person", "service", "key_worker") if with_key_worker else ("person", "service")
    return episodes.select_related(*related).order_by(*ordering)


def _parts(cell: tuple[str, str] | list[tuple[str, str]]) -> list[CellPart]:
    """A cell is one (text, colour) or several, shown side by side."""
    parts = cell if isinstance(cell, list) else [cell]
    return [part if isinstance(part, CellPart) else CellPart(part) for part in parts]


def _with_cells(rows: list[Episode]) -> list[Episode]:
    today = timezone.localdate()
    columns = caseload_columns()
    for row in rows:
        row.days_in_support = (today - row.start_date).days  # type: ignore[attr-defined]
        cells = [column.cell(row) for column in columns]
        row.cells = cells  # type: ignore[attr-defined]
        # For the page: each cell with its column's name (a phone shows it beside the
        # value) and whether it is red, amber or green (those come first on a phone).
        row.cell_parts = [  # type: ignore[attr-defined]
            {"label": column.label, "parts": parts, "rag": any(rag for _, rag in parts)}
            for column, parts in zip(columns, map(_parts, cells), strict=True)
        ]
    return rows


def my_caseload(*, user: User, sort: str = "name") -> list[Episode]:
    """The open episodes the user is key worker or co-worker on."""
    # Ids from the two indexes (key worker, co-worker), not a test of every open episode:
    # the planner cannot use an index for "key worker OR co-worker".
    mine = (
        Episode.objects.filter(key_worker=user)
        .order_by()
        .values("pk")
        .union(EpisodeWorker.objects.filter(user=user).order_by().values("episode_id"))
    )
    episodes = Episode.objects.filter(
        organisation_id=user.organisation_id, end_date=None, pk__in=mine
    )
    # The key worker is named only as "you" or not: their row is not needed.
    rows = _with_cells(list(_caseload_query(episodes, sort, with_key_worker=False, reader=user)))
    for row in rows:
        row.my_role = "Key worker" if row.key_worker_id == user.pk else "Co-worker"  # type: ignore[attr-defined]
    return rows


def team_or_404(*, fetched_by: User, team_id: int) -> Team:
    return access.get_visible_or_404(access.teams_managed_by(fetched_by), pk=team_id)


@dataclass(frozen=True)
class Workload:
    worker: User
    role: str
    open_episodes: int


TEAM_CASELOAD_PAGE_SIZE = 50


def team_caseload(
    *,
    team: Team,
    sort: str = "name",
    worker_id: int | None = None,
    page_number: str | None = None,
) -> tuple[Page, list["Workload"]]:
    """A page of the open episodes in the team's services (a large service supports
    hundreds of people), and each team member's workload."""
    service_ids = list(team.services.values_list("pk", flat=True))
    episodes = Episode.objects.filter(service_id__in=service_ids, end_date=None)
    if worker_id:
        episodes = episodes.filter(key_worker_id=worker_id)
    rows = _caseload_query(episodes, sort, with_key_worker=True)
    page = Paginator(rows, TEAM_CASELOAD_PAGE_SIZE).get_page(page_number)
    page.object_list = _with_cells(list(page.object_list))
    memberships = (
        Membership.objects.filter(team=team, user__is_active=True)
        .select_related("user")
        .annotate(
            open_episodes=Count(
                "user__key_work_episodes",
                filter=Q(
                    user__key_work_episodes__end_date=None,
                    user__key_work_episodes__service_id__in=service_ids,
                ),
                distinct=True,
            )
        )
        .order_by("user__full_name")
    )
    workloads = [
        Workload(worker=m.user, role=m.get_role_display(), open_episodes=m.open_episodes)
        for m in memberships
    ]
    return page, workloads


def break_glass_match(
    *,
    fetched_by: User,
    record_number: int | None,
    ni_number: str,
    nhs_number: str,
    last_name: str,
    date_of_birth: date | None,
) -> Person | None:
    """The one record in the organisation that matches exactly, or None. Exact matches
    only, so break-glass cannot be used to browse."""
    people = Person.objects.filter(organisation_id=fetched_by.organisation_id, merged_into=None)
    if record_number:
        people = people.filter(pk=record_number)
    if ni_number:
        people = people.filter(ni_number=identifiers.normalise_ni_number(ni_number))
    if nhs_number:
        people = people.filter(nhs_number=identifiers.normalise_nhs_number(nhs_number))
    if last_name and date_of_birth:
        people = people.filter(last_name__iexact=last_name.strip(), date_of_birth=date_of_birth)
    found = list(people[:2])
    return found[0] if len(found) == 1 else None


# Where a person is likely to have gone when support ends, from other apps' records (a
# housing application that got them housed): each takes the episode and returns a
# destination value or None. The first answer fills in the form; the worker can change it.
def destination_hint(episode: Episode) -> str | None:
    """Where the person went, as an area knows it (a move-on plan...), to suggest when
    support ends."""
    for hint in contributed("destination_hints"):
        if destination := hint(episode):
            return destination
    return None
