"""The person's timeline: dated and timed events in one order, paged without loss."""

from datetime import datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone

from keywork.housing import services as housing
from keywork.housing.models import Property, Unit
from keywork.notes import services


def a_room(world, opened_on) -> Unit:
    house = Property.objects.create(
        organisation=world.organisation,
        service=world.service,
        name="Quay House",
        address="1 Quay Street",
        type="shared_house",
    )
    return Unit.objects.create(property=house, name="Room 1", capacity=1, opened_on=opened_on)


def call(world, episode, at, subject: str) -> None:
    services.note_create(
        actor=world.worker,
        person=episode.person,
        episode=episode,
        contact_type="phone",
        contact_at=at,
        subject=subject,
        text="t",
    )


def test_it_merges_dated_and_timed_events_in_order_and_pages_without_loss_or_repeat(
    client_for, world, episode
):
    today = timezone.localdate()
    room = a_room(world, opened_on=today - timedelta(days=60))
    stay = housing.move_in(
        actor=world.worker,
        episode=episode,
        unit=room,
        start_date=today - timedelta(days=15),
        kind="licence",
    )
    housing.move_out(actor=world.worker, tenancy=stay, end_date=today - timedelta(days=5))
    for days_ago in range(30):
        at_noon = timezone.make_aware(datetime.combine(today - timedelta(days=days_ago), time(12)))
        call(world, episode, at_noon, f"Call {days_ago} days ago")

    client = client_for("worker")
    url = reverse("timeline:timeline", args=[episode.person_id])
    events, link, pages = [], "", 0
    while True:
        page = client.get(url + link)  # "Older events", as the reader follows it
        pages += 1
        events += page.context["events"]
        link = page.context["older_link"]
        if not link:
            break
    titles = [e.title for e in events]

    assert pages == 2
    assert sorted(t for t in titles if t.startswith("Phone call: Call")) == sorted(
        f"Phone call: Call {n} days ago" for n in range(30)
    )
    for once in (
        "Referral to Harbour House",
        "Support started: Harbour House",
        "Moved into Quay House, Room 1",
        "Moved out of Quay House, Room 1",
    ):
        assert titles.count(once) == 1, once
    assert [e.at for e in events] == sorted((e.at for e in events), reverse=True)
    # A day's move sits with that day, after its morning and before the day before's call.
    moved_out = titles.index("Moved out of Quay House, Room 1")
    assert titles[moved_out - 1] == "Phone call: Call 5 days ago"
    assert titles[moved_out + 1] == "Phone call: Call 6 days ago"


def test_it_shares_the_sql_timelines_build_but_never_each_others_events(client_for, world, episode):
    from keywork.people import services as people
    from keywork.timeline import selectors

    other = people.person_create(actor=world.worker, first_name="Sam", last_name="Other")
    people.alert_add(
        actor=world.worker, person=episode.person, text="Ruth's dog", level="information"
    )
    people.alert_add(actor=world.worker, person=other, text="Sam's stairs", level="information")
    selectors._ARM_SQL.clear()
    client = client_for("worker")

    ruth = client.get(reverse("timeline:timeline", args=[episode.person_id])).content.decode()
    built = dict(selectors._ARM_SQL)
    sam = client.get(reverse("timeline:timeline", args=[other.pk])).content.decode()

    # The sources whose rows depend on the person alone (all but file notes and
    # appointments; 16 of them before the areas of events, notices and involvement, each
    # of which adds its own) were built once and kept...
    assert len(built) >= 16 and built == selectors._ARM_SQL
    # ...and each person's page still shows their own alert and not the other's.
    assert "Ruth&#x27;s dog" in ruth and "Sam&#x27;s stairs" not in ruth
    assert "Sam&#x27;s stairs" in sam and "Ruth&#x27;s dog" not in sam


def test_it_loses_no_events_at_one_moment_where_a_page_ends(client_for, world):
    from keywork.testing.factories import supported_person

    # Taken on, referred and moved in on one day: three events at that day's start.
    day = timezone.localdate() - timedelta(days=40)
    episode = supported_person(world, "Tia", "Same", started=day)
    room = a_room(world, opened_on=day)
    housing.move_in(actor=world.worker, episode=episode, unit=room, start_date=day, kind="licence")
    # Then 24 calls, so that the first page ends part-way through that moment.
    for days_ago in range(24):
        call(world, episode, timezone.now() - timedelta(days=days_ago), f"Call {days_ago}")
    client = client_for("worker")
    url = reverse("timeline:timeline", args=[episode.person_id])
    first = client.get(url)
    second = client.get(url + first.context["older_link"])
    titles = [e.title for e in first.context["events"] + second.context["events"]]
    assert len(titles) == 27 and not second.context["older_link"]
    for once in (
        "Referral to Harbour House",
        "Support started: Harbour House",
        "Moved into Quay House, Room 1",
    ):
        assert titles.count(once) == 1, (once, titles[23:])
