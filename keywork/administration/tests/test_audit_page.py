"""The audit page: searching it, and who sees which organisation's rows."""

from django.urls import reverse

from keywork.administration import services as organisation_services
from keywork.administration.views import AUDIT_PAGE_SIZE
from keywork.audit.models import AuditEntry, AuthEvent
from keywork.audit.services import auth_event_record, record_view

AUDIT = reverse("administration:audit")


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


def rows(response):
    return list(response.context["page"].object_list)


def test_it_lets_a_lead_manager_search_by_user_record_and_date(client_for, world):
    rename_service(world, world.admin, world.service, "Harbour House East")
    view = record_view(actor=world.senior, obj=world.worker)
    client = client_for("lead_manager")

    by_admin = client.get(AUDIT, {"user": world.admin.pk})
    assert {e.actor for e in rows(by_admin)} == {world.admin}
    assert "Harbour House East" in by_admin.content.decode()

    by_senior = client.get(AUDIT, {"user": world.senior.pk})
    assert rows(by_senior) == [view]
    assert "Viewed" in by_senior.content.decode()

    service_type = AuditEntry.objects.get_for_object(world.service).first().content_type
    by_record = client.get(AUDIT, {"record_type": service_type.pk, "record_id": world.service.pk})
    assert rows(by_record)
    assert {(e.content_type, e.object_pk) for e in rows(by_record)} == {
        (service_type, str(world.service.pk))
    }

    assert rows(client.get(AUDIT, {"date_from": "01/01/2099"})) == []
    assert "Nothing matches" in client.get(AUDIT, {"date_from": "01/01/2099"}).content.decode()


def test_it_shows_sign_in_events(client_for, world):
    auth_event_record(kind=AuthEvent.Kind.LOCKED_OUT, request=None, user=world.worker)
    page = client_for("lead_manager").get(AUDIT, {"show": "sign-ins"}).content.decode()
    assert "Locked out" in page and "Wendy Worker" in page


def test_it_explains_bad_search_input(client_for):
    client = client_for("lead_manager")
    cases = [
        ({"date_from": "31/02/2026"}, "Enter the from date like 27/11/2026"),
        (
            {"date_from": "02/01/2026", "date_to": "01/01/2026"},
            "The to date must be the same as or after",
        ),
        ({"record_id": "12"}, "Choose the kind of record the number belongs to"),
        ({"user": "999999"}, "Select a valid choice"),
        ({"page": "abc"}, ""),
    ]
    for params, message in cases:
        response = client.get(AUDIT, params)
        assert response.status_code == 200, params
        assert message in response.content.decode(), params


def test_it_keeps_each_organisation_to_its_own_audit(client_for, world):
    rename_service(world, world.other_org_admin, world.other_org_service, "Elsewhere Renamed")
    auth_event_record(kind=AuthEvent.Kind.LOCKED_OUT, request=None, user=world.other_org_worker)
    client = client_for("lead_manager")
    assert "Elsewhere Renamed" not in client.get(AUDIT).content.decode()
    assert "Oscar Outsider" not in client.get(AUDIT, {"show": "sign-ins"}).content.decode()
    # Searching for another organisation's user is refused, not answered.
    response = client.get(AUDIT, {"user": world.other_org_admin.pk})
    assert "Select a valid choice" in response.content.decode()


def test_it_stays_on_sign_in_events_when_paging_through_them(client_for, world):

    for _ in range(AUDIT_PAGE_SIZE + 1):
        auth_event_record(kind=AuthEvent.Kind.LOCKED_OUT, request=None, user=world.worker)
    client = client_for("lead_manager")
    first = client.get(AUDIT, {"show": "sign-ins"}).content.decode()
    assert 'href="?show=sign-ins&amp;page=2"' in first
    second = client.get(AUDIT, {"show": "sign-ins", "page": "2"})
    assert second.context["show"] == "sign-ins" and second.context["page"].number == 2
