"""Each home page starts with what needs doing today: the worker's appointments and
tasks due, and for a manager the incidents waiting for their sign-off."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from keywork.audit.models import AuditEntry
from keywork.notes.models import Appointment
from keywork.risk.services import incident_report
from keywork.tasks.models import Task
from keywork.tasks.services import task_create
from keywork.testing.factories import supported_person


def home(client) -> str:
    return client.get(reverse("home:home")).content.decode()


def test_it_starts_a_workers_day_with_todays_appointments_and_tasks_due(world, client_for):
    episode = supported_person(world, "Tia", "Today")
    later_today = timezone.localtime().replace(hour=23, minute=0, second=0, microsecond=0)
    appointment = Appointment.objects.create(
        organisation=world.organisation,
        person=episode.person,
        episode=episode,
        starts_at=later_today,
        place="Their flat",
        created_by=world.worker,
    )
    appointment.staff.set([world.worker])
    task = task_create(
        actor=world.worker,
        assigned_to=world.worker,
        person=episode.person,
        title="Chase the benefit claim",
        due_on=timezone.localdate(),
    )
    Task.objects.filter(pk=task.pk).update(due_on=timezone.localdate() - timedelta(days=2))
    page = home(client_for("worker"))
    assert "23:00: Key-work session with Tia Today" in page
    assert "Overdue</strong> Chase the benefit claim" in page
    # The names the home page showed are logged as a read.
    shown = AuditEntry.objects.filter(
        actor=world.worker, action=AuditEntry.Action.ACCESS, object_pk=""
    ).values_list("additional_data", flat=True)
    assert any(
        episode.person_id in (data or {}).get("shown", {}).get("people.person", [])
        for data in shown
    )
    assert "incidents waiting" not in page.lower()


def test_it_tells_a_manager_of_incidents_waiting_for_sign_off(world, client_for):
    episode = supported_person(world, "Ivo", "Incident")
    incident_report(
        actor=world.worker,
        service=world.service,
        type="other",
        severity="low",
        occurred_at=timezone.now() - timedelta(hours=1),
        place="Lounge",
        what_happened="A row about the television",
        immediate_action="Talked it down",
        people=[episode.person],
    )
    assert "1 incident waiting for your sign-off" in home(client_for("lead_manager"))
    assert "waiting for your sign-off" not in home(client_for("worker"))


def test_it_names_no_one_the_worker_may_no_longer_see(world, client_for):
    other = world.other_team_worker
    episode = supported_person(
        world, "Hal", "Hidden", key_worker=other, recorded_by=other, service=world.other_service
    )
    Task.objects.create(
        organisation=world.organisation,
        assigned_to=world.worker,
        person=episode.person,
        title="Ring Hal Hidden's sister",
        due_on=timezone.localdate(),
        created_by=other,
    )
    page = home(client_for("worker"))
    assert "Hidden" not in page
    assert "And 1 about someone whose record you can no longer see." in page
