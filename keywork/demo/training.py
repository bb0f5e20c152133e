"""Training in the demo and at scale.

The demo: a catalogue of eight courses, and for everyone in a team the courses their
role needs, done at dates that put a few cells of the matrix in each state on the day
the demo is loaded (Priya's first aid expiring in three weeks, Tom's safeguarding
expired a fortnight ago, Jess never done fire safety), and a booking to renew one.

At scale: the same catalogue, each member of staff doing what their role needs each
time it falls due over the last three years (about three records a year each), most
on time, a few late and some lapsed; written in bulk, so no audit rows."""

import random
from datetime import date, timedelta

from django.utils import timezone

from keywork.accounts.models import Role, User
from keywork.organisations.models import Organisation
from keywork.training.models import Booking, Course, CourseRequirement, TrainingRecord
from keywork.training.services import (
    add_months,
    course_create,
    expiry_for,
    training_booking_create,
    training_record_create,
)

R = Role
CASEWORK = (
    R.SUPPORT_ASSISTANT,
    R.SUPPORT_WORKER,
    R.SENIOR_PRACTITIONER,
    R.COMPLEX_CASEWORKER,
    R.LEAD_MANAGER,
)
# (name, description, renew every (months), mandatory for, usual provider)
CATALOGUE = (
    (
        "Safeguarding adults",
        "Recognising abuse and neglect, and what to do about it the same day.",
        12,
        CASEWORK,
        "Local safeguarding adults board",
    ),
    ("First aid at work", "Three-day course with an assessment.", 12, CASEWORK[:4], "St John"),
    ("Naloxone", "Giving naloxone in an opioid overdose.", 12, (R.SUPPORT_WORKER,), "Change Grow"),
    (
        "Mental health awareness",
        "Common conditions, talking about suicide, and where to refer.",
        36,
        CASEWORK,
        "Mind",
    ),
    ("Fire safety", "Fire marshal duties in supported housing.", 36, CASEWORK[:3], "In house"),
    ("Data protection", "UK GDPR and recording well.", 36, CASEWORK, "In house"),
    ("Managing people", "Supervision and appraisal.", 36, (R.SENIOR_PRACTITIONER,), "In house"),
    (
        "Induction",
        "The first week: policies, lone working and the case system.",
        None,
        CASEWORK,
        "",
    ),
)


def _catalogue(admin: User) -> dict[str, Course]:
    return {
        name: course_create(
            actor=admin,
            name=name,
            description=description,
            renewal_months=months,
            mandatory_for=list(roles),
            provider=provider,
        )
        for name, description, months, roles, provider in CATALOGUE
    }


def _team_staff(org: Organisation) -> list[tuple[User, str]]:
    rows = (
        User.objects.filter(organisation=org, is_active=True, memberships__team__isnull=False)
        .values_list("pk", "memberships__role")
        .order_by("full_name", "pk")
    )
    users = User.objects.in_bulk([pk for pk, _ in rows])
    return [(users[pk], role) for pk, role in rows]


def seed_training(org: Organisation) -> None:
    admin = User.objects.filter(organisation=org, memberships__role=R.ADMINISTRATOR).first()
    if admin is None:
        return
    today = timezone.localdate()
    courses = _catalogue(admin)
    # Who, which course, how many days before today it was done, what it cost in hours.
    overrides = {
        ("support.worker", "First aid at work"): 365 - 21,  # expiring in three weeks
        ("support.worker2", "Safeguarding adults"): 365 + 14,  # expired a fortnight ago
        ("support.assistant", "Fire safety"): None,  # never done: missing
        ("senior", "Data protection"): 3 * 365 - 40,  # expiring in about six weeks
        ("lead.manager", "Safeguarding adults"): 365 + 50,  # expired
    }
    for n, (user, role) in enumerate(_team_staff(org)):
        email_name = user.email.split("@", 1)[0]
        for k, (name, _, months, roles, _) in enumerate(CATALOGUE):
            if role not in roles:
                continue
            ago = overrides.get((email_name, name), 30 + (n * 37 + k * 53) % 250)
            if ago is None:
                continue
            training_record_create(
                actor=admin,
                staff=user,
                course=courses[name],
                completed_on=today - timedelta(days=ago),
                hours=6 if months == 12 else 3,
                today=today,
            )
    worker2 = next((u for u, _ in _team_staff(org) if u.email.startswith("support.worker2@")), None)
    if worker2 is not None:
        training_booking_create(
            actor=admin,
            staff=worker2,
            course=courses["Safeguarding adults"],
            booked_for=today + timedelta(days=9),
            today=today,
        )


# --- At scale ----------------------------------------------------------------------------------

YEARS_BACK = 3
ON_TIME, LAPSED = 0.85, 0.08  # otherwise done late, up to three months after it expired


def scale_training(org: Organisation, rng: random.Random, today: date) -> int:
    """Rows for each member of staff of a team, and an administrator who keeps them (and
    reads the organisation's matrix in the benchmark); returns how many records."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from keywork.accounts.models import Membership

    admin = User(
        email=f"training.admin@scale-{org.pk}.keywork.test",
        full_name="Training Administrator",
        organisation=org,
    )
    admin.set_unusable_password()
    (admin,) = User.objects.bulk_create([admin])  # bulk writes make no audit rows
    Membership.objects.bulk_create([Membership(user=admin, role=R.ADMINISTRATOR)])
    TOTPDevice.objects.bulk_create([TOTPDevice(user=admin, name="Scale", confirmed=True)])
    admin_id = admin.pk
    courses = Course.objects.bulk_create(
        Course(
            organisation=org,
            name=name,
            description=description,
            renewal_months=months,
            provider=provider,
            created_by_id=admin_id,
        )
        for name, description, months, _, provider in CATALOGUE
    )
    CourseRequirement.objects.bulk_create(
        CourseRequirement(course=course, role=role)
        for course, (_, _, _, roles, _) in zip(courses, CATALOGUE, strict=True)
        for role in roles
    )
    records, bookings = [], []
    start = today - timedelta(days=365 * YEARS_BACK)
    for user_id, role in _scale_staff(org):
        for course, (_, _, months, roles, _) in zip(courses, CATALOGUE, strict=True):
            if role not in roles or rng.random() < 0.03:
                continue  # a few never done
            done = start + timedelta(days=rng.randrange(0, 200))
            while done <= today:
                records.append(
                    TrainingRecord(
                        organisation=org,
                        staff_id=user_id,
                        course=course,
                        completed_on=done,
                        expires_on=expiry_for(course, done),
                        provider=course.provider,
                        hours=6 if months == 12 else 3,
                        recorded_by_id=admin_id,
                    )
                )
                if months is None:
                    break
                due = add_months(done, months)
                draw = rng.random()
                if draw < LAPSED:
                    break  # lapsed: not done again
                late = 0 if draw < LAPSED + ON_TIME else rng.randrange(1, 90)
                done = due - timedelta(days=rng.randrange(0, 30)) + timedelta(days=late)
            if months and rng.random() < 0.05:
                bookings.append(
                    Booking(
                        organisation=org,
                        staff_id=user_id,
                        course=course,
                        booked_for=today + timedelta(days=rng.randrange(1, 60)),
                        provider=course.provider,
                        booked_by_id=admin_id,
                    )
                )
    TrainingRecord.objects.bulk_create(records, batch_size=2000)
    Booking.objects.bulk_create(bookings, batch_size=2000)
    return len(records)


def _scale_staff(org: Organisation) -> list[tuple[int, str]]:
    return list(
        User.objects.filter(organisation=org, memberships__team__isnull=False)
        .values_list("pk", "memberships__role")
        .order_by("pk")
    )
