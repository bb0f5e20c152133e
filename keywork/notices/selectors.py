"""Reads for notices and leaflets, scoped to who asks: the notices of the services they
work in, and of the people they may see only (who had a notice, who has not yet)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from statistics import median
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from keywork import access
from keywork.accounts.models import User
from keywork.audit.reads import record_shown
from keywork.core.errors import NotFoundOrNotAllowed
from keywork.events.models import Event, SignUp
from keywork.events.selectors import events_visible_to
from keywork.housing.models import Property, Tenancy
from keywork.notices.models import Notice, NoticeFile, NoticeFor, Receipt
from keywork.organisations.models import Service
from keywork.people.matching import fold
from keywork.people.models import Episode, Person


def services_for_notices(user: User) -> QuerySet[Service]:
    """The services whose notices the user may see and give out: those they do casework
    in (support assistants too)."""
    return access.services_for_casework(user)


def notices_visible_to(user: User) -> QuerySet[Notice]:
    notices = access.scoped_to_organisation(user, Notice.objects.all())
    return notices.filter(service__in=services_for_notices(user))


def notice_or_404(*, fetched_by: User, notice_id: int) -> Notice:
    return access.get_visible_or_404(
        notices_visible_to(fetched_by).select_related(
            "service", "property", "event", "created_by", "withdrawn_by"
        ),
        pk=notice_id,
    )


def properties_for_notices(user: User) -> QuerySet[Property]:
    return Property.objects.filter(service__in=services_for_notices(user)).select_related("service")


def _living_in(property_id: int, today: date) -> QuerySet[Tenancy]:
    return Tenancy.objects.filter(unit__property_id=property_id, start_date__lte=today).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=today)
    )


def _supported_by(service_id: int, today: date) -> QuerySet[Episode]:
    return Episode.objects.filter(service_id=service_id, start_date__lte=today).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )


def signed_up_to(event_id: int) -> QuerySet[SignUp]:
    """Who is on a list of one of the event's sessions (with a place, waiting for one, or
    on the register), past sessions and cancelled ones too (a notice that the trip is off
    is for them most of all), unless they cancelled their place."""
    return SignUp.objects.filter(session__event_id=event_id).exclude(status=SignUp.Status.CANCELLED)


def audience_ids(
    *,
    audience: str,
    service_id: int,
    property_id: int | None,
    named: QuerySet[NoticeFor] | None = None,
    event_id: int | None = None,
    today: date | None = None,
) -> QuerySet:
    """The ids of the people a notice is for today (everyone, seen or not: the services
    ask this to refuse an empty audience; pages narrow it to who the reader may see)."""
    today = today or timezone.localdate()
    if audience == Notice.Audience.PROPERTY and property_id is not None:
        return _living_in(property_id, today).values("person_id")
    if audience == Notice.Audience.PEOPLE:
        return (named if named is not None else NoticeFor.objects.none()).values("person_id")
    if audience == Notice.Audience.GROUP:
        if event_id is None:
            return SignUp.objects.none().values("person_id")
        return signed_up_to(event_id).values("person_id")
    return _supported_by(service_id, today).values("person_id")


def audience_of(notice: Notice) -> QuerySet[Person]:
    ids = audience_ids(
        audience=notice.audience,
        service_id=notice.service_id,
        property_id=notice.property_id,
        named=NoticeFor.objects.filter(notice=notice),
        event_id=notice.event_id,
    )
    return Person.objects.filter(pk__in=ids, merged_into=None)


def events_for_notices(user: User) -> QuerySet[Event]:
    """The events a notice for a group may be for: those of the services the user works
    in that they may see."""
    return (
        events_visible_to(user)
        .filter(services__in=services_for_notices(user))
        .distinct()
        .order_by("title", "first_date", "pk")
    )


@dataclass(frozen=True)
class Delivery:
    """Of the people the reader may see: who had the notice (and how soon), who has not."""

    receipts: list[Receipt]
    not_yet: list[Person]

    @property
    def reached(self) -> int:
        return len(self.receipts) + len(self.not_yet)

    @property
    def acknowledged(self) -> int:
        return sum(1 for r in self.receipts if r.acknowledged_on is not None)

    @property
    def average_days(self) -> float | None:
        if not self.receipts:
            return None
        return round(sum(r.days_to_deliver for r in self.receipts) / len(self.receipts), 1)

    @property
    def longest_days(self) -> int | None:
        return max((r.days_to_deliver for r in self.receipts), default=None)


def delivery(*, fetched_by: User, notice: Notice) -> Delivery:
    """Who has had the notice and who has not yet, of those the reader may see: two
    queries, whatever the audience's size."""
    visible = access.people_visible_to(fetched_by)
    receipts = list(
        Receipt.objects.filter(notice=notice, person__in=visible)
        .select_related("person", "given_by")
        .order_by("received_on", "person__last_name", "pk")
    )
    for receipt in receipts:
        receipt.notice = notice
    not_yet = list(
        audience_of(notice)
        .filter(pk__in=visible)
        .exclude(Exists(Receipt.objects.filter(notice=notice, person=OuterRef("pk"))))
        .order_by("last_name", "first_name", "pk")
    )
    record_shown(actor=fetched_by, model=Receipt, objects=receipts)
    record_shown(actor=fetched_by, model=Person, objects=not_yet)
    return Delivery(receipts, not_yet)


def named_ids(notice: Notice) -> list[int]:
    return list(NoticeFor.objects.filter(notice=notice).values_list("person_id", flat=True))


def has_receipts(notice: Notice) -> bool:
    return Receipt.objects.filter(notice=notice).exists()


def files_of(notice: Notice) -> list[NoticeFile]:
    return list(NoticeFile.objects.filter(notice=notice).select_related("uploaded_by"))


def notice_list(*, fetched_by: User, service: Service | None = None) -> QuerySet[Notice]:
    notices = notices_visible_to(fetched_by).select_related("service", "property", "event")
    return notices.filter(service=service) if service is not None else notices


def _live(today: date) -> Q:
    """Published, not expired and not withdrawn: to be handed out."""
    return Q(published_on__lte=today, withdrawn_at__isnull=True) & (
        Q(expires_on__isnull=True) | Q(expires_on__gte=today)
    )


def notices_for_person(*, fetched_by: User, person: Person) -> dict[str, Any]:
    """The live notices the person is in the audience of and has not had yet, and those
    they had that ask for an acknowledgement not yet given: of the services the reader
    works in. One query, for the person's page."""
    today = timezone.localdate()
    services = _supported_by_any(person, today)
    homes = Tenancy.objects.filter(person=person, start_date__lte=today).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=today)
    )
    for_them = (
        Q(audience=Notice.Audience.SERVICE, service_id__in=services)
        | Q(audience=Notice.Audience.PROPERTY, property_id__in=homes.values("unit__property_id"))
        | Q(
            audience=Notice.Audience.PEOPLE,
            pk__in=NoticeFor.objects.filter(person=person).values("notice_id"),
        )
        | Q(
            audience=Notice.Audience.GROUP,
            event_id__in=SignUp.objects.filter(person=person)
            .exclude(status=SignUp.Status.CANCELLED)
            .values("session__event_id"),
        )
    )
    theirs = Receipt.objects.filter(notice=OuterRef("pk"), person=person)
    rows = list(
        notices_visible_to(fetched_by)
        .annotate(
            receipt_id=Subquery(theirs.values("pk")[:1]),
            receipt_on=Subquery(theirs.values("received_on")[:1]),
            receipt_acknowledged=Subquery(theirs.values("acknowledged_on")[:1]),
        )
        .filter(
            (Q(receipt_id__isnull=True) & _live(today) & for_them)
            | Q(
                receipt_id__isnull=False,
                needs_acknowledgement=True,
                receipt_acknowledged__isnull=True,
                withdrawn_at__isnull=True,
            )
        )
        .order_by("published_on", "pk")[:40]
    )
    not_had = [n for n in rows if n.receipt_id is None]
    to_acknowledge = [n for n in rows if n.receipt_id is not None]
    record_shown(
        actor=fetched_by,
        model=Receipt,
        objects=[Receipt(pk=n.receipt_id) for n in to_acknowledge],
        about=person,
    )
    return {"person": person, "not_had": not_had, "to_acknowledge": to_acknowledge}


def _supported_by_any(person: Person, today: date) -> QuerySet:
    return (
        Episode.objects.filter(person=person, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .values("service_id")
    )


def receipt_or_404(*, fetched_by: User, receipt_id: int) -> Receipt:
    return access.get_visible_or_404(
        Receipt.objects.filter(
            notice__in=notices_visible_to(fetched_by),
            person__in=access.people_visible_to(fetched_by),
        ).select_related("notice", "person"),
        pk=receipt_id,
    )


def file_or_404(*, fetched_by: User, file_id: int) -> NoticeFile:
    return access.get_visible_or_404(
        NoticeFile.objects.filter(notice__in=notices_visible_to(fetched_by)), pk=file_id
    )


@dataclass(frozen=True)
class Door:
    """One person living in the property, for the round of doors, with the live notices
    they have not had yet."""

    person: Person
    unit: str
    notices: list[Notice]


def round_of_doors(*, fetched_by: User, property: Property) -> tuple[list[Notice], list[Door]]:
    """The live notices for the property (its own and its service's) and, door by door,
    the people living there the reader may see and which of them each has not had."""
    today = timezone.localdate()
    notices = list(
        notices_visible_to(fetched_by)
        .filter(_live(today))
        .filter(
            Q(audience=Notice.Audience.PROPERTY, property=property)
            | Q(audience=Notice.Audience.SERVICE, service_id=property.service_id)
        )
        .order_by("published_on", "pk")
    )
    stays = list(
        _living_in(property.pk, today)
        .filter(person__in=access.people_visible_to(fetched_by))
        .select_related("person", "unit")
        .order_by("unit__name", "person__last_name", "pk")
    )
    had = set(
        Receipt.objects.filter(
            notice__in=[n.pk for n in notices], person__in=[s.person_id for s in stays]
        ).values_list("notice_id", "person_id")
    )
    in_service = set(
        _supported_by(property.service_id, today)
        .filter(person__in=[s.person_id for s in stays])
        .values_list("person_id", flat=True)
    )
    doors = []
    for stay in stays:
        owed = [
            n
            for n in notices
            if (n.pk, stay.person_id) not in had
            and (n.audience == Notice.Audience.PROPERTY or stay.person_id in in_service)
        ]
        doors.append(Door(stay.person, stay.unit.name, owed))
    record_shown(actor=fetched_by, model=Person, objects=[d.person for d in doors])
    return notices, doors


NAMED_SHOWN = 30


def named_choices(
    user: User,
    *,
    name: str = "",
    service: Service | None = None,
    keep: Iterable[int] = (),
) -> QuerySet[Person]:
    """People a notice may name: those the user may see who are supported (open episode)
    by one of the user's services (or by `service`), whose names have every word of
    `name` in them, NAMED_SHOWN at most; and the people in `keep` (those a notice names
    already), so that a search never takes anyone off it."""
    today = timezone.localdate()
    services = services_for_notices(user)
    if service is not None:
        services = services.filter(pk=service.pk)
    supported = Episode.objects.filter(service__in=services, start_date__lte=today).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )
    people = access.people_visible_to(user).filter(pk__in=supported.values("person_id"))
    matches = people
    # PostgreSQL refuses a NUL in text: no name has one.
    for word in fold(name.replace("\x00", "")[:100]).split():
        matches = matches.filter(search_names__contains=word)
    first = matches.order_by("last_name", "first_name", "pk").values("pk")[:NAMED_SHOWN]
    return people.filter(Q(pk__in=first) | Q(pk__in=list(keep))).order_by(
        "last_name", "first_name", "pk"
    )


def named_found(*, fetched_by: User, people: QuerySet[Person]) -> list[Person]:
    """The people a search of the checklist found: a search across people, audited as
    one, naming each of them."""
    found = list(people)
    record_shown(actor=fetched_by, model=Person, objects=found)
    return found


# --- The delivery report -------------------------------------------------------------------

QUARTERS_OFFERED = 12


@dataclass(frozen=True)
class Quarter:
    """Three months of the calendar year: January to March is the first."""

    first: date

    @property
    def after(self) -> date:
        month = self.first.month + 3
        return date(self.first.year + (month > 12), (month - 1) % 12 + 1, 1)

    @property
    def key(self) -> str:
        return f"{self.first.year}-q{(self.first.month - 1) // 3 + 1}"

    @property
    def label(self) -> str:
        last = date(self.first.year, self.first.month + 2, 1)
        return f"{self.first:%B} to {last:%B} {self.first.year}"

    def previous(self) -> "Quarter":
        month = self.first.month - 3
        return Quarter(date(self.first.year - (month < 1), (month - 1) % 12 + 1, 1))


def quarter_of(day: date) -> Quarter:
    return Quarter(date(day.year, (day.month - 1) // 3 * 3 + 1, 1))


def quarters_offered(today: date | None = None) -> list[Quarter]:
    """This quarter and the eleven before it, this one first."""
    quarter = quarter_of(today or timezone.localdate())
    offered = []
    for _ in range(QUARTERS_OFFERED):
        offered.append(quarter)
        quarter = quarter.previous()
    return offered


@dataclass(frozen=True)
class NoticeDelivered:
    """One notice's delivery, counted over everyone it was for."""

    notice: Notice
    audience: int
    received: int
    median_days: float | None
    longest_days: int | None

    @property
    def share(self) -> int | None:
        return round(100 * self.received / self.audience) if self.audience else None

    @property
    def not_yet(self) -> int:
        return self.audience - self.received


def services_for_delivery_report(user: User) -> QuerySet[Service]:
    """The services whose delivery figures the user reads in full: those they manage."""
    return services_for_notices(user).filter(pk__in=access.managed_service_ids(user))


def _as_at(notice: Notice, today: date) -> date:
    """The last day the notice was live: who it was for is counted on that day."""
    last = today
    if notice.expires_on is not None:
        last = min(last, notice.expires_on)
    if notice.withdrawn_at is not None:
        last = min(last, timezone.localtime(notice.withdrawn_at).date())
    return max(last, notice.published_on)


def _audiences(notices: list[Notice], service: Service, today: date) -> dict[int, set[int]]:
    """Everyone each notice was for on its last live day, one query for each kind of
    audience among them however many notices and people there are."""
    days = {n.pk: _as_at(n, today) for n in notices}
    earliest = min(days.values(), default=today)
    by_kind: dict[str, list[Notice]] = {}
    for notice in notices:
        by_kind.setdefault(notice.audience, []).append(notice)
    found: dict[int, set[int]] = {n.pk: set() for n in notices}
    if by_kind.get(Notice.Audience.SERVICE):
        stays = (
            Episode.objects.filter(service=service, start_date__lte=today, person__merged_into=None)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=earliest))
            .values_list("person_id", "start_date", "end_date")
        )
        rows = list(stays)
        for notice in by_kind[Notice.Audience.SERVICE]:
            day = days[notice.pk]
            found[notice.pk] = {p for p, s, e in rows if s <= day and (e is None or e >= day)}
    if by_kind.get(Notice.Audience.PROPERTY):
        homes = list(
            Tenancy.objects.filter(
                unit__property_id__in={n.property_id for n in by_kind[Notice.Audience.PROPERTY]},
                start_date__lte=today,
                person__merged_into=None,
            )
            .filter(Q(end_date__isnull=True) | Q(end_date__gt=earliest))
            .values_list("unit__property_id", "person_id", "start_date", "end_date")
        )
        for notice in by_kind[Notice.Audience.PROPERTY]:
            day = days[notice.pk]
            found[notice.pk] = {
                p
                for h, p, s, e in homes
                if h == notice.property_id and s <= day and (e is None or e > day)
            }
    if by_kind.get(Notice.Audience.PEOPLE):
        for notice_id, person_id in NoticeFor.objects.filter(
            notice__in=[n.pk for n in by_kind[Notice.Audience.PEOPLE]],
            person__merged_into=None,
        ).values_list("notice_id", "person_id"):
            found[notice_id].add(person_id)
    if by_kind.get(Notice.Audience.GROUP):
        signed: dict[int, set[int]] = {}
        for event_id, person_id in (
            SignUp.objects.filter(
                session__event_id__in={n.event_id for n in by_kind[Notice.Audience.GROUP]},
                person__merged_into=None,
            )
            .exclude(status=SignUp.Status.CANCELLED)
            .values_list("session__event_id", "person_id")
        ):
            signed.setdefault(event_id, set()).add(person_id)
        for notice in by_kind[Notice.Audience.GROUP]:
            found[notice.pk] = signed.get(notice.event_id or 0, set())
    return found


def delivery_report(
    *, fetched_by: User, service: Service, quarter: Quarter
) -> list[NoticeDelivered]:
    """Each notice of the service published in the quarter, with how many it was for,
    how many had it, and the median and longest days from publishing to receipt. The
    figures count everyone, seen by the reader or not: they are for the service's
    managers alone, and name no one. A few queries however many notices and receipts."""
    if not services_for_delivery_report(fetched_by).filter(pk=service.pk).exists():
        raise NotFoundOrNotAllowed
    today = timezone.localdate()
    notices = list(
        Notice.objects.filter(
            service=service, published_on__gte=quarter.first, published_on__lt=quarter.after
        )
        .select_related("property", "event")
        .order_by("published_on", "pk")
    )
    if not notices:
        return []
    audiences = _audiences(notices, service, today)
    days: dict[int, dict[int, int]] = {n.pk: {} for n in notices}
    published = {n.pk: n.published_on for n in notices}
    for notice_id, person_id, received_on in Receipt.objects.filter(
        notice__in=[n.pk for n in notices], person__merged_into=None
    ).values_list("notice_id", "person_id", "received_on"):
        days[notice_id][person_id] = (received_on - published[notice_id]).days
    rows = []
    for notice in notices:
        had = days[notice.pk]
        waits = sorted(had.values())
        rows.append(
            NoticeDelivered(
                notice=notice,
                audience=len(audiences[notice.pk] | had.keys()),
                received=len(had),
                median_days=median(waits) if waits else None,
                longest_days=waits[-1] if waits else None,
            )
        )
    return rows
