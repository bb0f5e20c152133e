"""What complaints add to the shared places: the menu, the overdue and due-soon stages
on a manager's home page (red and amber), the person's complaints on their page (only
those the reader may see), the rules on reading and handling a complaint, and what a
merge moves."""

from django.utils import timezone

from keywork import access
from keywork.accounts.models import User
from keywork.core.contributions import Contributions, HomePanel, MenuItem, PersonPanel
from keywork.feedback import permissions, selectors
from keywork.feedback.models import Complaint
from keywork.people.models import Person
from keywork.people.services import MergeMove


def _due(user: User) -> dict | None:
    if not access.has_capability(user, access.Capability.CASEWORK):
        return None
    today = timezone.localdate()
    overdue, soon = selectors.open_stages_for_manager(fetched_by=user, today=today)
    if not overdue and not soon:
        return None
    return {"overdue": overdue, "soon": soon, "today": today}


def _by_person(user: User, person: Person) -> dict:
    return {
        "complaints": selectors.complaints_by_person(fetched_by=user, person=person),
        "can_log": access.has_capability(user, access.Capability.CASEWORK),
        "person_id": person.pk,
    }


CONTRIBUTIONS = Contributions(
    menu=[MenuItem("Complaints", "feedback:complaints", access.Capability.CASEWORK, place=65)],
    home_panels=[HomePanel("feedback/_home_complaints.html", _due, place=15)],
    person_panels=[PersonPanel("feedback/_person_complaints.html", _by_person, place=80)],
    merge_moves=[MergeMove(Complaint, ())],
    object_rules={
        "feedback.read": permissions.READ,
        "feedback.handle": permissions.HANDLE,
    },
)
