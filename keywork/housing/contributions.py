"""What rooms, stays, move-on and the checks after it add to the shared places."""

from django.urls import reverse

from keywork import access
from keywork.accounts.models import User
from keywork.core.contributions import Contributions, ServiceLink
from keywork.core.timeline import Shown, Source, StartOf, TimelineKind, shown_by_id
from keywork.housing.caseload import UNIT_COLUMN
from keywork.housing.models import HousingApplication, MoveOnPlan, SustainmentCheck, Tenancy
from keywork.housing.selectors import destination_from_move_on
from keywork.housing.services import end_stays_with_episode
from keywork.people.contributions import RecordLink
from keywork.people.models import Person
from keywork.people.services import MergeMove


def _housing_sources(fetched_by: User, person: Person) -> list[Source]:
    """Moves in and out of the service's rooms, housing applications and the checks
    after a move-on."""
    stays = Tenancy.objects.filter(person=person)
    applications = HousingApplication.objects.filter(plan__person=person)
    checks = SustainmentCheck.objects.filter(person=person)

    def read_stays(ids):
        return stays.filter(pk__in=ids).select_related("unit__property")

    def moved_in(t: Tenancy) -> Shown:
        url = reverse("housing:episode", args=[t.episode_id])
        return (f"Moved into {t.unit}", t.get_kind_display(), url)

    def moved_out(t: Tenancy) -> Shown:
        return (f"Moved out of {t.unit}", "", reverse("housing:episode", args=[t.episode_id]))

    def show_application(a: HousingApplication) -> Shown:
        return (
            f"Housing application: {a.get_route_display()}",
            f"{a.get_status_display()} ({a.status_on:%d/%m/%Y})",
            reverse("housing:application", args=[a.pk]),
        )

    def show_check(c: SustainmentCheck) -> Shown:
        return (
            f"{c.months}-month check after moving on",
            "Still housed" if c.still_housed else "Not housed",
            reverse("housing:episode", args=[c.episode_id]),
        )

    return [
        Source(
            "housing",
            stays,
            StartOf("start_date"),
            lambda ids: shown_by_id(read_stays(ids), moved_in),
        ),
        Source(
            "housing",
            stays.exclude(end_date=None),
            StartOf("end_date"),
            lambda ids: shown_by_id(read_stays(ids), moved_out),
        ),
        Source(
            "housing",
            applications,
            StartOf("applied_on"),
            lambda ids: shown_by_id(applications.filter(pk__in=ids), show_application),
        ),
        Source(
            "housing",
            checks,
            StartOf("checked_on"),
            lambda ids: shown_by_id(checks.filter(pk__in=ids), show_check),
        ),
    ]


CONTRIBUTIONS = Contributions(
    timeline=[TimelineKind("housing", "Housing and move-on", _housing_sources, place=90)],
    caseload_columns=[UNIT_COLUMN],
    episode_links=[
        RecordLink(
            "Housing and move-on",
            "housing:episode",
            place=20,
            joiner="in",
            ended_label="Housing and follow-up",
        )
    ],
    service_links=[
        ServiceLink("Accommodation", "housing:service", access.Capability.CASEWORK, place=10)
    ],
    merge_moves=[MergeMove(Tenancy), MergeMove(MoveOnPlan), MergeMove(SustainmentCheck)],
    on_episode_close=[end_stays_with_episode],
    destination_hints=[destination_from_move_on],
    object_rules={
        # Properties and rooms: the organisation's administrators, and the service's
        # managers.
        "housing.manage": (access.can_manage_organisation & access.in_same_organisation)
        | (access.does_casework & access.manages_service),
    },
)
