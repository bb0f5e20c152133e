"""Who may do what with complaints.

The service's managers (its senior practitioners and lead managers) read and handle its
complaints; casework staff of the service may log one, and read again what they logged.
A complaint about a member of staff is never theirs to read or handle, whatever else
they are, so that no one answers a complaint about themselves."""

import rules

from keywork import access
from keywork.accounts.models import User
from keywork.feedback.models import Complaint, Stage


def _about_them(user: User, complaint: Complaint) -> bool:
    return complaint.about_staff_id == user.pk


@rules.predicate
def reads_complaint(user: User, complaint: Complaint | None) -> bool:
    if complaint is None or complaint.organisation_id != user.organisation_id:
        return False
    if _about_them(user, complaint):
        return False
    return complaint.logged_by_id == user.pk or bool(
        access.manages_service(user, complaint.service)
    )


@rules.predicate
def handles_complaint(user: User, complaint: Complaint | None) -> bool:
    if complaint is None or complaint.organisation_id != user.organisation_id:
        return False
    return not _about_them(user, complaint) and bool(
        access.manages_service(user, complaint.service)
    )


def may_handle_stage(user: User, complaint: Complaint, number: int) -> str | None:
    """Why `user` may not be the handler of that stage, or None if they may."""
    if _about_them(user, complaint):
        return "The complaint is about this member of staff: choose someone else."
    if not access.manages_service(user, complaint.service):
        return "Choose a senior practitioner or lead manager of the service."
    if number == Stage.Number.TWO:
        first = next((s for s in complaint.stages.all() if s.number == Stage.Number.ONE), None)
        if first is not None and first.handler_id == user.pk:
            return "Stage 2 must be handled by someone other than the stage 1 handler."
    return None


READ = access.does_casework & reads_complaint
HANDLE = access.does_casework & handles_complaint
