from django.urls import reverse

from keywork.audit.models import AuditEntry
from keywork.organisations.models import Area, Service, Team


def service_data(world, **overrides):
    return {
        "name": "Harbour Crisis Beds",
        "type": Service.Type.ACCOMMODATION,
        "area": world.service.area.pk,
        "commissioner": "Bristol City Council",
        "nation": Service.Nation.ENGLAND_AND_WALES,
        "note_interval_days": "3",
        "plan_review_weeks": "8",
        "risk_review_weeks": "4",
    } | overrides


def test_it_lets_an_administrator_add_an_area_a_service_and_a_team(client_for, world):
    admin = client_for("admin")
    response = admin.post(
        reverse("administration:area_new"), {"name": "North Somerset", "kind": "council_area"}
    )
    assert response["Location"] == reverse("administration:organisation")
    area = Area.objects.get(name="North Somerset")
    assert area.organisation == world.organisation

    admin.post(reverse("administration:service_new"), service_data(world, area=area.pk))
    service = Service.objects.get(name="Harbour Crisis Beds")
    assert (service.note_interval_days, service.plan_review_weeks, service.risk_review_weeks) == (
        3,
        8,
        4,
    )

    admin.post(
        reverse("administration:team_new"), {"name": "Crisis team", "services": [service.pk]}
    )
    team = Team.objects.get(name="Crisis team")
    assert list(team.services.all()) == [service]

    page = admin.get(reverse("administration:organisation")).content.decode()
    for text in (
        "North Somerset",
        "Harbour Crisis Beds",
        "File note at least every 3 days",
        "Crisis team",
    ):
        assert text in page

    created = AuditEntry.objects.get_for_object(service).get(action=AuditEntry.Action.CREATE)
    assert created.actor == world.admin
    assert created.organisation == world.organisation


def test_it_changes_a_service_and_audits_the_old_and_new_values(client_for, world):
    admin = client_for("admin")
    url = reverse("administration:service_edit", args=[world.service.pk])
    admin.post(url, service_data(world, name=world.service.name, note_interval_days="14"))
    world.service.refresh_from_db()
    assert world.service.note_interval_days == 14
    entry = AuditEntry.objects.get_for_object(world.service).get(action=AuditEntry.Action.UPDATE)
    assert entry.changes_dict["note_interval_days"] == ["7", "14"]


def test_it_keeps_whose_bank_holidays_a_service_works_to(client_for, world):
    admin = client_for("admin")
    url = reverse("administration:service_edit", args=[world.service.pk])
    assert "Bank holidays of" in admin.get(url).content.decode()
    admin.post(url, service_data(world, name=world.service.name, nation="SCT"))
    world.service.refresh_from_db()
    assert world.service.nation == Service.Nation.SCOTLAND
    page = admin.get(reverse("administration:organisation")).content.decode()
    assert "Bank holidays of Scotland" in page
    entry = AuditEntry.objects.get_for_object(world.service).get(action=AuditEntry.Action.UPDATE)
    assert entry.changes_dict["nation"] == ["ENG", "SCT"]


def test_it_explains_each_bad_value(client_for, world):
    admin = client_for("admin")
    cases = [
        ({"name": ""}, "This field is required"),
        ({"name": "harbour house"}, "Your organisation already has a service with this name"),
        ({"note_interval_days": "0"}, "The most days between file notes must be 1 or more"),
        ({"plan_review_weeks": "-3"}, "The weeks between support plan reviews must be"),
        ({"risk_review_weeks": "many"}, "Enter the weeks between risk reviews as a number"),
        ({"area": world.other_org_service.area.pk}, "Select a valid choice"),
        ({"type": "castle"}, "Select a valid choice"),
        ({"nation": "WAL"}, "Select a valid choice"),
        ({"note_interval_days": "9" * 30}, "The most days between file notes must be 365 or less"),
    ]
    for overrides, message in cases:
        response = admin.post(
            reverse("administration:service_new"), service_data(world, **overrides)
        )
        assert response.status_code == 200, overrides
        assert message in response.content.decode(), overrides
    assert Service.objects.filter(organisation=world.organisation).count() == 2


def test_it_needs_a_service_for_a_team(client_for, world):
    response = client_for("admin").post(reverse("administration:team_new"), {"name": "Empty team"})
    assert "This field is required" in response.content.decode()
    assert not Team.objects.filter(name="Empty team").exists()


def test_it_archives_and_restores_a_service(client_for, world):
    admin = client_for("admin")
    url = reverse("administration:service_archive", args=[world.other_service.pk])
    admin.post(url)
    world.other_service.refresh_from_db()
    assert world.other_service.archived_at is not None
    admin.post(url)
    world.other_service.refresh_from_db()
    assert world.other_service.archived_at is None


def test_it_never_shows_another_organisations_set_up(client_for, world):
    admin = client_for("admin")
    page = admin.get(reverse("administration:organisation")).content.decode()
    assert "Elsewhere Hostel" not in page
    other = world.other_org_service
    assert admin.get(reverse("administration:service_edit", args=[other.pk])).status_code == 404
    assert admin.post(reverse("administration:service_archive", args=[other.pk])).status_code == 404
    assert (
        admin.get(reverse("administration:team_edit", args=[world.other_org_team.pk])).status_code
        == 404
    )
    other.refresh_from_db()
    assert other.archived_at is None
