from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import TruncMonth

from keywork import access
from keywork.accounts.models import User
from keywork.audit import reads
from keywork.core.errors import NotFoundOrNotAllowed
from keywork.people.models import Person
from keywork.risk.models import (
    Incident,
    IncidentPerson,
    RiskArea,
    RiskAssessment,
    RiskVersion,
    SafeguardingReferral,
)

if TYPE_CHECKING:
    from keywork.risk.models import IncidentAction


def risk_of(person: Person) -> RiskAssessment | None:
    return (
        RiskAssessment.objects.filter(person=person)
        .select_related("updated_by")
        .prefetch_related(
            "areas", Prefetch("versions", queryset=RiskVersion.objects.select_related("saved_by"))
        )
        .first()
    )


def areas_in_order(assessment: RiskAssessment | None) -> list[RiskArea]:
    if assessment is None:
        return []
    order = RiskArea.Domain.values
    return sorted(assessment.areas.all(), key=lambda a: order.index(a.domain))


def version_or_404(*, person: Person, number: int) -> RiskVersion:
    return access.get_visible_or_404(
        RiskVersion.objects.filter(assessment__person=person).select_related("saved_by"),
        number=number,
    )


def incidents_visible_to(user: User) -> QuerySet[Incident]:
    """Whole incidents, with everyone involved: for the member of staff who reported one,
    staff involved in it, and the managers of its service. Others see only a person's
    own part, on the record of a person they may see (risk.selectors)."""
    if not access.has_capability(user, access.Capability.CASEWORK):
        return Incident.objects.none()
    incidents = access.scoped_to_organisation(user, Incident.objects.all())
    involved = Incident.staff_involved.through.objects.filter(user=user).values("incident_id")
    return incidents.filter(
        Q(reported_by=user)
        | Q(pk__in=involved)
        | Q(service_id__in=access.managed_service_ids(user))
    )


@dataclass(frozen=True)
class RiskPage:
    assessment: RiskAssessment | None
    parts: list[IncidentPerson]
    safeguarding: list[SafeguardingReferral]


def risk_page(*, fetched_by: User, person: Person) -> RiskPage:
    """Everything the person's risk page shows, for a person already let through the
    access check; the assessment, the incident parts and the safeguarding referrals
    shown are logged as one read of the person's risk."""
    page = RiskPage(
        assessment=risk_of(person),
        parts=incident_parts_of(person=person),
        safeguarding=safeguarding_of(person=person),
    )
    if page.assessment is not None:
        reads.record_read(actor=fetched_by, obj=page.assessment)
    reads.record_read(
        actor=fetched_by,
        obj=person,
        shown={
            IncidentPerson._meta.label_lower: [part.pk for part in page.parts],
            SafeguardingReferral._meta.label_lower: [s.pk for s in page.safeguarding],
        },
    )
    return page


def incident_parts_of(*, person: Person) -> list[IncidentPerson]:
    """The person's part in each incident: what concerns them, and nothing of anyone
    else involved."""
    return list(
        IncidentPerson.objects.filter(person=person)
        .select_related("incident__service", "incident__reported_by")
        .order_by("-incident__occurred_at", "-pk")
    )


def incident_part_or_404(*, fetched_by: User, part_id: int) -> IncidentPerson:
    parts = IncidentPerson.objects.filter(
        person__in=access.people_visible_to(fetched_by)
    ).select_related(
        "person", "incident__service", "incident__reported_by", "incident__signed_off_by"
    )
    return access.get_visible_or_404(parts, pk=part_id)


def incident_or_404(*, fetched_by: User, incident_id: int) -> Incident:
    incidents = (
        incidents_visible_to(fetched_by)
        .select_related("service", "reported_by", "signed_off_by")
        .prefetch_related(
            Prefetch("people", queryset=IncidentPerson.objects.select_related("person")),
            "staff_involved",
            Prefetch("actions", queryset=_actions()),
            Prefetch(
                "safeguarding_referrals",
                queryset=SafeguardingReferral.objects.select_related("person"),
            ),
        )
    )
    return access.get_visible_or_404(incidents, pk=incident_id)


def _actions() -> "QuerySet[IncidentAction]":
    from keywork.risk.models import IncidentAction

    return IncidentAction.objects.select_related("owner")


def safeguarding_of(*, person: Person) -> list[SafeguardingReferral]:
    return list(
        SafeguardingReferral.objects.filter(person=person).select_related(
            "service", "incident", "created_by"
        )
    )


def safeguarding_or_404(*, fetched_by: User, referral_id: int) -> SafeguardingReferral:
    referrals = SafeguardingReferral.objects.filter(
        person__in=access.people_visible_to(fetched_by)
    ).select_related("person", "service", "incident", "created_by")
    return access.get_visible_or_404(referrals, pk=referral_id)


# How many of each list the incidents page shows; past that it says how many there are
# and links to the whole list, a page at a time.
WAITING_SHOWN, RECENT_SHOWN, MONTHS_SHOWN, SAFEGUARDING_SHOWN = 100, 25, 500, 200
LIST_PAGE_SIZE = 50


@dataclass(frozen=True)
class Capped:
    """The first rows of a list, and how many the whole list holds (counted only when
    the cap is reached, so a short list costs one query and a long one two)."""

    rows: list[Any]
    total: int

    @property
    def more(self) -> bool:
        return self.total > len(self.rows)


def _capped(rows: Any, shown: int) -> Capped:
    first = list(rows[:shown])
    return Capped(first, len(first) if len(first) < shown else rows.count())


def _waiting(user: User) -> QuerySet[Incident]:
    return (
        incidents_visible_to(user)
        .select_related("service", "reported_by")
        .filter(signed_off_at=None)
    )


def _signed_off(user: User) -> QuerySet[Incident]:
    return (
        incidents_visible_to(user)
        .select_related("service", "reported_by")
        .exclude(signed_off_at=None)
    )


def _by_month(user: User, managed: set[int]) -> QuerySet:
    return (
        Incident.objects.filter(organisation_id=user.organisation_id, service_id__in=managed)
        .annotate(month=TruncMonth("occurred_at"))
        .values("service__name", "month", "type", "severity")
        .annotate(count=Count("pk"))
        .order_by("-month", "service__name", "type", "severity")
    )


def _open_safeguarding(user: User, managed: set[int]) -> QuerySet[SafeguardingReferral]:
    return SafeguardingReferral.objects.filter(
        organisation_id=user.organisation_id,
        service_id__in=managed,
        outcome="",
        person__in=access.people_visible_to(user),
    ).select_related("service", "person")


def _labelled(rows: Any) -> list[dict]:
    types, severities = dict(Incident.Type.choices), dict(Incident.Severity.choices)
    return [
        {
            **row,
            "type_label": types.get(row["type"], row["type"]),
            "severity_label": severities.get(row["severity"], row["severity"]),
        }
        for row in rows
    ]


def incidents_page(*, user: User) -> dict:
    """The incidents a user may see whole, newest first, and for managers the counts by
    service, type, severity and month, and the open safeguarding referrals; each list
    capped, with its whole length."""
    managed = access.managed_service_ids(user)
    page: dict[str, Any] = {
        "waiting": _capped(_waiting(user), WAITING_SHOWN),
        "recent": _capped(_signed_off(user), RECENT_SHOWN),
        "manages": bool(managed),
    }
    if managed:
        by_month = _capped(_by_month(user, managed), MONTHS_SHOWN)
        page["by_month"] = Capped(_labelled(by_month.rows), by_month.total)
        page["open_safeguarding"] = _capped(_open_safeguarding(user, managed), SAFEGUARDING_SHOWN)
        reads.record_shown(
            actor=user, model=SafeguardingReferral, objects=page["open_safeguarding"].rows
        )
    return page


# The incidents page's lists in whole, a page at a time: the words the page says of
# each, and whether it is for the managers of services alone.
INCIDENT_LISTS = {
    "waiting": ("Incidents waiting for a manager's sign-off", False),
    "signed-off": ("Incidents signed off", False),
    "by-month": ("Incidents in your services by month", True),
    "safeguarding": ("Open safeguarding referrals", True),
}


def incident_list_page(*, user: User, which: str, page_number: Any) -> Page:
    """One page of one of the incidents page's lists, newest first."""
    managed = access.managed_service_ids(user)
    rows: Any
    if which == "waiting":
        rows = _waiting(user)
    elif which == "signed-off":
        rows = _signed_off(user)
    elif which == "by-month":
        rows = _by_month(user, managed) if managed else Incident.objects.none()
    elif which == "safeguarding":
        rows = _open_safeguarding(user, managed) if managed else SafeguardingReferral.objects.none()
    else:
        raise NotFoundOrNotAllowed
    page = Paginator(rows, LIST_PAGE_SIZE).get_page(page_number)
    if which == "by-month":
        page.object_list = _labelled(page.object_list)
    if which == "safeguarding":
        reads.record_shown(actor=user, model=SafeguardingReferral, objects=page.object_list)
    return page
