from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone

from keywork.core.models import Notification

if TYPE_CHECKING:  # core sits below the apps; the type only
    from keywork.accounts.models import User


def notify(
    *, user: "User", text: str, url: str = "", about_person_id: int | None = None
) -> Notification:
    """Tells one member of staff something in the app. A text that names a person, or
    says anything about them, gives `about_person_id`: the text is then shown only while
    its reader may see that person. Free text (a task's title, an action) goes in only
    with the person it is about."""
    return Notification.objects.create(
        user=user,
        organisation_id=user.organisation_id,
        text=text[:300],
        url=url,
        about_person_id=about_person_id,
    )


def notify_many(
    *, users: "list[User]", text: str, url: str = "", about_person_id: int | None = None
) -> None:
    Notification.objects.bulk_create(
        Notification(
            user=u,
            organisation_id=u.organisation_id,
            text=text[:300],
            url=url,
            about_person_id=about_person_id,
        )
        for u in users
    )


def notifications_mark_read(*, user: "User", notifications: QuerySet[Notification]) -> int:
    return notifications.filter(user=user, read_at=None).update(read_at=timezone.now())


def notifications_done(*, url: str) -> int:
    """Marks read every unread notification that asked for what is now done (they all
    point at the same page), so that no one is still asked to do it."""
    return Notification.objects.filter(url=url, read_at=None).update(read_at=timezone.now())
