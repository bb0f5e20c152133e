from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils import timezone

from keywork import access
from keywork.accounts.models import User
from keywork.audit.models import AuditEntry, AuthEvent


@dataclass(frozen=True)
class AuditQuery:
    user: User | None = None
    record_type: ContentType | None = None
    record_id: str = ""
    date_from: date | None = None
    date_to: date | None = None


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_entries(*, fetched_by: User, query: AuditQuery) -> QuerySet[AuditEntry]:
    access.require(fetched_by, access.Capability.AUDIT_VIEW)
    entries = access.scoped_to_organisation(fetched_by, AuditEntry.objects.all())
    if query.user is not None:
        entries = entries.filter(actor=query.user)
    if query.record_type is not None:
        entries = entries.filter(content_type=query.record_type)
        if query.record_id:
            entries = entries.filter(object_pk=query.record_id)
    if query.date_from:
        entries = entries.filter(timestamp__gte=_day_start(query.date_from))
    if query.date_to:
        entries = entries.filter(timestamp__lt=_day_start(query.date_to + timedelta(days=1)))
    return entries.select_related("actor", "content_type").order_by("-timestamp", "-pk")


def auth_events(*, fetched_by: User, query: AuditQuery) -> QuerySet[AuthEvent]:
    access.require(fetched_by, access.Capability.AUDIT_VIEW)
    events = access.scoped_to_organisation(fetched_by, AuthEvent.objects.all())
    if query.record_type is not None:
        return events.none()
    if query.user is not None:
        events = events.filter(user=query.user)
    if query.date_from:
        events = events.filter(at__gte=_day_start(query.date_from))
    if query.date_to:
        events = events.filter(at__lt=_day_start(query.date_to + timedelta(days=1)))
    return events.select_related("user").order_by("-at", "-pk")


def audited_record_types() -> QuerySet[ContentType]:
    from auditlog.registry import auditlog

    models = auditlog.get_models()
    return ContentType.objects.filter(
        pk__in=[ContentType.objects.get_for_model(m).pk for m in models]
    ).order_by("model")


def audit_users(*, fetched_by: User) -> QuerySet[User]:
    access.require(fetched_by, access.Capability.AUDIT_VIEW)
    return access.scoped_to_organisation(fetched_by, User.objects.all()).order_by("full_name")
