"""What each user's home page and notifications show: only real figures, and only what
they may see, read in a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from keywork import access
from keywork.accounts.models import Invitation, Membership, User
from keywork.audit import reads
from keywork.audit.models import AuthEvent
from keywork.core.contributions import contributed
from keywork.core.models import Notification
from keywork.organisations.models import Area, Service, Team
from keywork.people.models import Episode, Person

WITHHELD = (
    "About someone whose record you can no longer see (you no longer work with them), "
    "so the details are hidden."
)


@dataclass(frozen=True)
class NotificationShown:
    text: str
    url: str
    created_at: datetime
    read_at: datetime | None
    withheld: bool = False


def notifications_for(
    user: User, *, unread_only: bool = False, limit: int = 50
) -> list[NotificationShown]:
    """The user's latest notifications. One about a person the user may no longer see
    keeps its date but loses its words and its link: those were written while they
    worked with the person. Two queries, whatever the number shown."""
    mine = Notification.objects.filter(user=user)
    if unread_only:
        mine = mine.filter(read_at=None)
    rows = list(mine[:limit])
    about = {n.about_person_id for n in rows if n.about_person_id}
    visible = set()
    if about:
        visible = set(
            access.people_visible_to(user).filter(pk__in=about).values_list("pk", flat=True)
        )
        named = [Person(pk=pk) for pk in visible]
        reads.record_shown(actor=user, model=Person, objects=named)
    return [
        NotificationShown(n.text, n.url, n.created_at, n.read_at)
        if not n.about_person_id or n.about_person_id in visible
        else NotificationShown(WITHHELD, "", n.created_at, n.read_at, withheld=True)
        for n in rows
    ]


@dataclass
class Home:
    memberships: list[Membership]
    teams: list[Team] = field(default_factory=list)
    colleagues: list[User] = field(default_factory=list)
    services: list[Service] = field(default_factory=list)
    organisation_counts: dict[str, int] | None = None
    recent_lockouts: int | None = None
    does_casework: bool = False
    unread: list[NotificationShown] = field(default_factory=list)
    caseload_count: int = 0


def home_for(user: User) -> Home:
    memberships = access.memberships_of(user)
    home = Home(memberships=memberships)
    team_ids = {m.team_id for m in memberships if m.team_id}
    home.does_casework = access.has_capability(user, access.Capability.CASEWORK)
    home.unread = notifications_for(user, unread_only=True, limit=5)
    if home.does_casework:
        home.caseload_count = (
            Episode.objects.filter(organisation_id=user.organisation_id, end_date=None)
            .filter(Q(key_worker=user) | Q(co_workers__user=user))
            .distinct()
            .count()
        )

    if team_ids:
        home.teams = list(
            Team.objects.filter(pk__in=team_ids, organisation_id=user.organisation_id)
            .prefetch_related("services")
            .order_by("name")
        )
        home.colleagues = list(
            User.objects.filter(
                organisation_id=user.organisation_id,
                is_active=True,
                memberships__team_id__in=team_ids,
            )
            .exclude(pk=user.pk)
            .distinct()
            .order_by("full_name")
            .prefetch_related("memberships__team")
        )

    service_ids = set()
    reach = {}
    for capability in (access.Capability.CASEWORK, access.Capability.AGGREGATE_REPORTS):
        reach[capability] = access.service_ids_in_scope(user, capability) or set()
        service_ids |= reach[capability]
    if service_ids:
        home.services = list(
            Service.objects.filter(
                pk__in=service_ids, organisation_id=user.organisation_id, archived_at=None
            )
            .select_related("area")
            .order_by("name")
        )
        # Beside each service, the areas' links the user's roles reach there.
        for service in home.services:
            service.home_links = [  # type: ignore[attr-defined]
                (link.label, reverse(link.url_name, args=[service.pk]))
                for link in contributed("service_links")
                if service.pk in reach.get(link.capability, set())
            ]

    if access.has_capability(user, access.Capability.ORGANISATION_MANAGE):
        org = user.organisation_id
        counts = User.objects.filter(organisation_id=org).aggregate(
            active_staff=Count("pk", filter=Q(is_active=True)),
        )
        counts["areas"] = Area.objects.filter(organisation_id=org, archived_at=None).count()
        counts["services"] = Service.objects.filter(organisation_id=org, archived_at=None).count()
        counts["teams"] = Team.objects.filter(organisation_id=org, archived_at=None).count()
        counts["open_invitations"] = Invitation.objects.filter(
            organisation_id=org, accepted_at=None, revoked_at=None, expires_at__gt=timezone.now()
        ).count()
        home.organisation_counts = counts
        home.recent_lockouts = AuthEvent.objects.filter(
            organisation_id=org,
            kind=AuthEvent.Kind.LOCKED_OUT,
            at__gte=timezone.now() - timedelta(days=7),
        ).count()
    return home
