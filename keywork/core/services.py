from django.db.models import QuerySet
from django.utils import timezone

from keywork.accounts.models import User
from keywork.core.models import Notification


def notify(*, user: User, text: str, url: str = "") -> Notification:
    """Tells one member of staff something in the app (no personal data beyond what the
    link leads to: the page behind it applies its own access check)."""
    return Notification.objects.create(
        user=user, organisation_id=user.organisation_id, text=text[:300], url=url
    )


def notify_many(*, users: list[User], text: str, url: str = "") -> None:
    Notification.objects.bulk_create(
        Notification(user=u, organisation_id=u.organisation_id, text=text[:300], url=url)
        for u in users
    )


def notifications_mark_read(*, user: User, notifications: QuerySet[Notification]) -> int:
    return notifications.filter(user=user, read_at=None).update(read_at=timezone.now())
