"""What supervision adds to the shared places: the menu, who is due supervision on the
home page of their supervisor and managers (overdue in red), a summary on the staff
page for those allowed, and the rules on its records."""

from typing import Any

from django.utils import timezone

from keywork import access
from keywork.accounts.models import User
from keywork.core.contributions import Contributions, HomePanel, MenuItem, PersonPanel
from keywork.supervision import permissions, selectors


def _is_staff(user: User) -> bool:
    return bool(access.has_capability(user, access.Capability.CASEWORK))


def _due(user: User) -> dict | None:
    if not _is_staff(user):
        return None
    supervising = selectors.supervised_by(user)
    supervising_ids = {row.member.pk for row in supervising}
    managing = [
        row
        for row in selectors.managed_by(user)
        if row.overdue and row.member.pk not in supervising_ids
    ]
    if not supervising and not managing:
        return None
    return {"supervising": supervising, "managing": managing, "today": timezone.localdate()}


def _staff_summary(member: User, user: User) -> dict[str, Any] | None:
    # Administrators see the staff page but no supervision.
    if not _is_staff(user) or not access.check(user, "supervision.see_development", member):
        return None
    return {"member": member, "due": selectors.summary_for(member)}


CONTRIBUTIONS = Contributions(
    menu=[
        MenuItem("Supervision", "supervision:home", access.Capability.CASEWORK, place=47),
    ],
    home_panels=[HomePanel("supervision/_home_due.html", _due, place=40)],
    staff_panels=[PersonPanel("supervision/_staff_summary.html", _staff_summary, place=30)],
    audit_no_one_person=[
        "supervision.arrangement",
        "supervision.frequency",
        "supervision.supervision",
        "supervision.agreedaction",
        "supervision.actionprogress",
        "supervision.amendment",
        "supervision.competencyframework",
        "supervision.level",
        "supervision.competency",
        "supervision.leveldescriptor",
        "supervision.requiredlevel",
        "supervision.assessment",
        "supervision.score",
        "supervision.developmentgoal",
        "supervision.goalreview",
    ],
    object_rules={
        "supervision.see_development": permissions.SEE_DEVELOPMENT,
        "supervision.hold_for": permissions.HOLD_FOR,
        "supervision.arrange": permissions.ARRANGE,
        "supervision.see": permissions.SEE,
        "supervision.hold": permissions.HOLD,
        "supervision.agree": permissions.AGREE,
        "supervision.see_assessment": permissions.SEE_ASSESSMENT,
        "supervision.self_assess": permissions.SELF_ASSESS,
        "supervision.assess": permissions.ASSESS,
        "supervision.change_goal": permissions.CHANGE_GOAL,
        "supervision.manage_frameworks": permissions.MANAGE_FRAMEWORKS,
    },
)
