"""The managers' report of delivery: each notice of a quarter with how many it was for
(everyone, seen by the manager or not), how many had it, the share, the median and
longest days to receipt, and those not yet had by everyone; for the service's managers
only, in as many queries for many notices and receipts as for a few."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from keywork.core.errors import NotFoundOrNotAllowed
from keywork.events.models import Event, Session, SignUp
from keywork.housing.models import Tenancy, Unit
from keywork.notices import selectors
from keywork.notices.models import Notice, NoticeFor, Receipt
from keywork.notices.tests.test_notice_delivery import _house
from keywork.testing.factories import supported_person

DAY = timedelta(days=1)


def _last_quarter():
    return selectors.quarter_of(timezone.localdate()).previous()


def _published(world, title, day, **more):
    return Notice.objects.create(
        organisation=world.organisation,
        service=world.service,
        title=title,
        body="Plain words.",
        published_on=day,
        created_by=world.worker,
        **more,
    )


def _had(world, notice, person, days):
    return Receipt.objects.create(
        notice=notice,
        person=person,
        received_on=notice.published_on + days * DAY,
        given_by=world.worker,
    )


def _someone_the_house_team_may_not_see(world, house):
    """A resident of the house supported by the other team's service."""
    episode = supported_person(
        world,
        "Hidden",
        "Resident",
        service=world.other_service,
        key_worker=world.other_team_worker,
        recorded_by=world.other_team_worker,
        started=timezone.localdate() - 300 * DAY,
    )
    unit = Unit.objects.create(property=house, name="Flat 9", opened_on=episode.start_date)
    Tenancy.objects.create(
        episode=episode,
        person=episode.person,
        unit=unit,
        kind="licence",
        start_date=episode.start_date,
        created_by=world.other_team_worker,
    )
    return episode.person


@pytest.fixture
def quarter_of_notices(world):
    quarter = _last_quarter()
    house, residents = _house(world, 3)
    hidden = _someone_the_house_team_may_not_see(world, house)
    fire = _published(
        world, "Fire doors", quarter.first + 5 * DAY, audience="property", property=house
    )
    _had(world, fire, residents[0], 2)
    _had(world, fire, residents[1], 6)
    _had(world, fire, hidden, 10)
    bins = _published(world, "Bins day", quarter.first + 20 * DAY, audience="people")
    NoticeFor.objects.create(notice=bins, person=residents[2])
    _had(world, bins, residents[2], 1)
    gone = _published(
        world,
        "Old rota",
        quarter.first + 30 * DAY,
        audience="property",
        property=house,
        withdrawn_at=timezone.now(),
        withdrawn_by=world.worker,
        withdrawn_reason="Wrong rota",
    )
    _published(world, "This quarter's", timezone.localdate(), audience="service")
    return quarter, {"fire": fire, "bins": bins, "gone": gone}


def test_it_gives_a_manager_the_full_figures_of_the_quarter_chosen(
    world, client_for, quarter_of_notices
):
    quarter, notices = quarter_of_notices
    rows = selectors.delivery_report(
        fetched_by=world.lead_manager, service=world.service, quarter=quarter
    )
    assert [r.notice.title for r in rows] == ["Fire doors", "Bins day", "Old rota"]
    fire, bins, gone = rows
    assert (fire.audience, fire.received, fire.share) == (4, 3, 75)
    assert (fire.median_days, fire.longest_days) == (6, 10)
    assert (bins.audience, bins.received, bins.share, bins.median_days) == (1, 1, 100, 1)
    assert (gone.audience, gone.received, gone.median_days) == (4, 0, None)

    page = client_for("lead_manager").get(
        reverse("notices:delivery_report", args=[world.service.pk]), {"quarter": quarter.key}
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert f"Delivery of notices, {quarter.label}" in text
    assert "75%" in text and "6 (10)" in text and "This quarter&#x27;s" not in text
    short = text[text.index('id="short"') :]
    short = short[: short.index("</ul>")]
    assert "Fire doors</a>: 1 of 4 not had it yet" in short
    assert "Bins day" not in short and "Old rota" not in short
    assert "Hidden" not in text


def test_it_is_for_the_services_managers_only(world, client_for, quarter_of_notices):
    url = reverse("notices:delivery_report", args=[world.service.pk])
    assert client_for("senior").get(url).status_code == 200
    for persona in ("worker", "support_assistant", "other_lead_manager", "commissioner"):
        assert client_for(persona).get(url).status_code == 404, persona
    with pytest.raises(NotFoundOrNotAllowed):
        selectors.delivery_report(
            fetched_by=world.worker, service=world.service, quarter=_last_quarter()
        )
    listing = client_for("lead_manager").get(reverse("notices:list")).content.decode()
    assert url in listing
    assert url not in client_for("worker").get(reverse("notices:list")).content.decode()


def test_it_shows_this_quarter_unless_told_and_says_a_quarter_it_does_not_know(
    world, client_for, quarter_of_notices
):
    url = reverse("notices:delivery_report", args=[world.service.pk])
    this_quarter = selectors.quarter_of(timezone.localdate())
    client = client_for("lead_manager")
    text = client.get(url).content.decode()
    assert f"Delivery of notices, {this_quarter.label}" in text
    assert "This quarter&#x27;s" in text and "Fire doors" not in text
    for odd in ("2026-q9", "1999-q1", "", "<b>"):
        answer = client.get(url, {"quarter": odd})
        body = answer.content.decode()
        assert answer.status_code == 200
        assert "Choose a quarter" in body and 'href="#id_quarter"' in body
        assert f"Delivery of notices, {this_quarter.label}" in body


def _one_of_each(world, house, residents, event, day, n):
    for audience, more in (
        ("property", {"property": house}),
        ("service", {}),
        ("people", {}),
        ("group", {"event": event}),
    ):
        notice = _published(world, f"{audience} {n}", day, audience=audience, **more)
        if audience == "people":
            for person in residents:
                NoticeFor.objects.create(notice=notice, person=person)
        for k, person in enumerate(residents[: n % len(residents) + 1]):
            _had(world, notice, person, k)


def test_it_makes_as_many_queries_for_many_notices_and_receipts_as_for_a_few(world, client_for):
    quarter = _last_quarter()
    house, residents = _house(world, 6)
    event = Event.objects.create(
        organisation=world.organisation,
        title="Group",
        kind="social",
        venue="Hall",
        capacity=10,
        first_date=timezone.localdate(),
        starts_at="10:00",
        ends_at="11:00",
        created_by=world.worker,
    )
    event.services.set([world.service])
    session = Session.objects.create(
        event=event, starts_at=timezone.now(), ends_at=timezone.now() + timedelta(hours=1)
    )
    for person in residents:
        SignUp.objects.create(
            session=session,
            person=person,
            status="place",
            signed_up_at=timezone.now(),
            signed_up_by=world.worker,
        )
    _one_of_each(world, house, residents, event, quarter.first + DAY, 0)
    url = reverse("notices:delivery_report", args=[world.service.pk])
    client = client_for("lead_manager")
    query = {"quarter": quarter.key}
    client.get(url, query)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, query).status_code == 200
        return len(queries)

    few = count()
    for n in range(1, 8):
        _one_of_each(world, house, residents, event, quarter.first + n * 3 * DAY, n)
    many = count()
    assert Notice.objects.count() == 32 and Receipt.objects.count() > 80
    assert many == few, f"{few} queries for 4 notices, {many} for 32"
    assert many <= 20, many
