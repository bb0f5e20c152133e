"""Education, training, work and meaningful activity, with the outcomes that count."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from keywork.activities.models import Activity, OutcomeEvent


def day(offset: int) -> str:
    return (timezone.localdate() + timedelta(days=offset)).strftime("%d/%m/%Y")


def test_it_records_a_course_then_a_job_from_it_then_the_job_kept(client_for, episode):
    client = client_for("worker")
    person_id = episode.person_id
    client.post(
        reverse("activities:activity_new", args=[person_id]),
        {
            "kind": "course",
            "title": "Food hygiene level 2",
            "provider": "City College",
            "start_date": day(-200),
            "hours_per_week": "6",
        },
    )
    course = Activity.objects.get()
    assert course.events.get().kind == "started"
    client.post(
        reverse("activities:event_new", args=[course.pk]),
        {"kind": "qualification", "happened_on": day(-150), "detail": "Level 2 certificate"},
    )
    client.post(
        reverse("activities:activity_new", args=[person_id]),
        {
            "kind": "work",
            "title": "Kitchen porter",
            "provider": "The Anchor",
            "start_date": day(-100),
            "hours_per_week": "16",
        },
    )
    job = Activity.objects.get(kind="work")
    entry = job.events.get()
    assert entry.kind == "job_entry"
    response = client.post(
        reverse("activities:event_new", args=[job.pk]),
        {"kind": "sustained_13", "happened_on": day(-100 + 91)},
    )
    assert response.status_code == 302
    page = client.get(reverse("activities:activities", args=[person_id])).content.decode()
    assert "Qualification gained" in page and "Level 2 certificate" in page
    assert "Job kept for 13 weeks" in page
    timeline = client.get(reverse("timeline:timeline", args=[person_id])).content.decode()
    assert "Job kept for 13 weeks: Kitchen porter" in timeline


def test_it_saves_nothing_of_a_job_entry_before_the_course_it_came_from(client_for, world, episode):
    from keywork.activities import services

    course = services.activity_add(
        actor=world.worker,
        person=episode.person,
        kind="course",
        title="Barista",
        provider="",
        start_date=timezone.localdate() - timedelta(days=30),
    )
    job = Activity.objects.create(
        person=episode.person,
        kind="work",
        title="Barista",
        start_date=timezone.localdate() - timedelta(days=60),
        created_by=world.worker,
    )
    response = client_for("worker").post(
        reverse("activities:event_new", args=[job.pk]),
        {"kind": "job_entry", "happened_on": day(-45), "came_from": course.pk},
    )
    assert "A job entry cannot be before the course it came from started" in (
        response.content.decode()
    )
    assert not OutcomeEvent.objects.filter(activity=job).exists()


def test_it_records_a_job_kept_only_once_the_weeks_have_passed(client_for, world, episode):
    from keywork.activities import services

    job = services.activity_add(
        actor=world.worker,
        person=episode.person,
        kind="work",
        title="Cleaner",
        provider="",
        start_date=timezone.localdate() - timedelta(days=30),
    )
    response = client_for("worker").post(
        reverse("activities:event_new", args=[job.pk]),
        {"kind": "sustained_13", "happened_on": day(0)},
    )
    assert "13 weeks from the job entry" in response.content.decode()
    assert job.events.count() == 1
