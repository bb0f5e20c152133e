"""Who may do what on call.

A rota is seen by casework staff of any service it covers and changed by their managers
(senior practitioners and lead managers). A log entry about a person follows the
person's record: whoever may see them may read it, as on their timeline; one about
someone not known is read by casework staff of its service. Its writer may always read
it again, after their shift and its cover have ended."""

import rules

from keywork import access
from keywork.accounts.models import User
from keywork.oncall.models import FollowUp, LogEntry, Rota


def rota_service_ids(rota: Rota) -> set[int]:
    # Prefetched with the rota where a page lists many, else one query.
    return {service.pk for service in rota.services.all()}


def _covers_services_of(user: User, rota: Rota | None) -> bool:
    if rota is None or rota.organisation_id != user.organisation_id:
        return False
    in_scope = access.service_ids_in_scope(user, access.Capability.CASEWORK)
    return in_scope is None or bool(rota_service_ids(rota) & in_scope)


@rules.predicate
def works_on_rota(user: User, rota: Rota | None) -> bool:
    """Staff of a service the rota covers, and whoever is on it."""
    if _covers_services_of(user, rota):
        return True
    return rota is not None and rota.shifts.filter(worker=user, removed_at=None).exists()


@rules.predicate
def manages_rota(user: User, rota: Rota | None) -> bool:
    """A manager of a service the rota covers (being on it is not enough)."""
    return bool(access.roles_of(user) & access.MANAGER_ROLES) and _covers_services_of(user, rota)


@rules.predicate
def reads_entry(user: User, entry: LogEntry | None) -> bool:
    if entry is None or entry.organisation_id != user.organisation_id:
        return False
    if entry.written_by_id == user.pk:
        return True
    if entry.person_id is not None:
        return access.may_see_person_id(user, entry.person_id)
    return bool(access.works_in_service(user, entry.service))


@rules.predicate
def amends_entry(user: User, entry: LogEntry | None) -> bool:
    if entry is None or entry.organisation_id != user.organisation_id:
        return False
    return entry.written_by_id == user.pk or bool(access.manages_service(user, entry.service))


@rules.predicate
def does_follow_up(user: User, follow_up: FollowUp | None) -> bool:
    if follow_up is None or follow_up.entry.organisation_id != user.organisation_id:
        return False
    return follow_up.assigned_to_id == user.pk or bool(
        access.manages_service(user, follow_up.entry.service)
    )


VIEW = access.does_casework & works_on_rota
MANAGE = access.does_casework & manages_rota
READ_ENTRY = access.does_casework & reads_entry
AMEND_ENTRY = access.does_casework & amends_entry
FOLLOW_UP = access.does_casework & does_follow_up
