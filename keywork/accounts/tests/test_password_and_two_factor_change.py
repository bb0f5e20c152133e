import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from keywork.accounts.models import StaffSession
from keywork.testing.factories import TEST_PASSWORD

CONFIRM = reverse("accounts:confirm_password")
PASSWORD = reverse("accounts:password_change")
TWO_FACTOR = reverse("accounts:two_factor_reset")
NEW_PASSWORD = "a-brand-new-long-passphrase"


def test_it_asks_for_the_password_before_changing_it(client_for, world):
    client = client_for("worker")
    assert client.get(PASSWORD)["Location"] == CONFIRM + "?then=password"
    wrong = client.post(CONFIRM + "?then=password", {"password": "not-my-password"})
    assert "That password is not right" in wrong.content.decode()
    assert client.get(PASSWORD).status_code == 302

    right = client.post(CONFIRM + "?then=password", {"password": TEST_PASSWORD})
    assert right["Location"] == PASSWORD
    assert client.get(PASSWORD).status_code == 200


def test_it_changes_the_password_and_ends_other_sessions(client_for, world):
    other_device = client_for("worker")
    client = client_for("worker")
    client.post(CONFIRM, {"password": TEST_PASSWORD})
    response = client.post(
        PASSWORD, {"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}
    )
    assert response["Location"] == reverse("accounts:account")
    world.worker.refresh_from_db()
    assert world.worker.check_password(NEW_PASSWORD)
    assert client.get(reverse("home:home")).status_code == 200
    assert other_device.get(reverse("home:home")).status_code == 302
    assert StaffSession.objects.filter(user=world.worker).count() == 1


def test_it_asks_again_after_ten_minutes(client_for):
    client = client_for("worker")
    client.post(CONFIRM, {"password": TEST_PASSWORD})
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=11)):
        client.get(reverse("home:home"))  # still signed in: under the idle limit
        assert client.get(PASSWORD)["Location"] == CONFIRM + "?then=password"


def test_it_refuses_a_weak_new_password(client_for, world):
    client = client_for("worker")
    client.post(CONFIRM, {"password": TEST_PASSWORD})
    response = client.post(PASSWORD, {"new_password": "qwerty", "confirm_password": "qwerty"})
    assert "This password is too short" in response.content.decode()
    world.worker.refresh_from_db()
    assert world.worker.check_password(TEST_PASSWORD)


def test_it_moves_two_factor_to_a_new_app_after_the_password(client_for, world):
    client = client_for("worker")
    old_device = TOTPDevice.objects.get(user=world.worker)
    assert client.get(TWO_FACTOR)["Location"] == CONFIRM + "?then=two-factor"
    assert (
        client.post(CONFIRM + "?then=two-factor", {"password": TEST_PASSWORD})["Location"]
        == TWO_FACTOR
    )

    page = client.get(TWO_FACTOR)
    assert "Move two-factor sign-in to a new app" in page.content.decode()
    new_device = TOTPDevice.objects.get(user=world.worker, confirmed=False)
    response = client.post(TWO_FACTOR, {"code": f"{totp(new_device.bin_key):06d}"})
    assert response["Location"] == reverse("accounts:account")
    assert list(TOTPDevice.objects.filter(user=world.worker)) == [new_device]
    assert not TOTPDevice.objects.filter(pk=old_device.pk).exists()
