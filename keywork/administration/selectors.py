from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from keywork import access
from keywork.accounts.models import Invitation, Membership, User
from keywork.administration import audit_display as display
from keywork.audit.models import AuditEntry, AuthEvent
from keywork.organisations.models import Area, Service, Team

# --- Staff ----------------------------------------------------------------------------------


def staff_visible_to(user: User) -> QuerySet[User]:
    """Colleagues the user may see: their team's for a senior, their services' teams
    for a lead manager, everyone in the organisation for an administrator."""
    staff = access.scoped_to_organisation(user, User.objects.all())
    team_ids = access.team_ids_in_scope(user, access.Capability.STAFF_VIEW)
    if team_ids is not None:
        staff = staff.filter(memberships__team_id__in=team_ids).distinct()
    return staff.prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("team", "service"))
    ).order_by("full_name", "pk")


def staff_list(*, fetched_by: User, include_inactive: bool = False) -> QuerySet[User]:
    access.require(fetched_by, access.Capability.STAFF_VIEW)
    staff = staff_visible_to(fetched_by)
    if not include_inactive:
        staff = staff.filter(is_active=True)
    return staff


def open_invitations(*, fetched_by: User) -> QuerySet[Invitation]:
    access.require(fetched_by, access.Capability.STAFF_MANAGE)
    return access.scoped_to_organisation(
        fetched_by,
        Invitation.objects.filter(
            accepted_at=None, revoked_at=None, expires_at__gt=timezone.now()
        ).select_related("team", "service", "invited_by"),
    )


def teams_for_invitation(*, fetched_by: User) -> QuerySet[Team]:
    return access.scoped_to_organisation(fetched_by, Team.objects.filter(archived_at=None))


def services_for_invitation(*, fetched_by: User) -> QuerySet[Service]:
    return access.scoped_to_organisation(fetched_by, Service.objects.filter(archived_at=None))


# --- The organisation's set-up --------------------------------------------------------------


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


# --- The audit --------------------------------------------------------------------------------


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
