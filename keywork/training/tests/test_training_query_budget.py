"""The training pages make as many queries for a large team and catalogue as for a small
one: the matrix above all, whose cells are staff times courses."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from keywork.accounts.models import Role
from keywork.testing.factories import staff
from keywork.training.models import Booking, Course, CourseRequirement, TrainingRecord

pytestmark = pytest.mark.django_db


def _grow(world, people: int, courses: int) -> None:
    today = timezone.localdate()
    made = [
        Course.objects.create(
            organisation=world.organisation,
            name=f"Course {Course.objects.count() + 1}",
            renewal_months=12,
            created_by=world.admin,
        )
        for _ in range(courses)
    ]
    for course in made:
        CourseRequirement.objects.create(course=course, role=Role.SUPPORT_WORKER)
    everyone = [world.worker] + [
        staff(role=Role.SUPPORT_WORKER, team=world.team) for _ in range(people)
    ]
    for person in everyone:
        for n, course in enumerate(Course.objects.filter(organisation=world.organisation)):
            TrainingRecord.objects.create(
                organisation=world.organisation,
                staff=person,
                course=course,
                completed_on=today - timedelta(days=30 * n),
                expires_on=today + timedelta(days=365 - 30 * n),
                recorded_by=world.admin,
            )
        Booking.objects.create(
            organisation=world.organisation,
            staff=person,
            course=made[0],
            booked_for=today + timedelta(days=5),
            booked_by=world.admin,
        )


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(url)
    assert answer.status_code == 200
    return len(queries)


PAGES = [
    # The matrix: the staff, their roles, the courses, theirs, the records and bookings
    # (6), and what every page asks (the session, the user, the menu).
    ("admin", lambda w: reverse("training:matrix"), 10),
    ("admin", lambda w: reverse("training:matrix_xlsx"), 10),
    ("senior", lambda w: reverse("training:team_matrix", args=[w.team.pk]), 13),
    ("senior", lambda w: reverse("training:team_matrix_csv", args=[w.team.pk]), 13),
    ("worker", lambda w: reverse("training:home"), 13),
    ("senior", lambda w: reverse("training:staff", args=[w.worker.pk]), 16),
    ("admin", lambda w: reverse("training:courses"), 6),
    ("senior", lambda w: reverse("training:record_new", args=[w.worker.pk]), 9),
]


@pytest.mark.parametrize(("persona", "url_for", "budget"), PAGES)
def test_it_makes_as_many_queries_for_forty_staff_and_twelve_courses_as_for_two_and_two(
    world, client_for, persona, url_for, budget
):
    _grow(world, people=1, courses=2)
    client = client_for(persona)
    url = url_for(world)
    client.get(url)  # the first request of a session writes the session itself
    small = _count(client, url)
    _grow(world, people=39, courses=10)
    large = _count(client, url)
    assert large == small, f"{url}: {small} queries for 2 staff, {large} for 40"
    assert large <= budget, f"{url}: {large} queries, over its budget of {budget}"
