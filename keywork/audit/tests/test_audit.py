import pytest

from keywork.administration import services as organisation_services
from keywork.audit.models import AppendOnlyError, AuditEntry, AuthEvent
from keywork.audit.services import auth_event_record, record_view


def rename_service(world, actor, service, name):
    organisation_services.service_save(
        actor=actor,
        service=service,
        name=name,
        type=service.type,
        area=service.area,
        commissioner="",
        note_interval_days=7,
        plan_review_weeks=12,
        risk_review_weeks=12,
    )


def test_it_records_who_changed_what_and_when(world):
    rename_service(world, world.admin, world.service, "Harbour House East")
    entry = AuditEntry.objects.get_for_object(world.service).get(action=AuditEntry.Action.UPDATE)
    assert entry.actor == world.admin
    assert entry.changes_dict["name"] == ["Harbour House", "Harbour House East"]
    assert entry.timestamp is not None


def test_it_logs_a_view_of_a_record(world):
    entry = record_view(actor=world.lead_manager, obj=world.worker)
    assert entry.action == AuditEntry.Action.ACCESS
    assert entry.actor == world.lead_manager
    assert entry.organisation == world.organisation


def test_it_never_changes_or_deletes_audit_rows(world):
    entry = record_view(actor=world.lead_manager, obj=world.worker)
    event = auth_event_record(kind=AuthEvent.Kind.SIGNED_IN, request=None, user=world.worker)
    for attempt in (
        lambda: entry.delete(),
        lambda: AuditEntry.objects.filter(pk=entry.pk).delete(),
        lambda: AuditEntry.objects.filter(pk=entry.pk).update(actor=None),
        lambda: entry.save(),
        lambda: event.delete(),
        lambda: AuthEvent.objects.all().update(kind="signed_out"),
        lambda: AuthEvent.objects.all().delete(),
    ):
        with pytest.raises(AppendOnlyError):
            attempt()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
