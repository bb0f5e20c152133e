"""Complaints as each reader may see them: the service's managers see its complaints,
the one who logged a complaint sees it, and no one sees a complaint about themselves
(not in a list, a count or a panel)."""

from datetime import date

from django.db.models import Q, QuerySet

from keywork import access
from keywork.accounts.models import User
from keywork.core.working_days import add_working_days
from keywork.feedback.models import Complaint, Stage
from keywork.organisations.models import Service
from keywork.people.models import Person

DUE_SOON_WORKING_DAYS = 2


def complaints_visible_to(user: User) -> QuerySet[Complaint]:
    complaints = access.scoped_to_organisation(user, Complaint.objects.all())
    if not access.has_capability(user, access.Capability.CASEWORK):
        return complaints.none()
    managed = access.managed_service_ids(user)
    return complaints.filter(Q(service_id__in=managed) | Q(logged_by=user)).exclude(
        about_staff=user
    )


def complaint_list(*, fetched_by: User) -> list[Complaint]:
    return list(
        complaints_visible_to(fetched_by)
        .select_related("service", "person", "about_staff")
        .prefetch_related("stages")
    )


def complaint_page(*, fetched_by: User, complaint_id: int) -> Complaint:
    rows = (
        complaints_visible_to(fetched_by)
        .select_related("service", "person", "about_staff", "logged_by")
        .prefetch_related("stages__handler", "stages__points", "stages__remedies")
    )
    return access.get_visible_or_404(rows, pk=complaint_id)


def complaints_by_person(*, fetched_by: User, person: Person) -> list[Complaint]:
    return list(
        complaints_visible_to(fetched_by)
        .filter(person=person)
        .select_related("service")
        .prefetch_related("stages")
    )


def open_stages_for_manager(*, fetched_by: User, today: date) -> tuple[list[Stage], list[Stage]]:
    """The open stages of complaints the manager handles or whose service they manage,
    overdue and due within two working days (red and amber on the home page)."""
    managed = access.managed_service_ids(fetched_by)
    if not managed:
        return [], []
    stages = (
        Stage.objects.filter(
            complaint__organisation_id=fetched_by.organisation_id,
            complaint__service_id__in=managed,
            responded_on=None,
        )
        .exclude(complaint__about_staff=fetched_by)
        .select_related("complaint__service", "handler")
    )
    overdue, soon = [], []
    for stage in stages:
        due = stage.due_next
        if due is None:
            continue
        if due < today:
            overdue.append(stage)
        elif due <= add_working_days(today, DUE_SOON_WORKING_DAYS, nation=stage.nation):
            soon.append(stage)
    return overdue, soon


def services_to_log_in(user: User) -> QuerySet[Service]:
    return access.services_for_casework(user)


def handlers_for(complaint_service: Service, *, among: QuerySet[User]) -> QuerySet[User]:
    """The service's senior practitioners and lead managers (the handler is checked again
    by the service, against the complaint)."""
    return among.filter(
        organisation_id=complaint_service.organisation_id,
        is_active=True,
        memberships__role__in=access.MANAGER_ROLES,
        memberships__team__services=complaint_service,
    ).distinct()
