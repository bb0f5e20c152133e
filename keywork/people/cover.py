"""Cover of a service's people for a while (people.ServiceCover), which the access module
counts as a reason to see them. An area that grants cover (the on-call rota) keeps its
rows under its own key and calls these inside its own transaction, after its own checks."""

from collections.abc import Iterable
from datetime import datetime

from keywork.people.models import ServiceCover


def cover_replace(
    key: str,
    user_id: int,
    organisation_id: int,
    service_ids: Iterable[int],
    starts_at: datetime,
    ends_at: datetime,
) -> None:
    """The cover of `key` becomes this user's, of these services, for this time."""
    ServiceCover.objects.filter(key=key).delete()
    ServiceCover.objects.bulk_create(
        ServiceCover(
            organisation_id=organisation_id,
            user_id=user_id,
            service_id=service_id,
            starts_at=starts_at,
            ends_at=ends_at,
            key=key,
        )
        for service_id in sorted(set(service_ids))
    )


def cover_remove(key: str) -> None:
    ServiceCover.objects.filter(key=key).delete()
