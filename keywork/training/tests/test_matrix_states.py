"""The matrix of a team of 12 by 10 courses, read on days around each expiry: every one
of the 120 cells in the state the table below says, on the page, in the XLSX and the
CSV alike."""

import csv
import io
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from keywork.accounts.models import Role
from keywork.testing.factories import OrganisationFactory, ServiceFactory, TeamFactory, staff
from keywork.testing.personas import signed_in_client
from keywork.training import selectors
from keywork.training.models import Course, CourseRequirement, TrainingRecord

pytestmark = pytest.mark.django_db

BASE = date(2026, 6, 15)
# The state of a cell, by how many days from the day read the course expires on, and
# whether the person's role needs it. "No longer valid from its expiry date": a course
# expiring today has expired; 60 days away is still expiring, 61 is valid.
TABLE = [
    # (days until expiry, or None: never expires; required, state)
    (None, True, "valid"),
    (None, False, "valid"),
    (400, True, "valid"),
    (61, True, "valid"),
    (61, False, "valid"),
    (60, True, "expiring"),
    (60, False, "expiring"),
    (59, True, "expiring"),
    (1, True, "expiring"),
    (1, False, "expiring"),
    (0, True, "expired"),
    (0, False, "not_required"),
    (-1, True, "expired"),
    (-1, False, "not_required"),
    (-400, True, "expired"),
]
NEVER_DONE = {True: "missing", False: "not_required"}
LABELS = {
    "valid": "Valid",
    "expiring": "Expiring",
    "expired": "Expired",
    "missing": "Missing",
    "not_required": "Not required",
}


def _expected(days: int | None, done: bool, required: bool) -> str:
    if not done:
        return NEVER_DONE[required]
    if days is None:
        return "valid"
    # The table's own rows at and beside each boundary, then what lies between them.
    for row_days, row_required, state in TABLE:
        if row_days == days and row_required == required:
            return state
    if days > 61:
        return "valid"
    if days > 0:
        return "expiring"
    return "expired" if required else "not_required"


ROLES = [
    Role.SUPPORT_WORKER,
    Role.SUPPORT_WORKER,
    Role.SUPPORT_WORKER,
    Role.SUPPORT_WORKER,
    Role.SUPPORT_ASSISTANT,
    Role.SUPPORT_ASSISTANT,
    Role.SUPPORT_ASSISTANT,
    Role.SENIOR_PRACTITIONER,
    Role.SENIOR_PRACTITIONER,
    Role.COMPLEX_CASEWORKER,
    Role.LEAD_MANAGER,
    Role.SUPPORT_WORKER,
]
# Each course: its renewal (months, None for never) and who must do it.
COURSES = [
    (
        "Safeguarding adults",
        12,
        {Role.SUPPORT_WORKER, Role.SUPPORT_ASSISTANT, Role.SENIOR_PRACTITIONER},
    ),
    ("First aid", 12, {Role.SUPPORT_WORKER, Role.SENIOR_PRACTITIONER}),
    ("Fire safety", 36, {Role.SUPPORT_ASSISTANT}),
    ("Food hygiene", 36, set()),
    ("Mental health awareness", 36, {Role.COMPLEX_CASEWORKER, Role.SUPPORT_WORKER}),
    ("Naloxone", 12, {Role.COMPLEX_CASEWORKER}),
    ("Data protection", 12, {Role.LEAD_MANAGER, Role.SUPPORT_WORKER}),
    ("Induction", None, set(ROLES)),
    ("Lone working", 36, {Role.SUPPORT_WORKER}),
    ("Managing people", 36, {Role.LEAD_MANAGER, Role.SENIOR_PRACTITIONER}),
]
# Days from BASE to each cell's expiry (None: never done); every boundary appears.
OFFSETS = [0, 1, -1, 60, 61, 59, 120, -60, None, 365, -365, 30]
READ_ON = [BASE + timedelta(days=d) for d in (-61, -60, -59, -1, 0, 1, 59, 60, 61)]


@pytest.fixture
def team_of_twelve():
    org = OrganisationFactory(name="Twelve Trust")
    service = ServiceFactory(organisation=org, name="Twelve House")
    team = TeamFactory(organisation=org, name="Twelve team", services=[service])
    people = [
        staff(role=role, team=team, full_name=f"Staff {i:02d}") for i, role in enumerate(ROLES)
    ]
    admin = staff(role=Role.ADMINISTRATOR, organisation=org, full_name="Zed Admin")
    courses = []
    for name, months, roles in COURSES:
        course = Course.objects.create(
            organisation=org, name=name, renewal_months=months, created_by=admin
        )
        for role in roles:
            CourseRequirement.objects.create(course=course, role=role)
        courses.append(course)
    expiries: dict[tuple[int, int], date | None] = {}
    done: dict[tuple[int, int], bool] = {}
    for i, person in enumerate(people):
        for j, course in enumerate(courses):
            offset = OFFSETS[(i + j) % len(OFFSETS)]
            done[i, j] = offset is not None
            if offset is None:
                continue
            expires_on = None if course.renewal_months is None else BASE + timedelta(days=offset)
            completed_on = BASE - timedelta(days=800 - offset) if expires_on else BASE
            if (i * j) % 5 == 1:  # an earlier time done, which the later one replaces
                TrainingRecord.objects.create(
                    organisation=org,
                    staff=person,
                    course=course,
                    completed_on=completed_on - timedelta(days=400),
                    expires_on=completed_on - timedelta(days=40),
                    recorded_by=admin,
                )
            TrainingRecord.objects.create(
                organisation=org,
                staff=person,
                course=course,
                completed_on=completed_on,
                expires_on=expires_on,
                recorded_by=admin,
            )
            expiries[i, j] = expires_on
    return team, people, courses, admin, expiries, done


def _expected_grid(people, courses, expiries, done, today):
    grid = []
    for i in range(len(people)):
        row = []
        for j, (_, _, roles) in enumerate(COURSES):
            required = ROLES[i] in roles
            expiry = expiries.get((i, j))
            days = None if expiry is None else (expiry - today).days
            row.append(_expected(days, done[i, j], required))
        grid.append(row)
    return grid


@pytest.mark.parametrize("today", READ_ON, ids=[f"{d:%d-%m}" for d in READ_ON])
def test_it_puts_each_of_the_120_cells_in_the_state_the_table_says(team_of_twelve, today):
    team, people, courses, admin, expiries, done = team_of_twelve
    matrix = selectors.team_matrix(fetched_by=admin, team=team, today=today)
    assert [row.staff for row in matrix.rows] == people
    assert matrix.courses == sorted(courses, key=lambda c: c.name)
    by_name = {c.name: matrix.courses.index(c) for c in courses}
    got = [[row.cells[by_name[name]].state.value for name, _, _ in COURSES] for row in matrix.rows]
    assert got == _expected_grid(people, courses, expiries, done, today)
    assert sum(len(row) for row in got) == 120


def test_it_gives_the_same_cells_in_the_page_the_xlsx_and_the_csv(team_of_twelve):
    team, people, courses, admin, expiries, done = team_of_twelve
    expected = _expected_grid(people, courses, expiries, done, BASE)
    client = signed_in_client(admin)
    with time_machine.travel(BASE):
        page = client.get(reverse("training:team_matrix", args=[team.pk])).content.decode()
        book = load_workbook(
            io.BytesIO(client.get(reverse("training:team_matrix_xlsx", args=[team.pk])).content)
        )
        text = client.get(reverse("training:team_matrix_csv", args=[team.pk])).content
    sheet = [[cell.value or "" for cell in row] for row in book.active.iter_rows()]
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    assert sheet == rows
    header = sheet[0]
    assert header[:2] == ["Staff", "Roles"] and header[-1] == "Share done"
    columns = {name: header.index(name) for name, _, _ in COURSES}
    for i, person in enumerate(people):
        line = sheet[i + 1]
        assert line[0] == person.full_name
        for j, (name, _, _) in enumerate(COURSES):
            value = line[columns[name]]
            assert value.startswith(LABELS[expected[i][j]]), (person, name, value)
            assert not value.startswith(LABELS[expected[i][j]] + "_")
            assert value in page.replace("&#x27;", "'") or LABELS[expected[i][j]] in page
    # The page says each state in words, not colour alone.
    for state in {s for row in expected for s in row}:
        assert LABELS[state] in page


def test_it_counts_the_shares_of_mandatory_courses_done(team_of_twelve):
    team, people, courses, admin, expiries, done = team_of_twelve
    matrix = selectors.team_matrix(fetched_by=admin, team=team, today=BASE)
    expected = _expected_grid(people, courses, expiries, done, BASE)
    for row, states in zip(matrix.rows, expected, strict=True):
        required = [s for s in states if s != "not_required"]
        good = [s for s in required if s in ("valid", "expiring")]
        assert (row.share.done, row.share.required) == (len(good), len(required))
