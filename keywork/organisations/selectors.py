from django.db.models import Count, Q, QuerySet

from keywork import access
from keywork.accounts.models import User
from keywork.organisations.models import Area, Service, Team


def areas_of(*, fetched_by: User) -> QuerySet[Area]:
    return access.scoped_to_organisation(fetched_by, Area.objects.all()).order_by("name")


def services_of(*, fetched_by: User) -> QuerySet[Service]:
    return (
        access.scoped_to_organisation(fetched_by, Service.objects.all())
        .select_related("area")
        .order_by("archived_at", "name")
    )


def teams_of(*, fetched_by: User) -> QuerySet[Team]:
    return (
        access.scoped_to_organisation(fetched_by, Team.objects.all())
        .prefetch_related("services")
        .annotate(
            active_staff=Count(
                "memberships__user",
                filter=Q(memberships__user__is_active=True),
                distinct=True,
            )
        )
        .order_by("archived_at", "name")
    )
