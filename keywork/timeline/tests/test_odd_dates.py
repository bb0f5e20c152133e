"""Dates at the far ends of the calendar: refused when typed, and shown without a server
error when an older version of Keywork let them in."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from keywork.activities.models import Activity
from keywork.housing.models import HousingApplication
from keywork.people.models import Referral
from keywork.testing.odd_records import stored_unchecked

YEAR_ONE = "01/01/0001"


def test_it_refuses_a_referral_received_in_year_one_and_saves_nothing(client_for, world, episode):
    before = Referral.objects.count()
    page = client_for("worker").post(
        reverse("people:referral_new", args=[episode.person_id]),
        {"service": world.service.pk, "received_on": YEAR_ONE, "source": "self", "reason": "r"},
    )
    assert page.status_code == 200
    assert "Enter the date received as a date between 1900 and 2100" in page.content.decode()
    assert Referral.objects.count() == before


def test_it_refuses_a_housing_application_dated_in_year_one(client_for, episode):
    page = client_for("worker").post(
        reverse("housing:application_new", args=[episode.pk]),
        {"route": "council", "applied_on": YEAR_ONE, "status": "submitted", "status_on": YEAR_ONE},
    )
    assert page.status_code == 200
    assert "Enter the date applied as a date between 1900 and 2100" in page.content.decode()
    assert not HousingApplication.objects.exists()


def test_it_refuses_an_activity_started_in_year_one(client_for, episode):
    page = client_for("worker").post(
        reverse("activities:activity_new", args=[episode.person_id]),
        {"kind": "course", "title": "Food hygiene", "start_date": YEAR_ONE},
    )
    assert page.status_code == 200
    assert "Enter the start date as a date between 1900 and 2100" in page.content.decode()
    assert not Activity.objects.exists()


def test_it_shows_a_timeline_with_events_stored_in_year_one(client_for, episode):
    stored_unchecked(episode)
    client = client_for("worker")
    url = reverse("timeline:timeline", args=[episode.person_id])
    page = client.get(url)
    assert page.status_code == 200
    events = list(page.context["events"])
    link = page.context["older_link"]
    while link:  # every page, to the oldest, by the links the pages give
        older = client.get(url + link)
        assert older.status_code == 200
        events += older.context["events"]
        link = older.context["older_link"]
    assert "1 Jan 0001" in page.content.decode()
    assert sorted(e.title for e in events if e.at.year == 1) == [
        "Housing application: Council housing register",
        "Moved into Year one house, Room 1",
        "Moved out of Year one house, Room 1",
        "Outcome ratings",
        "Referral to Harbour House",
        "Started: Year one course",
    ]


@pytest.mark.parametrize(
    "before",
    [
        "0001-01-01T00:00:00+14:00",  # in UTC, a day before the calendar starts
        "9999-12-31T23:59:59-14:00",  # in UTC, a day after it ends
        "0001-01-01T00:00:00+00:00",
        "9999-12-31T23:59:59+00:00",
        "2026-13-45T00:00:00+00:00",
        "not a moment",
    ],
)
def test_it_answers_a_timeline_cursor_at_the_ends_of_the_calendar(client_for, episode, before):
    page = client_for("worker").get(
        reverse("timeline:timeline", args=[episode.person_id]), {"before": before}
    )
    assert page.status_code == 200


def test_it_reads_a_cursor_given_in_another_offset_as_the_same_moment(client_for, episode):
    today = timezone.localdate()
    url = reverse("timeline:timeline", args=[episode.person_id])
    client = client_for("worker")
    newest = client.get(url).context["events"]
    assert newest  # the referral and the start of support
    moment = (timezone.now() + timedelta(days=1)).astimezone(timezone.get_fixed_timezone(14 * 60))
    page = client.get(url, {"before": moment.isoformat()})
    assert [e.title for e in page.context["events"]] == [e.title for e in newest]
    assert page.context["events"][0].at.date() <= today
