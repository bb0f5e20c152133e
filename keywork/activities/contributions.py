"""What learning, work and activity adds to the shared places."""

from django.urls import reverse

from keywork.accounts.models import User
from keywork.activities.models import Activity, OutcomeEvent
from keywork.core.contributions import Contributions
from keywork.core.timeline import Shown, Source, StartOf, TimelineKind, shown_by_id
from keywork.people.contributions import RecordLink
from keywork.people.models import Person
from keywork.people.services import MergeMove


def _activity_sources(fetched_by: User, person: Person) -> list[Source]:
    happenings = OutcomeEvent.objects.filter(activity__person=person)

    def show(e: OutcomeEvent) -> Shown:
        return (
            f"{e.get_kind_display()}: {e.activity.title}",
            e.detail or e.activity.get_kind_display(),
            reverse("activities:activities", args=[person.pk]),
        )

    return [
        Source(
            "activities",
            happenings,
            StartOf("happened_on"),
            lambda ids: shown_by_id(happenings.filter(pk__in=ids).select_related("activity"), show),
        )
    ]


CONTRIBUTIONS = Contributions(
    timeline=[
        TimelineKind("activities", "Learning, work and activity", _activity_sources, place=100)
    ],
    person_links=[RecordLink("Learning, work and activity", "activities:activities", place=40)],
    merge_moves=[MergeMove(Activity)],
)
