"""Who may see and do what in supervision and staff development.

A member of staff's supervision and development are seen only by them, whoever
supervises them (their supervisor, and the stand-in), and the managers of their team
(its senior practitioners and lead managers). Administrators set the organisation up
but see no supervision content. Records are held by the supervisor or the stand-in;
the supervisee agrees them; a lead or senior of the team may set who supervises whom."""

import rules

from keywork import access
from keywork.accounts.models import Role, User
from keywork.accounts.selectors import memberships_of
from keywork.supervision.models import Assessment, DevelopmentGoal, Supervision

TEAM_MANAGER_ROLES = frozenset({Role.SENIOR_PRACTITIONER, Role.LEAD_MANAGER})


def _arrangement_of(member: User):
    from keywork.supervision.models import Arrangement

    cached = getattr(member, "_supervision_arrangement", False)
    if cached is False:
        cached = Arrangement.objects.filter(supervisee=member).first()
        member._supervision_arrangement = cached  # type: ignore[attr-defined]
    return cached


def manages_member(user: User, member: User) -> bool:
    """A senior practitioner or lead manager of a team the member works in."""
    if member.pk == user.pk or member.organisation_id != user.organisation_id:
        return False
    managed = {m.team_id for m in memberships_of(user) if m.role in TEAM_MANAGER_ROLES}
    if not managed:
        return False
    return member.memberships.filter(team_id__in=managed).exists()


def supervises_member(user: User, member: User) -> bool:
    arrangement = _arrangement_of(member)
    return arrangement is not None and user.pk in (
        arrangement.supervisor_id,
        arrangement.stand_in_id,
    )


@rules.predicate
def sees_development_of(user: User, member: User | None) -> bool:
    if member is None or member.organisation_id != user.organisation_id:
        return False
    return member.pk == user.pk or supervises_member(user, member) or manages_member(user, member)


@rules.predicate
def holds_for(user: User, member: User | None) -> bool:
    """Schedules, writes up and assesses: the supervisor, the stand-in, the managers."""
    if member is None or member.organisation_id != user.organisation_id or member.pk == user.pk:
        return False
    return supervises_member(user, member) or manages_member(user, member)


@rules.predicate
def arranges_for(user: User, member: User | None) -> bool:
    return member is not None and manages_member(user, member)


@rules.predicate
def sees_supervision(user: User, supervision: Supervision | None) -> bool:
    if supervision is None or supervision.organisation_id != user.organisation_id:
        return False
    if user.pk in (supervision.supervisee_id, supervision.supervisor_id):
        return True
    return bool(sees_development_of(user, supervision.supervisee))


@rules.predicate
def holds_supervision(user: User, supervision: Supervision | None) -> bool:
    if supervision is None or supervision.organisation_id != user.organisation_id:
        return False
    if user.pk == supervision.supervisee_id:
        return False
    return user.pk == supervision.supervisor_id or supervises_member(user, supervision.supervisee)


@rules.predicate
def is_supervisee(user: User, supervision: Supervision | None) -> bool:
    return supervision is not None and supervision.supervisee_id == user.pk


@rules.predicate
def sees_assessment(user: User, assessment: Assessment | None) -> bool:
    return assessment is not None and bool(sees_development_of(user, assessment.staff_member))


@rules.predicate
def is_assessed(user: User, assessment: Assessment | None) -> bool:
    return assessment is not None and assessment.staff_member_id == user.pk


@rules.predicate
def assesses(user: User, assessment: Assessment | None) -> bool:
    return assessment is not None and bool(holds_for(user, assessment.staff_member))


@rules.predicate
def changes_goal(user: User, goal: DevelopmentGoal | None) -> bool:
    return goal is not None and bool(sees_development_of(user, goal.staff_member))


SEE_DEVELOPMENT = sees_development_of
HOLD_FOR = holds_for
ARRANGE = arranges_for
SEE = sees_supervision
HOLD = holds_supervision
AGREE = is_supervisee & sees_supervision
SEE_ASSESSMENT = sees_assessment
SELF_ASSESS = is_assessed & sees_assessment
ASSESS = assesses
CHANGE_GOAL = changes_goal
MANAGE_FRAMEWORKS = access.can_manage_organisation & access.in_same_organisation
