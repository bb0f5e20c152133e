from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone

from keywork import access
from keywork.accounts.models import User
from keywork.audit import display
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


def _rows_within_reach(user: User) -> Q:
    """Which of the organisation's audit rows the user may list.

    Whoever reads the audit for the whole organisation (an administrator) lists every
    row of it: who did what to which record, and when; what a row says of a person is
    left to the page (audit_rows_shown). Someone who reads it for their services (a lead
    manager) lists the rows about the people they may see, and the rows about the
    organisation's set-up and staff (display.SET_UP_AND_STAFF), which every service
    shares; not rows about people beyond their services, nor incidents and imports,
    whose rows say nothing of which service they belong to."""
    if access.scope_of(user, access.Capability.AUDIT_VIEW) == access.Scope.ORGANISATION:
        return Q()
    set_up = ContentType.objects.get_for_models(
        *display.set_up_and_staff_models(), for_concrete_models=False
    )
    return Q(about_person_id__in=access.people_visible_to(user).values("pk")) | Q(
        about_person_id=None, content_type__in=[ct.pk for ct in set_up.values()]
    )


def audit_entries(*, fetched_by: User, query: AuditQuery) -> QuerySet[AuditEntry]:
    access.require(fetched_by, access.Capability.AUDIT_VIEW)
    entries = access.scoped_to_organisation(fetched_by, AuditEntry.objects.all())
    entries = entries.filter(_rows_within_reach(fetched_by))
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


def audit_rows_shown(*, fetched_by: User, entries: list[AuditEntry]) -> list[display.ShownEntry]:
    """A page of rows as the user may see them: a row about a person shows its values
    only if the user may see that person. One query for the page, whatever its length."""
    access.require(fetched_by, access.Capability.AUDIT_VIEW)
    about = {entry.about_person_id for entry in entries if entry.about_person_id is not None}
    visible: set[int] = set()
    if about:
        visible = set(
            access.people_visible_to(fetched_by).filter(pk__in=about).values_list("pk", flat=True)
        )
    return display.shown_entries(entries, visible_person_ids=visible)


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
