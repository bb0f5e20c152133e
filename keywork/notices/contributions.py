"""What notices and leaflets add to the shared places: the menu, the person's timeline
(what they received and acknowledged), a section of the person's page (notices not yet
had, or to acknowledge), the rule on giving them out, and their files for a restore."""

from django.urls import reverse

from keywork import access
from keywork.accounts.models import User
from keywork.core.contributions import Contributions, MenuItem, PersonPanel
from keywork.core.timeline import Shown, Source, StartOf, TimelineKind, shown_by_id
from keywork.notices import selectors, services
from keywork.notices.models import NoticeFor, Receipt
from keywork.people.models import Person
from keywork.people.services import MergeMove


def _notice_sources(fetched_by: User, person: Person) -> list[Source]:
    receipts = Receipt.objects.filter(person=person)

    def read(ids):
        return receipts.filter(pk__in=ids).select_related("notice")

    def received(r: Receipt) -> Shown:
        return (
            f"Received a notice: {r.notice.title}",
            r.get_how_display(),
            reverse("notices:notice", args=[r.notice_id]),
        )

    def acknowledged(r: Receipt) -> Shown:
        return (
            f"Acknowledged a notice: {r.notice.title}",
            "Recorded by staff on their behalf",
            reverse("notices:notice", args=[r.notice_id]),
        )

    return [
        Source(
            "notice",
            receipts,
            StartOf("received_on"),
            lambda ids: shown_by_id(read(ids), received),
        ),
        Source(
            "notice",
            receipts.exclude(acknowledged_on=None),
            StartOf("acknowledged_on"),
            lambda ids: shown_by_id(read(ids), acknowledged),
        ),
    ]


def _panel(user: User, person: Person) -> dict:
    return selectors.notices_for_person(fetched_by=user, person=person)


CONTRIBUTIONS = Contributions(
    menu=[MenuItem("Notices and leaflets", "notices:list", access.Capability.CASEWORK, place=60)],
    timeline=[TimelineKind("notice", "Notices and leaflets", _notice_sources, place=100)],
    person_panels=[PersonPanel("notices/_person_notices.html", _panel, place=70)],
    merge_moves=[MergeMove(Receipt, ("notice",)), MergeMove(NoticeFor, ("notice",))],
    stored_files=[services.stored_files],
    audit_no_one_person=["notices.notice", "notices.noticefile"],
    object_rules={
        # Giving out information is for everyone doing casework in the service, support
        # assistants too.
        "notices.give_out": access.does_casework & access.works_in_service,
    },
)
