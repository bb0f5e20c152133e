"""Reads for accommodation: the vacancy board, occupancy and void days, the share still
housed after a move-on, and a person's homes in an episode."""

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils import timezone

from keywork import access
from keywork.accounts.models import User
from keywork.housing.models import (
    HousingApplication,
    MoveOnPlan,
    Property,
    SustainmentCheck,
    Tenancy,
    Unit,
)
from keywork.organisations.models import Service
from keywork.people.models import Episode


def units_of(service: Service) -> QuerySet[Unit]:
    return Unit.objects.filter(property__service=service).select_related("property")


def vacancy_board(service: Service, today: date | None = None) -> list[Unit]:
    """Units with a bed free today, each with its free beds and how long it has had one
    (since the last person left, or since it came into use): one query."""
    today = today or timezone.localdate()
    living_there = Q(tenancies__start_date__lte=today) & (
        Q(tenancies__end_date__isnull=True) | Q(tenancies__end_date__gt=today)
    )
    units = (
        units_of(service)
        .filter(opened_on__lte=today)
        .annotate(
            occupants=Count("tenancies", filter=living_there),
            last_left=Max("tenancies__end_date", filter=Q(tenancies__end_date__lte=today)),
        )
    )
    board = []
    unit: Any  # each on the board carries its free beds and empty days for the page
    for unit in units:
        if unit.occupants >= unit.capacity:
            continue
        unit.free_beds = unit.capacity - unit.occupants
        unit.empty_since = unit.last_left or unit.opened_on
        unit.days_empty = (today - unit.empty_since).days
        board.append(unit)
    return board


@dataclass(frozen=True)
class Occupancy:
    month: date  # its first day
    bed_nights: int  # beds in use times nights in the month
    occupied: int

    @property
    def void(self) -> int:
        return self.bed_nights - self.occupied

    @property
    def per_cent(self) -> float | None:
        return round(100 * self.occupied / self.bed_nights, 1) if self.bed_nights else None


def occupancy(service: Service, year: int, month: int) -> Occupancy:
    """Bed-nights in the month, how many were slept in, and the void (empty) bed-nights.
    A unit counts from the day it came into use; a stay counts its nights from the day
    someone moved in up to, not including, the day they moved out."""
    first = date(year, month, 1)
    after = first + timedelta(days=calendar.monthrange(year, month)[1])
    bed_nights = 0
    for unit in units_of(service).filter(opened_on__lt=after):
        bed_nights += unit.capacity * (after - max(first, unit.opened_on)).days
    stays = Tenancy.objects.filter(unit__property__service=service, start_date__lt=after).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=first)
    )
    occupied = sum(
        (min(after, t.end_date or after) - max(first, t.start_date)).days
        for t in stays.only("start_date", "end_date")
    )
    return Occupancy(first, bed_nights, occupied)


@dataclass(frozen=True)
class StillHoused:
    months: int
    checked: int
    housed: int

    @property
    def per_cent(self) -> float | None:
        return round(100 * self.housed / self.checked, 1) if self.checked else None


def sustainment(service: Service) -> list[StillHoused]:
    """Of the people checked 3, 6 and 12 months after moving on from the service, how
    many were still housed."""
    counts: dict[int, Mapping[str, Any]] = {
        row["months"]: row
        for row in SustainmentCheck.objects.filter(episode__service=service)
        .values("months")
        .annotate(checked=Count("pk"), housed=Count("pk", filter=Q(still_housed=True)))
    }
    return [
        StillHoused(m, counts.get(m, {}).get("checked", 0), counts.get(m, {}).get("housed", 0))
        for m in (3, 6, 12)
    ]


def services_for_housing(user: User) -> QuerySet[Service]:
    """The services whose accommodation the user may see: those they work in, those
    they manage, and every service for the organisation's administrators."""
    if access.has_capability(user, access.Capability.ORGANISATION_MANAGE):
        return access.scoped_to_organisation(user, Service.objects.filter(archived_at=None))
    return access.services_for_casework(user)


def episode_housing(episode: Episode) -> dict:
    plan = (
        MoveOnPlan.objects.filter(episode=episode)
        .prefetch_related(Prefetch("applications", queryset=HousingApplication.objects.all()))
        .first()
    )
    return {
        "tenancies": list(Tenancy.objects.filter(episode=episode).select_related("unit__property")),
        "move_on_plan": plan,
        "checks": list(SustainmentCheck.objects.filter(episode=episode)),
    }


def properties_of(service: Service) -> list[Property]:
    return list(
        Property.objects.filter(service=service).prefetch_related(
            Prefetch("units", queryset=Unit.objects.order_by("name", "pk"))
        )
    )


DESTINATION_FOR_ROUTE: dict[str, str] = {
    HousingApplication.Route.COUNCIL: Episode.Destination.SOCIAL_TENANCY,
    HousingApplication.Route.PRIVATE: Episode.Destination.PRIVATE_RENTED,
    HousingApplication.Route.SUPPORTED: Episode.Destination.SUPPORTED_HOUSING,
}


def destination_from_move_on(episode: Episode) -> str | None:
    """Where the application that housed them leads, for the end-of-support form."""
    housed = (
        HousingApplication.objects.filter(
            plan__episode=episode, status=HousingApplication.Status.HOUSED
        )
        .order_by("-status_on", "-pk")
        .first()
    )
    return DESTINATION_FOR_ROUTE.get(housed.route) if housed else None
