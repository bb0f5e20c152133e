"""Accommodation: who lives where, void bed-nights and occupancy, move-on, and whether
people are still housed after moving on."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from keywork.housing import selectors, services
from keywork.housing.models import Property, SustainmentCheck, Tenancy, Unit
from keywork.people import services as people
from keywork.testing.factories import supported_person


def supported(world, name: str, started: date, service=None, worker=None):
    return supported_person(
        world, name, started=started, service=service, key_worker=worker, recorded_by=worker
    )


@pytest.fixture
def month() -> date:
    """The first day of a month well in the past, so the sums do not depend on today."""
    return (timezone.localdate() - timedelta(days=90)).replace(day=1)


@pytest.fixture
def units(world, month):
    house = Property.objects.create(
        organisation=world.organisation,
        service=world.service,
        name="Harbour House",
        address="1 Quay Street",
        type="shared_house",
    )
    single = Unit.objects.create(
        property=house, name="Room 1", capacity=1, opened_on=month - timedelta(days=30)
    )
    double = Unit.objects.create(
        property=house, name="Room 2", capacity=2, opened_on=month + timedelta(days=9)
    )
    return single, double


def test_it_counts_void_bed_nights_and_occupancy_as_a_hand_count_does(world, month, units):
    single, double = units
    d = lambda n: month + timedelta(days=n)  # noqa: E731
    length = ((month + timedelta(days=32)).replace(day=1) - month).days
    start = d(-20)
    a, b, c, dee, e = (supported(world, n, start) for n in ("Ann", "Bob", "Cat", "Dee", "Eve"))
    # Room 1 (1 bed, open all month): Ann until the 5th, Bob from the 5th on.
    ann = services.move_in(
        actor=world.worker, episode=a, unit=single, start_date=d(-11), kind="licence"
    )
    services.move_out(actor=world.worker, tenancy=ann, end_date=d(4))
    services.move_in(actor=world.worker, episode=b, unit=single, start_date=d(4), kind="licence")
    # Room 2 (2 beds, in use from the 10th): Cat 10th to 20th, Dee from the 15th,
    # Eve from the 25th into next month.
    cat = services.move_in(
        actor=world.worker, episode=c, unit=double, start_date=d(9), kind="licence"
    )
    services.move_out(actor=world.worker, tenancy=cat, end_date=d(19))
    services.move_in(actor=world.worker, episode=dee, unit=double, start_date=d(14), kind="licence")
    eve = services.move_in(
        actor=world.worker, episode=e, unit=double, start_date=d(24), kind="licence"
    )
    services.move_out(actor=world.worker, tenancy=eve, end_date=d(33))
    # By hand, with L days in the month:
    #   bed-nights: Room 1, 1 x L; Room 2, 2 x (L - 9)                 = 3L - 18
    #   slept in:   Ann 4, Bob L - 4, Cat 10, Dee L - 14, Eve L - 24   = 3L - 28
    #   void: 10 (all in Room 2: one bed empty from the 10th to the 14th and the 20th
    #   to the 24th)
    figures = selectors.occupancy(world.service, month.year, month.month)
    assert figures.bed_nights == 3 * length - 18
    assert figures.occupied == 3 * length - 28
    assert figures.void == 10
    assert figures.per_cent == round(100 * (3 * length - 28) / (3 * length - 18), 1)


def test_it_lets_no_unit_take_more_people_on_a_night_than_it_has_beds(world, month, units):
    single, _double = units
    first = supported(world, "Ann", month)
    second = supported(world, "Bob", month)
    services.move_in(
        actor=world.worker, episode=first, unit=single, start_date=month, kind="licence"
    )
    with pytest.raises(ValidationError) as error:
        services.move_in(
            actor=world.worker,
            episode=second,
            unit=single,
            start_date=month + timedelta(days=3),
            kind="licence",
        )
    assert "Harbour House, Room 1 is full on the night of" in str(error.value)
    assert Tenancy.objects.count() == 1


def test_it_says_on_the_move_in_form_when_the_room_is_taken_and_saves_nothing(
    client_for, world, month, units
):
    single, _double = units
    first = supported(world, "Ann", month)
    second = supported(world, "Bob", month)
    services.move_in(
        actor=world.worker, episode=first, unit=single, start_date=month, kind="licence"
    )
    response = client_for("worker").post(
        reverse("housing:move_in", args=[second.pk]),
        {
            "unit": single.pk,
            "kind": "licence",
            "start_date": (month + timedelta(days=1)).strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 200
    assert "is full on the night of" in response.content.decode()
    assert Tenancy.objects.count() == 1


def test_it_does_not_let_a_tenancy_end_before_it_starts(client_for, world, month, units):
    single, _double = units
    episode = supported(world, "Ann", month)
    tenancy = services.move_in(
        actor=world.worker, episode=episode, unit=single, start_date=month, kind="licence"
    )
    response = client_for("worker").post(
        reverse("housing:move_out", args=[tenancy.pk]),
        {"end_date": (month - timedelta(days=1)).strftime("%d/%m/%Y")},
    )
    assert "A tenancy cannot end before it starts" in response.content.decode()
    assert Tenancy.objects.get().end_date is None


def test_it_ends_the_last_stay_on_a_move_and_the_stay_when_support_ends(world, month, units):
    single, double = units
    episode = supported(world, "Ann", month)
    first = services.move_in(
        actor=world.worker, episode=episode, unit=single, start_date=month, kind="licence"
    )
    services.move_in(
        actor=world.worker,
        episode=episode,
        unit=double,
        start_date=month + timedelta(days=20),
        kind="licence",
    )
    first.refresh_from_db()
    assert first.end_date == month + timedelta(days=20)
    people.episode_close(
        actor=world.worker,
        episode=episode,
        end_date=timezone.localdate(),
        end_reason="planned",
        destination="social_tenancy",
    )
    assert not Tenancy.objects.filter(end_date__isnull=True).exists()


def test_it_shows_free_beds_and_days_empty_on_the_vacancy_board(client_for, world, month, units):
    single, double = units
    episode = supported(world, "Ann", month)
    stay = services.move_in(
        actor=world.worker, episode=episode, unit=single, start_date=month, kind="licence"
    )
    services.move_out(actor=world.worker, tenancy=stay, end_date=month + timedelta(days=10))
    board = {u.pk: u for u in selectors.vacancy_board(world.service)}
    today = timezone.localdate()
    assert board[single.pk].days_empty == (today - month - timedelta(days=10)).days
    assert board[double.pk].free_beds == 2
    assert board[double.pk].days_empty == (today - double.opened_on).days
    page = client_for("worker").get(reverse("housing:service", args=[world.service.pk]))
    assert "Harbour House, Room 1" in page.content.decode()


# --- After moving on -------------------------------------------------------------------


def moved_on(world, name: str, days_ago: int, service=None, worker=None):
    episode = supported(world, name, timezone.localdate() - timedelta(days=400), service, worker)
    return people.episode_close(
        actor=worker or world.worker,
        episode=episode,
        end_date=timezone.localdate() - timedelta(days=days_ago),
        end_reason="planned",
        destination="social_tenancy",
    )


def test_it_counts_the_share_still_housed_at_6_months_as_a_hand_count_does(world):
    # Six-month checks: Ann housed, Bob housed, Cat not, Dee housed => 3 of 4, 75%.
    # Three-month checks: Ann housed, Bob not => 1 of 2, 50%. Twelve: none yet.
    results = {"Ann": (True, True), "Bob": (False, True), "Cat": (None, False), "Dee": (None, True)}
    for name, (at_three, at_six) in results.items():
        episode = moved_on(world, name, days_ago=200)
        for months, housed in ((3, at_three), (6, at_six)):
            if housed is not None:
                services.sustainment_check(
                    actor=world.worker,
                    episode=episode,
                    months=months,
                    checked_on=timezone.localdate() - timedelta(days=200 - 30 * months),
                    still_housed=housed,
                    where="Council flat" if housed else "",
                    how_known="person",
                )
    # Someone who moved on from another service does not count here.
    other = moved_on(world, "Zed", 200, world.other_service, world.other_team_worker)
    services.sustainment_check(
        actor=world.other_team_worker,
        episode=other,
        months=6,
        checked_on=timezone.localdate(),
        still_housed=False,
        where="",
        how_known="agency",
    )
    shares = {row.months: row for row in selectors.sustainment(world.service)}
    assert (shares[6].checked, shares[6].housed, shares[6].per_cent) == (4, 3, 75.0)
    assert (shares[3].checked, shares[3].housed, shares[3].per_cent) == (2, 1, 50.0)
    assert shares[12].checked == 0 and shares[12].per_cent is None


def test_it_allows_a_follow_up_only_for_someone_who_moved_on(client_for, world, month):
    episode = supported(world, "Ann", month)
    response = client_for("worker").post(
        reverse("housing:sustainment_new", args=[episode.pk]),
        {
            "months": "3",
            "checked_on": timezone.localdate().strftime("%d/%m/%Y"),
            "still_housed": "yes",
            "how_known": "person",
        },
    )
    assert "Follow-up checks are for people who moved on" in response.content.decode()
    assert not SustainmentCheck.objects.exists()


def test_it_costs_the_same_queries_for_the_housing_pages_however_many_units_and_stays(
    client_for, world, month, units
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    single, double = units
    client = client_for("worker")
    episode = supported(world, "Ann", month)
    urls = [
        reverse("housing:service", args=[world.service.pk]),
        reverse("housing:episode", args=[episode.pk]),
        reverse("people:my_caseload"),
    ]

    def counts():
        result = []
        for url in urls:
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    services.move_in(
        actor=world.worker, episode=episode, unit=single, start_date=month, kind="licence"
    )
    few = counts()
    for n in range(12):
        unit = Unit.objects.create(
            property=single.property, name=f"Flat {n}", capacity=2, opened_on=month
        )
        other = supported(world, f"P{n}", month)
        services.move_in(
            actor=world.worker, episode=other, unit=unit, start_date=month, kind="licence"
        )
        services.move_in(
            actor=world.worker,
            episode=episode,
            unit=unit,
            start_date=month + timedelta(days=n + 1),
            kind="licence",
        )
    assert counts() == few


def test_it_houses_everyone_in_support_in_the_demo_and_leaves_rooms_free(db):
    from keywork.demo.seed import seed_demo
    from keywork.organisations.models import Service

    seed_demo()
    service = Service.objects.filter(properties__isnull=False).first()
    living = Tenancy.objects.filter(unit__property__service=service, end_date__isnull=True)
    assert living.count() > 0
    assert len(selectors.vacancy_board(service)) == 2
