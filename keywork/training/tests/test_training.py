from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from keywork.accounts.models import Role
from keywork.core.errors import NotFoundOrNotAllowed
from keywork.core.models import Notification
from keywork.core.saving import ChangedSinceOpened
from keywork.training import selectors, services
from keywork.training.models import Booking, Course, TrainingRecord

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def _course(world, name="Safeguarding adults", months=12, roles=(Role.SUPPORT_WORKER,)):
    return services.course_create(
        actor=world.admin, name=name, mandatory_for=list(roles), renewal_months=months
    )


def _record(world, staff, course, completed_on, **more):
    return services.training_record_create(
        actor=world.senior, staff=staff, course=course, completed_on=completed_on, **more
    )


# --- The catalogue -----------------------------------------------------------------------------


def test_it_lets_administrators_and_lead_managers_keep_the_catalogue(world):
    course = _course(world)
    assert {r.role for r in course.requirements.all()} == {Role.SUPPORT_WORKER}
    changed = services.course_update(
        actor=world.lead_manager,
        course=course,
        version=course.version,
        name="Safeguarding adults and children",
        mandatory_for=[Role.SUPPORT_WORKER, Role.SUPPORT_ASSISTANT],
        renewal_months=12,
    )
    assert {r.role for r in changed.requirements.all()} == {
        Role.SUPPORT_WORKER,
        Role.SUPPORT_ASSISTANT,
    }
    for who in (world.senior, world.worker, world.commissioner):
        with pytest.raises(NotFoundOrNotAllowed):
            services.course_create(actor=who, name="First aid")


def test_it_refuses_a_second_course_of_the_same_name_and_a_renewal_out_of_range(world):
    _course(world)
    with pytest.raises(ValidationError) as refused:
        services.course_create(actor=world.admin, name="safeguarding ADULTS")
    assert "already has a course" in str(refused.value.message_dict["name"])
    with pytest.raises(ValidationError) as refused:
        services.course_create(actor=world.admin, name="Fire safety", renewal_months=0)
    assert "renewal_months" in refused.value.message_dict
    assert Course.objects.count() == 1


def test_it_keeps_the_course_editors_apart_with_the_version(world):
    course = _course(world)
    opened = course.version
    services.course_update(
        actor=world.admin, course=course, version=opened, name="Safeguarding", renewal_months=12
    )
    with pytest.raises(ChangedSinceOpened):
        services.course_update(
            actor=world.lead_manager, course=course, version=opened, name="Other", renewal_months=12
        )
    assert Course.objects.get().name == "Safeguarding"


# --- Records -----------------------------------------------------------------------------------


def test_it_works_out_the_expiry_from_the_renewal_interval(world):
    yearly = _course(world)
    three_yearly = _course(world, "Food hygiene", 36)
    never = _course(world, "Induction", None)
    leap = date(2024, 2, 29)
    assert _record(world, world.worker, yearly, leap).expires_on == date(2025, 2, 28)
    assert _record(world, world.worker, three_yearly, date(2025, 1, 31)).expires_on == date(
        2028, 1, 31
    )
    assert _record(world, world.worker, never, date(2025, 1, 31)).expires_on is None


def test_it_refuses_a_completion_in_the_future_and_an_expiry_before_completion(world):
    course = _course(world)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        _record(world, world.worker, course, today + timedelta(days=1))
    assert "today or in the past" in refused.value.message_dict["completed_on"][0]
    with pytest.raises(ValidationError) as refused:
        _record(world, world.worker, course, today, expires_on=today - timedelta(days=1))
    assert "after the date it was completed" in refused.value.message_dict["expires_on"][0]
    with pytest.raises(ValidationError) as refused:
        _record(world, world.worker, course, today, hours=Decimal("-1"))
    assert "hours" in refused.value.message_dict
    assert not TrainingRecord.objects.exists()


def test_it_keeps_a_certificate_and_shows_it_only_to_those_who_may_see_the_record(
    world, client_for, settings
):
    course = _course(world)
    record = _record(
        world,
        world.worker,
        course,
        timezone.localdate(),
        certificate=SimpleUploadedFile("cert.pdf", PDF, content_type="application/pdf"),
    )
    assert record.certificate_type == "application/pdf"
    stored = settings.KEYWORK_PRIVATE_DIR / "training-certificates" / record.certificate_stored_name
    assert stored.read_bytes() == PDF
    assert [f.path for f in services.stored_files()] == [
        f"training-certificates/{record.certificate_stored_name}"
    ]
    url = reverse("training:certificate", args=[record.pk])
    answer = client_for("worker").get(url)
    assert answer.status_code == 200 and b"".join(answer.streaming_content) == PDF
    assert client_for("senior").get(url).status_code == 200
    assert client_for("colleague").get(url).status_code == 404
    assert client_for("other_lead_manager").get(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("cert.docx", b"PK\x03\x04 not allowed", "must be a PDF, JPEG or PNG file"),
        ("cert.pdf", b"MZ\x90 a program", "content is not"),
        ("cert.png", PDF, "content is not"),
        ("certificate", PDF, "must be a PDF, JPEG or PNG file"),
    ],
)
def test_it_refuses_a_certificate_of_the_wrong_type_and_keeps_nothing(
    world, settings, name, content, says
):
    course = _course(world)
    with pytest.raises(ValidationError) as refused:
        _record(
            world,
            world.worker,
            course,
            timezone.localdate(),
            certificate=SimpleUploadedFile(name, content),
        )
    assert says in refused.value.message_dict["certificate"][0]
    assert not TrainingRecord.objects.exists()
    folder = settings.KEYWORK_PRIVATE_DIR / "training-certificates"
    assert not folder.exists() or not any(folder.iterdir())


def test_it_refuses_a_certificate_over_the_size_limit(world, settings):
    settings.KEYWORK_ATTACHMENT_MAX_BYTES = 10
    with pytest.raises(ValidationError) as refused:
        _record(
            world,
            world.worker,
            _course(world),
            timezone.localdate(),
            certificate=SimpleUploadedFile("cert.png", PNG),
        )
    assert "or smaller" in refused.value.message_dict["certificate"][0]


def test_it_saves_a_correction_only_over_the_version_opened(
    world, settings, django_capture_on_commit_callbacks
):
    course = _course(world)
    record = _record(
        world,
        world.worker,
        course,
        date(2026, 1, 10),
        certificate=SimpleUploadedFile("a.png", PNG),
    )
    old_file = record.certificate_stored_name
    opened = record.version
    with django_capture_on_commit_callbacks(execute=True):
        services.training_record_update(
            actor=world.senior,
            record=record,
            version=opened,
            completed_on=date(2026, 1, 12),
            provider="Red Cross",
            hours=Decimal("6.5"),
            certificate=SimpleUploadedFile("b.pdf", PDF),
        )
    saved = TrainingRecord.objects.get()
    assert saved.expires_on == date(2027, 1, 12) and saved.certificate_name == "b.pdf"
    folder = settings.KEYWORK_PRIVATE_DIR / "training-certificates"
    assert not (folder / old_file).exists()
    with pytest.raises(ChangedSinceOpened):
        services.training_record_update(
            actor=world.lead_manager, record=record, version=opened, completed_on=date(2026, 1, 1)
        )
    assert TrainingRecord.objects.get().completed_on == date(2026, 1, 12)


def test_it_lets_only_line_managers_and_administrators_record(world):
    course = _course(world)
    today = timezone.localdate()
    for who in (world.senior, world.lead_manager, world.admin):
        services.training_record_create(
            actor=who, staff=world.worker, course=course, completed_on=today
        )
    for who in (world.worker, world.colleague, world.other_lead_manager, world.other_org_worker):
        with pytest.raises(NotFoundOrNotAllowed):
            services.training_record_create(
                actor=who, staff=world.worker, course=course, completed_on=today
            )


def test_it_books_training_to_come_and_cancels_it(world):
    course = _course(world)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        services.training_booking_create(
            actor=world.senior, staff=world.worker, course=course, booked_for=today - timedelta(1)
        )
    assert "today or later" in refused.value.message_dict["booked_for"][0]
    booking = services.training_booking_create(
        actor=world.senior, staff=world.worker, course=course, booked_for=today + timedelta(9)
    )
    matrix = selectors.team_matrix(fetched_by=world.senior, team=world.team, today=today)
    worker_row = next(row for row in matrix.rows if row.staff == world.worker)
    assert worker_row.cells[0].booked_for == today + timedelta(9)
    services.training_booking_cancel(actor=world.senior, booking=booking)
    assert Booking.objects.get().cancelled_at is not None


# --- Access ------------------------------------------------------------------------------------


def test_it_shows_each_reader_only_the_training_they_may_see(world, client_for):
    course = _course(world)
    _record(world, world.worker, course, timezone.localdate(), provider="Harbour Learning")
    page = reverse("training:staff", args=[world.worker.pk])
    for who in ("worker", "senior", "lead_manager", "admin"):
        answer = client_for(who).get(page)
        assert answer.status_code == 200, who
        assert "Harbour Learning" in answer.content.decode()
    for who in ("colleague", "support_assistant", "other_lead_manager", "other_org_worker"):
        assert client_for(who).get(page).status_code == 404, who
    assert client_for("commissioner").get(reverse("training:home")).status_code == 404


def test_it_gives_the_organisation_matrix_to_administrators_and_a_team_s_to_its_managers(
    world, client_for
):
    _course(world)
    org = reverse("training:matrix")
    team = reverse("training:team_matrix", args=[world.team.pk])
    assert client_for("admin").get(org).status_code == 200
    assert client_for("admin").get(team).status_code == 200
    for who in ("senior", "lead_manager"):
        assert client_for(who).get(team).status_code == 200
        assert client_for(who).get(org).status_code == 404
    for who in ("worker", "other_lead_manager", "other_org_worker"):
        assert client_for(who).get(team).status_code == 404


def test_it_audits_every_change(world):
    from keywork.audit.models import AuditEntry as LogEntry

    course = _course(world)
    record = _record(world, world.worker, course, timezone.localdate())
    entries = LogEntry.objects.filter(
        object_pk=str(record.pk), content_type__model="trainingrecord"
    )
    assert entries.get().actor == world.senior
    assert LogEntry.objects.filter(content_type__model="course", object_pk=str(course.pk)).exists()


# --- Reminders ---------------------------------------------------------------------------------


def test_it_reminds_the_worker_and_their_managers_once_before_and_once_after_expiry(world):
    course = _course(world)
    record = _record(world, world.worker, course, date(2025, 3, 1))  # expires 1 March 2026
    told = lambda: sorted(  # noqa: E731
        (n.user.full_name, n.text) for n in Notification.objects.select_related("user")
    )
    assert services.send_training_reminders(date(2026, 1, 29)) == 0
    assert services.send_training_reminders(date(2026, 1, 30)) == 3
    assert told() == [
        ("Laura Lead", "Wendy Worker's Safeguarding adults training expires on 01/03/2026."),
        ("Sally Senior", "Wendy Worker's Safeguarding adults training expires on 01/03/2026."),
        (
            "Wendy Worker",
            "Your Safeguarding adults training expires on 01/03/2026: book a renewal.",
        ),
    ]
    assert services.send_training_reminders(date(2026, 2, 15)) == 0
    assert services.send_training_reminders(date(2026, 3, 1)) == 3
    assert "expired on 01/03/2026" in Notification.objects.latest("pk").text
    assert services.send_training_reminders(date(2026, 3, 2)) == 0
    record.refresh_from_db()
    assert record.expired_reminded_on == date(2026, 3, 1)


def test_it_reminds_no_one_about_a_course_done_again(world):
    course = _course(world)
    _record(world, world.worker, course, date(2025, 3, 1))
    _record(world, world.worker, course, date(2026, 1, 20))
    assert services.send_training_reminders(date(2026, 3, 5)) == 0


def test_it_runs_the_daily_jobs_from_the_command(world, capsys):
    course = _course(world)
    _record(world, world.worker, course, date(2025, 3, 1))
    call_command("run_daily", "--date", "2026-03-02")
    assert "send_training_reminders" not in capsys.readouterr().err
    assert Notification.objects.filter(user=world.worker).count() == 1


# --- Pages -------------------------------------------------------------------------------------


def test_it_records_training_from_the_form_and_names_the_wrong_field(world, client_for):
    course = _course(world)
    client = client_for("senior")
    url = reverse("training:record_new", args=[world.worker.pk])
    tomorrow = timezone.localdate() + timedelta(days=1)
    answer = client.post(url, {"course": course.pk, "completed_on": f"{tomorrow:%d/%m/%Y}"})
    assert answer.status_code == 200
    assert "today or in the past" in answer.content.decode()
    answer = client.post(
        url,
        {
            "course": course.pk,
            "completed_on": "10/01/2026",
            "hours": "3",
            "certificate": SimpleUploadedFile("cert.txt", b"hello"),
        },
    )
    assert "must be a PDF, JPEG or PNG file" in answer.content.decode()
    assert not TrainingRecord.objects.exists()
    answer = client.post(
        url,
        {
            "course": course.pk,
            "completed_on": "10/01/2026",
            "certificate": SimpleUploadedFile("cert.pdf", PDF),
        },
    )
    assert answer.status_code == 302
    assert TrainingRecord.objects.get().expires_on == date(2027, 1, 10)


def test_it_shows_a_worker_with_expired_training_on_their_home_page(world, client_for):
    course = _course(world)
    _record(world, world.worker, course, timezone.localdate() - timedelta(days=400))
    page = client_for("worker").get(reverse("home:home")).content.decode()
    assert "Your training" in page and "Expired" in page
    assert "Your training" not in client_for("colleague").get(reverse("home:home")).content.decode()
