"""Who may see and record training.

A member of staff sees their own training. Their line managers (a senior practitioner
or lead manager of one of their teams, and a lead manager of a service one of their
teams works in) see it and record it, and see those teams' matrix. Administrators see
and record everyone's in the organisation and read the organisation's matrix; they and
lead managers keep the catalogue of courses."""

import rules

from keywork import access
from keywork.accounts.models import Membership, Role, User
from keywork.organisations.models import Team

CATALOGUE_ROLES = frozenset({Role.ADMINISTRATOR, Role.LEAD_MANAGER})


def is_administrator(user: User) -> bool:
    return Role.ADMINISTRATOR in access.roles_of(user)


# Kept on the user for the request: one page checks several records against them.
_TEAMS, _STAFF = "_training_managed_team_ids", "_training_managed_staff_ids"


def managed_team_ids(user: User) -> set[int]:
    if _TEAMS not in user.__dict__:
        user.__dict__[_TEAMS] = (
            set(access.teams_managed_by(user).values_list("pk", flat=True))
            if access.roles_of(user) & access.MANAGER_ROLES
            else set()
        )
    return user.__dict__[_TEAMS]


def managed_staff_ids(user: User) -> set[int]:
    """Everyone in a team the user manages (the user too, where they are in it)."""
    if _STAFF not in user.__dict__:
        team_ids = managed_team_ids(user)
        user.__dict__[_STAFF] = (
            set(
                Membership.objects.filter(
                    team_id__in=team_ids, user__organisation_id=user.organisation_id
                ).values_list("user_id", flat=True)
            )
            if team_ids
            else set()
        )
    return user.__dict__[_STAFF]


@rules.predicate
def sees_training_of(user: User, target: User | None) -> bool:
    if target is None or target.organisation_id != user.organisation_id:
        return False
    return target.pk == user.pk or bool(records_training_of(user, target))


@rules.predicate
def records_training_of(user: User, target: User | None) -> bool:
    if target is None or target.organisation_id != user.organisation_id:
        return False
    return is_administrator(user) or target.pk in managed_staff_ids(user)


@rules.predicate
def keeps_catalogue(user: User) -> bool:
    return bool(access.roles_of(user) & CATALOGUE_ROLES)


@rules.predicate
def sees_team_matrix(user: User, team: Team | None) -> bool:
    if team is None or team.organisation_id != user.organisation_id:
        return False
    return is_administrator(user) or team.pk in managed_team_ids(user)


@rules.predicate
def sees_organisation_matrix(user: User) -> bool:
    return is_administrator(user)


SEE = sees_training_of
RECORD = records_training_of
CATALOGUE = keeps_catalogue
TEAM_MATRIX = sees_team_matrix
ORGANISATION_MATRIX = sees_organisation_matrix
