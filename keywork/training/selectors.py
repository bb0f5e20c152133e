"""Reads for training, scoped to who asks: one member of staff's training, the
catalogue, and the matrix of staff by course for a team or the organisation."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from django.db.models import Prefetch, QuerySet

from keywork import access
from keywork.accounts.models import Membership, User
from keywork.accounts.selectors import memberships_of
from keywork.core.errors import NotFoundOrNotAllowed
from keywork.organisations.models import Team
from keywork.training.models import Booking, Course, CourseRequirement, TrainingRecord

EXPIRING_WITHIN_DAYS = 60


class State(StrEnum):
    VALID = "valid"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    MISSING = "missing"
    NOT_REQUIRED = "not_required"


LABELS = {
    State.VALID: "Valid",
    State.EXPIRING: "Expiring",
    State.EXPIRED: "Expired",
    State.MISSING: "Missing",
    State.NOT_REQUIRED: "Not required",
}


def state_of(*, done: bool, expires_on: date | None, required: bool, today: date) -> State:
    """One cell of the matrix. A course is no longer valid from its expiry date; it is
    expiring when that date is 60 days away or fewer. An expired course that the
    person's roles do not need is not required, and counts for nothing."""
    if not done:
        return State.MISSING if required else State.NOT_REQUIRED
    if expires_on is None or expires_on > today + timedelta(days=EXPIRING_WITHIN_DAYS):
        return State.VALID
    if expires_on > today:
        return State.EXPIRING
    return State.EXPIRED if required else State.NOT_REQUIRED


@dataclass(frozen=True)
class Share:
    done: int
    required: int

    @property
    def percent(self) -> int | None:
        return None if not self.required else round(100 * self.done / self.required)

    @property
    def rating(self) -> str:
        """Red, amber or green, said in words as well as colour."""
        percent = self.percent
        if percent is None:
            return "none"
        return "green" if percent >= 95 else "amber" if percent >= 80 else "red"

    @property
    def rating_label(self) -> str:
        return {
            "green": "On track",
            "amber": "Some gaps",
            "red": "Behind",
            "none": "Nothing required",
        }[self.rating]


@dataclass(frozen=True)
class Cell:
    state: State
    completed_on: date | None = None
    expires_on: date | None = None
    booked_for: date | None = None

    @property
    def label(self) -> str:
        return LABELS[self.state]

    @property
    def text(self) -> str:
        """The cell in words, as the downloads give it."""
        words = self.label
        if self.state in (State.VALID, State.EXPIRING, State.EXPIRED) and self.expires_on:
            verb = "expired" if self.state == State.EXPIRED else "until"
            words += f" ({verb} {self.expires_on:%d/%m/%Y})"
        if self.booked_for:
            words += f", booked {self.booked_for:%d/%m/%Y}"
        return words


@dataclass
class Row:
    staff: User
    roles: list[str]
    cells: list[Cell] = field(default_factory=list)

    @property
    def share(self) -> Share:
        return _share(self.cells)


@dataclass
class Matrix:
    courses: list[Course]
    rows: list[Row]
    today: date
    title: str

    def course_shares(self) -> list[Share]:
        return [_share([row.cells[i] for row in self.rows]) for i in range(len(self.courses))]

    @property
    def share(self) -> Share:
        return _share([cell for row in self.rows for cell in row.cells])


COMPLIANT = (State.VALID, State.EXPIRING)
REQUIRED = (State.VALID, State.EXPIRING, State.EXPIRED, State.MISSING)


def _share(cells: Iterable[Cell]) -> Share:
    done = required = 0
    for cell in cells:
        if cell.state in REQUIRED:
            required += 1
            done += cell.state in COMPLIANT
    return Share(done, required)


def _courses(organisation_id: int) -> list[Course]:
    return list(
        Course.objects.filter(organisation_id=organisation_id, archived_at=None).prefetch_related(
            "requirements"
        )
    )


def _staff_roles(staff: QuerySet[User]) -> QuerySet[User]:
    return staff.prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(team__isnull=False),
            to_attr="team_memberships",
        )
    )


def build_matrix(*, staff: QuerySet[User], organisation_id: int, today: date, title: str) -> Matrix:
    """A few queries however many staff and courses: the staff with their roles, the
    courses with theirs, the records and the bookings to come."""
    courses = _courses(organisation_id)
    people = list(_staff_roles(staff))
    staff_ids = [person.pk for person in people]
    latest: dict[tuple[int, int], tuple[date, date | None]] = {}
    records = (
        TrainingRecord.objects.filter(staff_id__in=staff_ids, course__archived_at=None)
        .order_by("completed_on", "pk")
        .values_list("staff_id", "course_id", "completed_on", "expires_on")
    )
    for staff_id, course_id, completed_on, expires_on in records:
        latest[staff_id, course_id] = (completed_on, expires_on)  # the last done is current
    booked: dict[tuple[int, int], date] = {}
    bookings = (
        Booking.objects.filter(staff_id__in=staff_ids, cancelled_at=None, booked_for__gte=today)
        .order_by("-booked_for")
        .values_list("staff_id", "course_id", "booked_for")
    )
    for staff_id, course_id, booked_for in bookings:
        booked[staff_id, course_id] = booked_for  # the soonest last
    required_by = {course.pk: {r.role for r in course.requirements.all()} for course in courses}
    rows = []
    for person in people:
        roles = sorted({m.role for m in getattr(person, "team_memberships", [])})
        row = Row(staff=person, roles=roles)
        for course in courses:
            done = latest.get((person.pk, course.pk))
            row.cells.append(
                Cell(
                    state=state_of(
                        done=done is not None,
                        expires_on=done[1] if done else None,
                        required=bool(required_by[course.pk] & set(roles)),
                        today=today,
                    ),
                    completed_on=done[0] if done else None,
                    expires_on=done[1] if done else None,
                    booked_for=booked.get((person.pk, course.pk)),
                )
            )
        rows.append(row)
    return Matrix(courses=courses, rows=rows, today=today, title=title)


def _active_staff(organisation_id: int) -> QuerySet[User]:
    return User.objects.filter(organisation_id=organisation_id, is_active=True).order_by(
        "full_name", "pk"
    )


def team_or_404(*, fetched_by: User, team_id: int) -> Team:
    team = Team.objects.filter(pk=team_id, organisation_id=fetched_by.organisation_id).first()
    if team is None or not access.check(fetched_by, "training.team_matrix", team):
        raise NotFoundOrNotAllowed
    return team


def team_matrix(*, fetched_by: User, team: Team, today: date) -> Matrix:
    if not access.check(fetched_by, "training.team_matrix", team):
        raise NotFoundOrNotAllowed
    staff = _active_staff(team.organisation_id).filter(memberships__team=team).distinct()
    return build_matrix(
        staff=staff, organisation_id=team.organisation_id, today=today, title=team.name
    )


def organisation_matrix(*, fetched_by: User, today: date) -> Matrix:
    if not access.check(fetched_by, "training.organisation_matrix"):
        raise NotFoundOrNotAllowed
    staff = _active_staff(fetched_by.organisation_id).filter(memberships__team__isnull=False)
    return build_matrix(
        staff=staff.distinct(),
        organisation_id=fetched_by.organisation_id,
        today=today,
        title="The whole organisation",
    )


def staff_or_404(*, fetched_by: User, user_id: int) -> User:
    staff = User.objects.filter(pk=user_id, organisation_id=fetched_by.organisation_id).first()
    if staff is None or not access.check(fetched_by, "training.see", staff):
        raise NotFoundOrNotAllowed
    return staff


def staff_training(*, fetched_by: User, staff: User, today: date) -> dict:
    """One member of staff's page: their matrix row, every record and the bookings."""
    if not access.check(fetched_by, "training.see", staff):
        raise NotFoundOrNotAllowed
    matrix = build_matrix(
        staff=User.objects.filter(pk=staff.pk),
        organisation_id=staff.organisation_id,
        today=today,
        title=staff.full_name,
    )
    return {
        "matrix": matrix,
        "row": matrix.rows[0] if matrix.rows else None,
        "pairs": list(zip(matrix.courses, matrix.rows[0].cells, strict=True))
        if matrix.rows
        else [],
        "records": TrainingRecord.objects.filter(staff=staff).select_related("course"),
        "bookings": Booking.objects.filter(
            staff=staff, cancelled_at=None, booked_for__gte=today
        ).select_related("course"),
    }


def record_or_404(*, fetched_by: User, record_id: int, to: str = "training.see") -> TrainingRecord:
    record = (
        TrainingRecord.objects.filter(pk=record_id, organisation_id=fetched_by.organisation_id)
        .select_related("staff", "course")
        .first()
    )
    if record is None or not access.check(fetched_by, to, record.staff):
        raise NotFoundOrNotAllowed
    return record


def booking_or_404(*, fetched_by: User, booking_id: int) -> Booking:
    booking = (
        Booking.objects.filter(pk=booking_id, organisation_id=fetched_by.organisation_id)
        .select_related("staff", "course")
        .first()
    )
    if booking is None or not access.check(fetched_by, "training.record", booking.staff):
        raise NotFoundOrNotAllowed
    return booking


def catalogue(*, fetched_by: User, archived: bool = False) -> QuerySet[Course]:
    if not access.check(fetched_by, "training.catalogue"):
        raise NotFoundOrNotAllowed
    courses = Course.objects.filter(organisation_id=fetched_by.organisation_id)
    return courses.filter(archived_at__isnull=not archived).prefetch_related("requirements")


def course_or_404(*, fetched_by: User, course_id: int) -> Course:
    if not access.check(fetched_by, "training.catalogue"):
        raise NotFoundOrNotAllowed
    course = (
        Course.objects.filter(pk=course_id, organisation_id=fetched_by.organisation_id)
        .prefetch_related("requirements")
        .first()
    )
    if course is None:
        raise NotFoundOrNotAllowed
    return course


def courses_to_record(*, organisation_id: int) -> QuerySet[Course]:
    return Course.objects.filter(organisation_id=organisation_id, archived_at=None)


def teams_with_matrix(user: User) -> QuerySet[Team]:
    """The teams whose matrix the user may read."""
    from keywork.training.permissions import is_administrator, managed_team_ids

    teams = Team.objects.filter(organisation_id=user.organisation_id, archived_at=None)
    if is_administrator(user):
        return teams.order_by("name")
    return teams.filter(pk__in=managed_team_ids(user)).order_by("name")


def my_attention(user: User, today: date) -> list[tuple[Course, Cell]]:
    """The user's own courses expired or expiring, for their home page: one query when
    nothing has expired (a second for the roles that need what has)."""
    latest: dict[int, TrainingRecord] = {}
    records = (
        TrainingRecord.objects.filter(staff=user, course__archived_at=None)
        .select_related("course")
        .order_by("completed_on", "pk")
    )
    for record in records:
        latest[record.course_id] = record
    soon = today + timedelta(days=EXPIRING_WITHIN_DAYS)
    due = [r for r in latest.values() if r.expires_on is not None and r.expires_on <= soon]
    if not due:
        return []
    roles = {m.role for m in memberships_of(user)}
    needed = set(
        CourseRequirement.objects.filter(
            course_id__in=[r.course_id for r in due], role__in=sorted(roles)
        ).values_list("course_id", flat=True)
    )
    shown = []
    for record in sorted(due, key=lambda r: (r.expires_on, r.course.name)):
        cell = Cell(
            state=state_of(
                done=True,
                expires_on=record.expires_on,
                required=record.course_id in needed,
                today=today,
            ),
            completed_on=record.completed_on,
            expires_on=record.expires_on,
        )
        if cell.state != State.NOT_REQUIRED:
            shown.append((record.course, cell))
    return shown


def uses_training(user: User) -> bool:
    """Staff in a team and administrators have training pages; commissioners do not."""
    return any(m.team_id or m.role == "administrator" for m in memberships_of(user))
