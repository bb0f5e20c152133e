"""Records that older versions of Keywork let in and the pages must still show: dates in
year 1, typed before dates were checked, and an area of life whose name looks like
mathematics to a chart."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from keywork.activities.models import Activity, OutcomeEvent
from keywork.housing.models import HousingApplication, MoveOnPlan, Property, Tenancy, Unit
from keywork.outcomes.models import Domain, Framework, Rating, Stage
from keywork.people.models import Episode, Referral
from keywork.planning.models import SupportPlan

YEAR_ONE = date(1, 1, 1)
MATHS_LOOKALIKE = r"Money $\frac$"


@dataclass(frozen=True)
class OddRecords:
    plan: SupportPlan
    unit: Unit
    application: HousingApplication
    activity: Activity


def stored_unchecked(episode: Episode) -> OddRecords:
    """For the person of this (open) episode: their referral received on 01/01/0001; a
    course, its start, a room, a stay in it and a housing application all in year 1; and a
    support plan whose framework has an area of life named `Money $\\frac$`, rated in
    year 1 and today."""
    person, worker = episode.person, episode.key_worker
    Referral.objects.filter(pk=episode.referral_id).update(received_on=YEAR_ONE)
    activity = Activity.objects.create(
        person=person,
        kind="course",
        title="Year one course",
        start_date=YEAR_ONE,
        created_by=worker,
    )
    OutcomeEvent.objects.create(
        activity=activity, kind="started", happened_on=YEAR_ONE, created_by=worker
    )
    house = Property.objects.create(
        organisation=episode.organisation,
        service=episode.service,
        name="Year one house",
        address="1 Old Street",
        type="hostel",
    )
    unit = Unit.objects.create(property=house, name="Room 1", capacity=1, opened_on=YEAR_ONE)
    Tenancy.objects.create(
        episode=episode,
        person=person,
        unit=unit,
        kind="licence",
        start_date=YEAR_ONE,
        end_date=YEAR_ONE + timedelta(days=1),
        created_by=worker,
    )
    move_on, _ = MoveOnPlan.objects.get_or_create(
        episode=episode, defaults={"person": person, "readiness": "ready"}
    )
    application = HousingApplication.objects.create(
        plan=move_on, route="council", applied_on=YEAR_ONE, status="submitted", status_on=YEAR_ONE
    )
    framework = Framework.objects.create(organisation=episode.organisation, name="Odd framework")
    money = Domain.objects.create(framework=framework, name=MATHS_LOOKALIKE)
    Domain.objects.create(framework=framework, name="Home", position=1)
    Stage.objects.create(framework=framework, label="Whole scale", low=1, high=10)
    plan = SupportPlan.objects.create(
        organisation=episode.organisation,
        person=person,
        episode=episode,
        framework=framework,
        next_review_on=timezone.localdate(),
        created_by=worker,
    )
    for rated_on, score in ((YEAR_ONE, 2), (timezone.localdate(), 7)):
        Rating.objects.create(
            organisation=episode.organisation,
            episode=episode,
            domain=money,
            score=score,
            rated_by="together",
            rated_on=rated_on,
            recorded_by=worker,
        )
    return OddRecords(plan=plan, unit=unit, application=application, activity=activity)
