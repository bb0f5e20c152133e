from django.urls import reverse

from keywork.accounts.models import StaffSession
from keywork.audit.models import AuditEntry, AuthEvent
from keywork.testing.factories import TEST_PASSWORD

HOME = reverse("home:home")


def deactivate_url(user):
    return reverse("administration:staff_deactivate", args=[user.pk])


def test_it_ends_every_session_of_a_deactivated_user(client_for, world):
    on_phone = client_for("worker")
    on_laptop = client_for("worker")
    assert on_phone.get(HOME).status_code == 200
    assert StaffSession.objects.filter(user=world.worker).count() == 2

    response = client_for("admin").post(deactivate_url(world.worker))
    assert response.status_code == 302

    assert StaffSession.objects.filter(user=world.worker).count() == 0
    for client in (on_phone, on_laptop):
        assert client.get(HOME)["Location"].startswith(reverse("accounts:sign_in"))
    world.worker.refresh_from_db()
    assert not world.worker.is_active
    assert world.worker.deactivated_at is not None
    assert AuthEvent.objects.filter(user=world.worker, kind=AuthEvent.Kind.DEACTIVATED).exists()
    entry = AuditEntry.objects.get_for_object(world.worker).get(action=AuditEntry.Action.UPDATE)
    assert entry.actor == world.admin
    assert entry.changes_dict["is_active"] == ["True", "False"]


def test_it_stops_a_deactivated_user_signing_in(client, client_for, world):
    client_for("admin").post(deactivate_url(world.worker))
    response = client.post(
        reverse("accounts:sign_in"), {"email": world.worker.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.content.decode()


def test_it_lets_only_an_administrator_of_the_same_organisation_deactivate(client_for, world):
    for persona in ("worker", "colleague", "senior", "lead_manager", "commissioner"):
        assert client_for(persona).post(deactivate_url(world.colleague)).status_code == 404
    assert (
        client_for(world.other_org_admin).post(deactivate_url(world.colleague)).status_code == 404
    )
    # Nor themselves: an organisation must not lose its last administrator by a slip.
    assert client_for("admin").post(deactivate_url(world.admin)).status_code == 404
    world.colleague.refresh_from_db()
    assert world.colleague.is_active


def test_it_asks_before_deactivating(client_for, world):
    page = client_for("admin").get(deactivate_url(world.worker))
    assert page.status_code == 200
    assert "They will be signed out everywhere" in page.content.decode()
    world.worker.refresh_from_db()
    assert world.worker.is_active
