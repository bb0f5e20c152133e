"""Who may see and do what in Keywork: the one place that decides.

A user's roles come from their memberships (a role in a team, a commissioner's role for
a service, an administrator's role for the organisation). Each role grants capabilities
and a scope: own caseload, team, service or organisation. Nothing ever crosses the
organisation boundary. Views ask this module; selectors scope their querysets with it.
What a user may not see is answered with 404, exactly as if it did not exist.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from functools import cache, wraps
from typing import Any, TypeVar

import rules
from django.contrib.auth.views import redirect_to_login
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from keywork.accounts.guards import signed_in_required as signed_in_required
from keywork.accounts.models import Membership, Role, User
from keywork.accounts.selectors import forget_memberships as forget_memberships
from keywork.accounts.selectors import memberships_of
from keywork.audit import reads
from keywork.core.contributions import object_rules
from keywork.core.errors import NotFoundOrNotAllowed
from keywork.organisations.models import Team

M = TypeVar("M", bound=Model)


class Scope(IntEnum):
    NONE = 0
    OWN = 1
    TEAM = 2
    SERVICE = 3
    ORGANISATION = 4


class Capability(StrEnum):
    CASEWORK = "casework"  # personal records of the people supported, within scope
    STAFF_VIEW = "staff.view"  # colleagues' accounts, within scope
    STAFF_MANAGE = "staff.manage"  # invite staff, deactivate leavers
    ORGANISATION_MANAGE = "organisation.manage"  # areas, services, teams
    AUDIT_VIEW = "audit.view"  # the organisation's audit
    AGGREGATE_REPORTS = "reports.aggregate"  # figures without personal data
    IMPORT = "data.import"  # bring people and episodes in from spreadsheets


@dataclass(frozen=True)
class RolePolicy:
    scope: Scope
    capabilities: frozenset[Capability]


C = Capability
ROLE_POLICIES: dict[str, RolePolicy] = {
    Role.SUPPORT_ASSISTANT: RolePolicy(Scope.OWN, frozenset({C.CASEWORK})),
    Role.SUPPORT_WORKER: RolePolicy(Scope.OWN, frozenset({C.CASEWORK})),
    # Complex caseworkers join the cases they are allocated to, in any team.
    Role.COMPLEX_CASEWORKER: RolePolicy(Scope.OWN, frozenset({C.CASEWORK})),
    Role.SENIOR_PRACTITIONER: RolePolicy(Scope.TEAM, frozenset({C.CASEWORK, C.STAFF_VIEW})),
    Role.LEAD_MANAGER: RolePolicy(
        Scope.SERVICE,
        frozenset({C.CASEWORK, C.STAFF_VIEW, C.AUDIT_VIEW, C.AGGREGATE_REPORTS, C.IMPORT}),
    ),
    # Administrators set the organisation up; no casework unless also given a team role.
    Role.ADMINISTRATOR: RolePolicy(
        Scope.ORGANISATION,
        frozenset({C.STAFF_VIEW, C.STAFF_MANAGE, C.ORGANISATION_MANAGE, C.AUDIT_VIEW, C.IMPORT}),
    ),
    Role.COMMISSIONER: RolePolicy(Scope.SERVICE, frozenset({C.AGGREGATE_REPORTS})),
}

# Roles that run a team: they manage its caseloads and see its staff.
MANAGER_ROLES = frozenset({Role.SENIOR_PRACTITIONER, Role.LEAD_MANAGER})


def roles_of(user: User) -> set[str]:
    return {membership.role for membership in memberships_of(user)}


def has_capability(user: User, capability: Capability) -> bool:
    return scope_of(user, capability) > Scope.NONE


def scope_of(user: User, capability: Capability) -> Scope:
    """The widest scope in which any of the user's roles grants the capability."""
    widest = Scope.NONE
    for membership in memberships_of(user):
        policy = ROLE_POLICIES[membership.role]
        if capability in policy.capabilities and policy.scope > widest:
            widest = policy.scope
    return widest


def _memberships_with(user: User, capability: Capability) -> Iterable[Membership]:
    return (m for m in memberships_of(user) if capability in ROLE_POLICIES[m.role].capabilities)


# Roles that reach only the cases they are allocated to, never their team's services.
ALLOCATED_ONLY_ROLES = frozenset({Role.COMPLEX_CASEWORKER})


def service_ids_in_scope(user: User, capability: Capability) -> set[int] | None:
    """Ids of the services the capability reaches; None means the whole organisation.
    A complex caseworker's role reaches no service: they join the cases allocated to
    them (through the episode), not everyone their team supports."""
    if scope_of(user, capability) == Scope.ORGANISATION:
        return None
    service_ids: set[int] = set()
    for membership in _memberships_with(user, capability):
        if membership.role in ALLOCATED_ONLY_ROLES:
            continue
        if membership.service_id:
            service_ids.add(membership.service_id)
        elif membership.team_id:
            service_ids.update(service.pk for service in membership.team.services.all())
    return service_ids


def team_ids_in_scope(user: User, capability: Capability) -> set[int] | None:
    """Ids of the teams the capability reaches; None means the whole organisation.

    Own-caseload and team scopes reach the user's own teams; service scope reaches
    every team that works in one of the user's services."""
    scope = scope_of(user, capability)
    if scope == Scope.ORGANISATION:
        return None
    team_ids = {m.team_id for m in _memberships_with(user, capability) if m.team_id}
    if scope == Scope.SERVICE:
        service_ids = service_ids_in_scope(user, capability) or set()
        team_ids |= set(
            Team.objects.filter(
                organisation_id=user.organisation_id, services__in=service_ids
            ).values_list("pk", flat=True)
        )
    return team_ids


def scoped_to_organisation(user: User, queryset: QuerySet, field: str = "organisation") -> QuerySet:
    """Every query about casework or staff starts here: never across organisations."""
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    return queryset.filter(**{f"{field}_id": user.organisation_id})


def get_visible_or_404(queryset: QuerySet[M], **lookup: Any) -> M:
    """Fetch one row from an already-scoped queryset; missing and not-allowed look alike.
    A row about a person is a read of their record, and is audited as one."""
    try:
        obj = queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as error:
        raise NotFoundOrNotAllowed from error
    reads.record_fetched(obj)
    return obj


def require(user: User, capability: Capability) -> None:
    if not has_capability(user, capability):
        raise NotFoundOrNotAllowed


def capability_required(capability: Capability) -> Callable:
    """For views: anonymous users go to sign in; signed-in users without the
    capability get a 404, the same answer as a page that does not exist."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            require(request.user, capability)
            return view(request, *args, **kwargs)

        wrapped.keywork_capability = capability
        return wrapped

    return decorator


# --- People ---------------------------------------------------------------------------------


def _reasons_to_see_people(user: User):
    """Why the user may see a person: querysets of the episodes, referrals and
    break-glass grants that let them (each with a person_id), and a condition on the
    person for someone they have just recorded. None if they see nobody.

    Staff see a person while a service their team works in holds an open episode or a
    live referral for them, and for a while after the episode ends or the referral is
    decided; the workers allocated to an episode see the person wherever the team is;
    managers see everyone their services have ever supported; someone who has just
    recorded a new person sees them until a referral is made. Cover while on call adds
    the people of the covered services with support open there, for the length of the
    shift. A break-glass grant adds one person for an hour."""
    from django.conf import settings
    from django.db.models import Exists, OuterRef, Q
    from django.utils import timezone

    from keywork.people.models import BreakGlassAccess, Episode, Referral, ServiceCover

    scope = scope_of(user, C.CASEWORK)
    if scope == Scope.NONE:
        return None
    cutoff = timezone.localdate() - timezone.timedelta(
        days=settings.KEYWORK_CLOSED_EPISODE_VISIBLE_DAYS
    )
    recent = Q(end_date__isnull=True) | Q(end_date__gte=cutoff)
    episodes = Episode.objects.order_by()
    referrals = Referral.objects.order_by()
    service_ids = service_ids_in_scope(user, C.CASEWORK)
    in_services = Q(service_id__in=service_ids) if service_ids is not None else Q()
    if scope >= Scope.SERVICE:
        team_episodes = episodes.filter(in_services)
        team_referrals = referrals.filter(in_services)
    else:
        team_episodes = episodes.filter(in_services).filter(recent)
        # A referral the team turned down stays in view as long as an ended episode would.
        team_referrals = referrals.filter(in_services).filter(
            Q(status__in=Referral.OPEN_STATUSES) | Q(decided_on__gte=cutoff)
        )
    # Key worker and co-worker apart: each has its own index, "either" would have none.
    key_working = episodes.filter(recent).filter(key_worker=user)
    co_working = episodes.filter(recent).filter(co_workers__user=user)
    now = timezone.now()
    on_call = episodes.filter(
        end_date__isnull=True,
        service_id__in=ServiceCover.objects.filter(
            user=user, starts_at__lte=now, ends_at__gt=now
        ).values("service_id"),
    )
    glass = BreakGlassAccess.objects.filter(user=user, expires_at__gt=now).order_by()
    newly_recorded = (
        Q(created_by=user)
        & ~Exists(episodes.filter(person=OuterRef("pk")))
        & ~Exists(referrals.filter(person=OuterRef("pk")))
    )
    return [team_episodes, team_referrals, key_working, co_working, on_call, glass], newly_recorded


def _records_in_organisation(user: User) -> QuerySet:
    """Every live person record (not merged into another) in the user's organisation."""
    from keywork.people.models import Person

    return scoped_to_organisation(user, Person.objects.filter(merged_into=None))


def people_visible_to(user: User) -> QuerySet:
    """The people whose records the user may open (the reasons are in
    _reasons_to_see_people).

    One list of ids, each part answered from its own index (the services' episodes, the
    user's allocations...), rather than a test of every person in the organisation: the
    time follows the user's caseload, not the organisation. About one person, ask
    may_see_person or visible_person_or_404 instead."""
    from keywork.people.models import Person

    people = _records_in_organisation(user)
    reasons = _reasons_to_see_people(user)
    if reasons is None:
        return people.none()
    through, newly_recorded = reasons
    ids = (
        through[0]
        .values("person_id")
        .union(
            *[reason.values("person_id") for reason in through[1:]],
            Person.objects.filter(newly_recorded).order_by().values("pk"),
        )
    )
    return people.filter(pk__in=ids)


def managed_service_ids(user: User) -> set[int]:
    """Services whose casework the user manages: a senior practitioner's team's services,
    a lead manager's services."""
    managing = [m for m in memberships_of(user) if m.role in MANAGER_ROLES and m.team_id]
    return {service.pk for m in managing for service in m.team.services.all()}


def visible_person_or_404(
    user: User, person_id: int, with_related: Callable[[QuerySet], QuerySet] | None = None
):
    """The person, if the user may see them (`with_related` adds what the page reads
    with them). The instance remembers that this user was let see it, so the checks the
    rest of the request makes on it (its notes, its appointments...) need not ask the
    database again: it lives only as long as the request that fetched it."""
    people = _records_in_organisation(user)
    if with_related:
        people = with_related(people)
    try:
        person = people.get(pk=person_id)
    except (people.model.DoesNotExist, ValueError, TypeError) as error:
        raise NotFoundOrNotAllowed from error
    reason = _reason_to_see(user, person.pk)
    if reason is None:
        raise NotFoundOrNotAllowed
    person._visible_to_user_id = user.pk
    reads.record_read(actor=user, obj=person, reason=reason)
    return person


def _reason_to_see(user: User, person_id: int, *, glass: bool = True) -> str | None:
    """Why the user may see the person (their work, or break-glass), or None.

    The reasons of _reasons_to_see_people asked about one person one at a time, the
    commonest (their team's services) first, stopping at the first yes: short questions,
    quicker for Django to build and the database to plan than one holding every reason.
    The break-glass grant is asked last, so that it is the reason only when it is the
    one reason."""
    from keywork.people.models import Person

    reasons = _reasons_to_see_people(user)
    if reasons is None:
        return None
    (*through_work, through_cover, through_glass), newly_recorded = reasons
    if any(reason.filter(person_id=person_id).exists() for reason in through_work):
        return reads.NORMAL
    if Person.objects.filter(newly_recorded, pk=person_id).exists():
        return reads.NORMAL
    if through_cover.filter(person_id=person_id).exists():
        return reads.ON_CALL
    if glass and through_glass.filter(person_id=person_id).exists():
        return reads.BREAK_GLASS
    return None


def _has_a_reason_to_see(user: User, person_id: int) -> bool:
    return _reason_to_see(user, person_id) is not None


def read_reasons(user: User, person_ids: set[int]) -> dict[int, str]:
    """For records fetched about these people: break-glass for those the user sees only
    through a grant, on call for those seen only through cover, their work for the
    rest. Two queries unless a grant or cover is live."""
    from django.utils import timezone

    from keywork.people.models import BreakGlassAccess, ServiceCover

    now = timezone.now()
    granted = set(
        BreakGlassAccess.objects.filter(
            user=user, person_id__in=person_ids, expires_at__gt=now
        ).values_list("person_id", flat=True)
    )
    covering = ServiceCover.objects.filter(user=user, starts_at__lte=now, ends_at__gt=now).exists()
    if not granted and not covering:
        return dict.fromkeys(person_ids, reads.NORMAL)
    return {person_id: _reason_to_see(user, person_id) or reads.NORMAL for person_id in person_ids}


def may_see_person(user: User, person) -> bool:
    if getattr(person, "_visible_to_user_id", None) == user.pk:
        return True
    return may_see_person_id(user, person.pk)


def may_see_person_id(user: User, person_id: int) -> bool:
    people = _records_in_organisation(user)
    return people.filter(pk=person_id).exists() and _has_a_reason_to_see(user, person_id)


def staff_who_may_see(*, person, among: QuerySet[User]) -> QuerySet[User]:
    """Those of `among` who may see the person, in one query: the reasons of
    people_visible_to asked the other way round (of one person, which staff),
    for the lists of staff a page offers (those an appointment, a note or a plan action
    may name). The services still ask about each one named, and a test holds the two
    answers together."""
    from django.conf import settings
    from django.db.models import Exists, OuterRef, Q
    from django.utils import timezone

    from keywork.people.models import (
        BreakGlassAccess,
        Episode,
        EpisodeWorker,
        Referral,
        ServiceCover,
    )

    if person.merged_into_id is not None:
        return among.none()
    policies = ROLE_POLICIES
    casework = [r for r, p in policies.items() if Capability.CASEWORK in p.capabilities]
    team_casework = [r for r in casework if r not in ALLOCATED_ONLY_ROLES]
    service_wide = [r for r in casework if policies[r].scope >= Scope.SERVICE]
    organisation_wide = [r for r in casework if policies[r].scope == Scope.ORGANISATION]
    cutoff = timezone.localdate() - timezone.timedelta(
        days=settings.KEYWORK_CLOSED_EPISODE_VISIBLE_DAYS
    )
    episodes = list(
        Episode.objects.filter(person=person).values_list(
            "pk", "service_id", "end_date", "key_worker_id"
        )
    )
    referrals = list(
        Referral.objects.filter(person=person).values_list("service_id", "status", "decided_on")
    )
    recent_episodes = [e for e in episodes if e[2] is None or e[2] >= cutoff]
    services_lately = {e[1] for e in recent_episodes} | {
        service_id
        for service_id, status, decided_on in referrals
        if status in Referral.OPEN_STATUSES or (decided_on is not None and decided_on >= cutoff)
    }
    services_ever = {e[1] for e in episodes} | {r[0] for r in referrals}

    def holding(roles: list[str], service_ids: set[int] | None = None) -> Exists:
        memberships = Membership.objects.filter(user=OuterRef("pk"), role__in=roles)
        if service_ids is not None:
            # As access.service_ids_in_scope: a membership's service, else its team's.
            memberships = memberships.filter(
                Q(service_id__in=service_ids)
                | Q(service_id__isnull=True, team__services__in=service_ids)
            )
        return Exists(memberships)

    reasons = (
        holding(team_casework, services_lately)
        | (holding(service_wide) & holding(casework, services_ever))
        | Q(pk__in={e[3] for e in recent_episodes})
        | Q(
            pk__in=EpisodeWorker.objects.filter(
                episode_id__in=[e[0] for e in recent_episodes]
            ).values("user_id")
        )
        | Q(
            pk__in=BreakGlassAccess.objects.filter(
                person=person, expires_at__gt=timezone.now()
            ).values("user_id")
        )
        | Q(
            pk__in=ServiceCover.objects.filter(
                service_id__in={e[1] for e in episodes if e[2] is None},
                starts_at__lte=timezone.now(),
                ends_at__gt=timezone.now(),
            ).values("user_id")
        )
    )
    if organisation_wide and (episodes or referrals):
        reasons |= holding(organisation_wide)
    if not episodes and not referrals:
        reasons |= Q(pk=person.created_by_id)
    return among.filter(organisation_id=person.organisation_id, is_active=True).filter(
        holding(casework), reasons
    )


def check_can_record_on(user: User, person) -> None:
    """For services writing on a person's record: casework staff who may see them."""
    check_or_404(user, "people.record")
    if not may_see_person(user, person):
        raise NotFoundOrNotAllowed


def services_for_casework(user: User) -> QuerySet:
    """The services whose referrals and episodes the user works on."""
    from keywork.organisations.models import Service

    services = scoped_to_organisation(user, Service.objects.filter(archived_at=None))
    if not has_capability(user, C.CASEWORK):
        return services.none()
    service_ids = service_ids_in_scope(user, C.CASEWORK)
    return services if service_ids is None else services.filter(pk__in=service_ids)


def services_for_reports(user: User) -> QuerySet:
    """The services whose figures (without personal data) the user may see."""
    from keywork.organisations.models import Service

    services = scoped_to_organisation(user, Service.objects.filter(archived_at=None))
    if not has_capability(user, C.AGGREGATE_REPORTS):
        return services.none()
    service_ids = service_ids_in_scope(user, C.AGGREGATE_REPORTS)
    return services if service_ids is None else services.filter(pk__in=service_ids)


def teams_managed_by(user: User) -> QuerySet:
    """Teams whose caseloads the user may see and rebalance: a senior practitioner's own
    teams, and every team working in a lead manager's services."""
    from django.db.models import Q

    led = [m for m in memberships_of(user) if m.role == Role.LEAD_MANAGER]
    own_team_ids = {m.team_id for m in memberships_of(user) if m.role in MANAGER_ROLES}
    service_ids = {s.pk for m in led for s in m.team.services.all()}
    teams = scoped_to_organisation(user, Team.objects.filter(archived_at=None))
    return teams.filter(Q(pk__in=own_team_ids) | Q(services__in=service_ids)).distinct()


# --- Object rules ---------------------------------------------------------------------
# The same decisions as predicates, for checks on one object (services call these).


@rules.predicate
def in_same_organisation(user: User, obj: Model | None) -> bool:
    return obj is not None and getattr(obj, "organisation_id", None) == user.organisation_id


def _capable(capability: Capability) -> Callable:
    @rules.predicate(name=f"has_{capability.value}")
    def predicate(user: User) -> bool:
        return has_capability(user, capability)

    return predicate


@rules.predicate
def is_self(user: User, target: User | None) -> bool:
    return target is not None and target.pk == user.pk


can_manage_organisation = _capable(C.ORGANISATION_MANAGE)
can_manage_staff = _capable(C.STAFF_MANAGE)
can_view_audit = _capable(C.AUDIT_VIEW)

rules.add_perm("organisations.manage", can_manage_organisation & in_same_organisation)
rules.add_perm("accounts.invite", can_manage_staff & in_same_organisation)
rules.add_perm("accounts.deactivate", can_manage_staff & in_same_organisation & ~is_self)
rules.add_perm("accounts.manage_roles", can_manage_staff & in_same_organisation)


@rules.predicate
def does_casework(user: User) -> bool:
    return has_capability(user, C.CASEWORK)


@rules.predicate
def works_in_service(user: User, service) -> bool:
    if service is None or service.organisation_id != user.organisation_id:
        return False
    service_ids = service_ids_in_scope(user, C.CASEWORK)
    return service_ids is None or service.pk in service_ids


# The roles that decide who is taken on and when support ends.
DECIDING_ROLES = frozenset({Role.SUPPORT_WORKER, Role.SENIOR_PRACTITIONER, Role.LEAD_MANAGER})


@rules.predicate
def decides_in_service(user: User, service) -> bool:
    if service is None or service.organisation_id != user.organisation_id:
        return False
    for membership in memberships_of(user):
        if membership.role not in DECIDING_ROLES:
            continue
        if membership.service_id == service.pk or (
            membership.team_id and service.pk in {s.pk for s in membership.team.services.all()}
        ):
            return True
    return False


@rules.predicate
def manages_service(user: User, service) -> bool:
    if not roles_of(user) & MANAGER_ROLES:
        return False
    return bool(works_in_service(user, service))


@rules.predicate
def allocated_to_episode(user: User, episode) -> bool:
    return episode is not None and (
        episode.key_worker_id == user.pk or episode.co_workers.filter(user=user).exists()
    )


@rules.predicate
def works_in_episode_service(user: User, episode) -> bool:
    return episode is not None and bool(works_in_service(user, episode.service))


rules.add_perm("people.record", does_casework)
# Deciding a referral and ending or re-opening support belong to the service's own team.
rules.add_perm("people.work_in_service", does_casework & works_in_service)
# Turning a referral down, taking someone on, and ending or re-opening their support are
# decisions for a key worker or above in the service, not for a support assistant, who
# helps allocated workers with the work itself.
rules.add_perm("people.decide_in_service", does_casework & decides_in_service)
rules.add_perm("people.manage_service", does_casework & manages_service)
rules.add_perm("people.merge", does_casework & _capable(C.STAFF_VIEW))


@cache
def _add_area_rules() -> None:
    """The rules each area declares on its own records (its contributions'
    object_rules), added once, the first time anything is checked."""
    for name, predicate in object_rules().items():
        rules.set_perm(name, predicate)


def check(user: User, permission: str, obj: Model | None = None) -> bool:
    _add_area_rules()
    return rules.has_perm(permission, user, obj)


def check_or_404(user: User, permission: str, obj: Model | None = None) -> None:
    if not check(user, permission, obj):
        raise NotFoundOrNotAllowed
