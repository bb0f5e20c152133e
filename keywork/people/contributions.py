"""What the person's record adds to the shared places, and the shapes of what other
areas add to the person's own places (links on the person's page)."""

from dataclasses import dataclass

from django.db.models import F, QuerySet
from django.urls import reverse

from keywork import access
from keywork.accounts.models import User
from keywork.core.contributions import Contributions, MenuItem
from keywork.core.timeline import Shown, Source, StartOf, TimelineKind, shown_by_id
from keywork.people.models import Alert, Episode, Person, Referral
from keywork.people.selectors import ALERTS_COLUMN


@dataclass(frozen=True)
class RecordLink:
    """A link on the person's page to an area's page of the person ("person_links") or
    of one of their episodes ("episode_links"; the url takes the episode's id)."""

    label: str
    url_name: str
    place: int = 50
    primary: bool = False  # the page's main action, shown as a button
    # Episode links: how a screen reader hears the service ("Support plan for Harbour
    # House"), and the label on an ended episode ("" if not shown once support ends).
    joiner: str = "for"
    ended_label: str = ""
    ended_joiner: str = "after"


def _referral_sources(fetched_by: User, person: Person) -> list[Source]:
    referrals = Referral.objects.filter(person=person)

    def show(r: Referral) -> Shown:
        return (
            f"Referral to {r.service}",
            r.get_status_display(),
            reverse("people:referral", args=[r.pk]),
        )

    return [
        Source(
            "referral",
            referrals,
            StartOf("received_on"),
            lambda ids: shown_by_id(referrals.filter(pk__in=ids).select_related("service"), show),
        )
    ]


def _episode_sources(fetched_by: User, person: Person) -> list[Source]:
    episodes = Episode.objects.filter(person=person)

    def started(e: Episode) -> Shown:
        return (f"Support started: {e.service}", f"Key worker {e.key_worker.full_name}", "")

    def ended(e: Episode) -> Shown:
        return (
            f"Support ended: {e.service}",
            f"{e.get_end_reason_display()}, to {e.get_destination_display().lower()}",
            "",
        )

    def read(ids: list[int]) -> QuerySet[Episode]:
        return episodes.filter(pk__in=ids).select_related("service", "key_worker")

    return [
        Source(
            "episode",
            episodes,
            StartOf("start_date"),
            lambda ids: shown_by_id(read(ids), started),
        ),
        Source(
            "episode",
            episodes.exclude(end_date=None),
            StartOf("end_date"),
            lambda ids: shown_by_id(read(ids), ended),
        ),
    ]


def _alert_sources(fetched_by: User, person: Person) -> list[Source]:
    alerts = Alert.objects.filter(person=person)

    def show(a: Alert) -> Shown:
        return (f"Alert: {a.text}", "Ended" if a.ended_at else a.get_level_display(), "")

    return [
        Source(
            "alert",
            alerts,
            F("created_at"),
            lambda ids: shown_by_id(alerts.filter(pk__in=ids), show),
        )
    ]


CONTRIBUTIONS = Contributions(
    menu=[
        MenuItem("My caseload", "people:my_caseload", access.Capability.CASEWORK, place=10),
        MenuItem("People", "people:search", access.Capability.CASEWORK, place=20),
        # Seniors and managers: the caseloads of the teams they look after.
        MenuItem(
            "Team caseload",
            "people:team_caseloads",
            access.Capability.CASEWORK,
            place=25,
            when=lambda user: bool(access.managed_service_ids(user)),
        ),
    ],
    timeline=[
        TimelineKind("referral", "Referrals", _referral_sources, place=20),
        TimelineKind("episode", "Support", _episode_sources, place=30),
        TimelineKind("alert", "Alerts", _alert_sources, place=40),
    ],
    caseload_columns=[ALERTS_COLUMN],
    # Why a person's records were read: the worker's work with them, on call, or
    # break-glass.
    read_reasons=[access.read_reasons],
    # A worker's cover of a service while on call is about the service, not one person.
    audit_no_one_person=["people.servicecover"],
)
