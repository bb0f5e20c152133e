from datetime import timedelta

import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from keywork.accounts.tests.test_sign_in import current_code
from keywork.audit.models import AuthEvent
from keywork.testing.factories import TEST_PASSWORD

SIGN_IN = reverse("accounts:sign_in")
VERIFY = reverse("accounts:two_factor_verify")
HOME = reverse("home:home")
CONFIRM = reverse("accounts:confirm_password")
PASSWORD = reverse("accounts:password_change")

ATTACKER = "203.0.113.9"
OFFICE = "198.51.100.7"


def client_at(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def password_step(client, email, password=TEST_PASSWORD, forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return client.post(SIGN_IN, {"email": email, "password": password}, **extra)


def test_it_lets_the_real_user_in_while_another_address_fails_on_their_account(world):
    attacker = client_at(ATTACKER)
    answers = [
        password_step(attacker, world.worker.email, "wrong-password-here").status_code
        for _ in range(12)
    ]
    assert answers[:9] == [200] * 9
    assert answers[9:] == [429] * 3

    real = client_at(OFFICE)
    response = password_step(real, world.worker.email)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    response = real.post(VERIFY, {"code": current_code(world.worker)})
    assert response["Location"] == HOME
    assert real.get(HOME).status_code == 200
    # The attacker's address stays locked out of the account.
    assert password_step(attacker, world.worker.email).status_code == 429


def test_it_still_locks_the_real_user_after_their_own_ten_failures(world):
    real = client_at(OFFICE)
    for _ in range(9):
        assert password_step(real, world.worker.email, "wrong-password-here").status_code == 200
    tenth = password_step(real, world.worker.email, "wrong-password-here")
    assert tenth.status_code == 429
    assert "Sign-in is locked for 30 minutes" in tenth.content.decode()
    assert password_step(real, world.worker.email).status_code == 429
    assert "_auth_user_id" not in real.session


def test_it_does_not_lengthen_a_lock_with_tries_made_during_it(world):
    client = client_at(ATTACKER)
    start = timezone.now()
    for _ in range(10):
        password_step(client, world.worker.email, "wrong-password-here")
    for minutes in (5, 20, 29):
        with time_machine.travel(start + timedelta(minutes=minutes)):
            assert password_step(client, world.worker.email, "wrong-again").status_code == 429
            assert password_step(client, world.worker.email).status_code == 429
    # Thirty minutes after the tenth failure, whatever was tried since.
    with time_machine.travel(start + timedelta(minutes=31)):
        response = password_step(client, world.worker.email)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)


def test_it_limits_the_tries_from_one_address_across_every_email(world):
    client = client_at(ATTACKER)
    start = timezone.now()
    for number in range(30):
        response = password_step(client, f"guess{number}@keywork.test", "wrong-password-here")
        assert response.status_code == 200, number
    refused = password_step(client, "guess-more@keywork.test", "wrong-password-here")
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Too many tries from this address" in page
    assert "wait 15 minutes" in page
    # The right password is refused too from that address: it is not checked at all.
    assert password_step(client, world.worker.email).status_code == 429
    assert "_auth_user_id" not in client.session
    # Refused tries are not counted, so they do not lengthen the wait.
    with time_machine.travel(start + timedelta(minutes=10, seconds=30)):
        late = password_step(client, world.worker.email, "wrong-password-here")
        assert late.status_code == 429
        assert "wait 5 minutes" in late.content.decode()

    # Other addresses are not held up.
    assert password_step(client_at(OFFICE), world.worker.email).status_code == 302
    with time_machine.travel(start + timedelta(minutes=16)):
        assert password_step(client, world.colleague.email).status_code == 302


def test_it_locks_confirming_the_password_after_ten_wrong_tries(client_for, world):
    client = client_for("worker")
    start = timezone.now()
    for _ in range(9):
        wrong = client.post(CONFIRM + "?then=password", {"password": "not-my-password"})
        assert wrong.status_code == 200
        assert "That password is not right" in wrong.content.decode()
    tenth = client.post(CONFIRM + "?then=password", {"password": "not-my-password"})
    assert tenth.status_code == 429
    locked = "Too many wrong passwords. You cannot confirm your password for 30 minutes"
    assert locked in tenth.content.decode()

    right = client.post(CONFIRM + "?then=password", {"password": TEST_PASSWORD})
    assert right.status_code == 429
    assert locked in right.content.decode()
    assert client.get(PASSWORD)["Location"] == CONFIRM + "?then=password"
    assert AuthEvent.objects.filter(user=world.worker, kind=AuthEvent.Kind.LOCKED_OUT).exists()

    # The same count as signing in: the account is locked there too, from this address.
    assert password_step(Client(), world.worker.email).status_code == 429

    with time_machine.travel(start + timedelta(minutes=20)):
        assert client.get(HOME).status_code == 200  # still signed in
    with time_machine.travel(start + timedelta(minutes=31)):
        right = client.post(CONFIRM + "?then=password", {"password": TEST_PASSWORD})
        assert right["Location"] == PASSWORD


def test_it_counts_by_the_address_the_proxy_saw_and_not_one_the_client_wrote(world, settings):
    settings.KEYWORK_TRUSTED_PROXIES = 1
    attacker = Client(REMOTE_ADDR="127.0.0.1")
    for number in range(10):
        # Whatever the client writes on the left, the proxy adds the address it saw.
        forged = f"192.0.2.{number}, {ATTACKER}"
        password_step(attacker, world.worker.email, "wrong-password-here", forwarded=forged)
    refused = password_step(attacker, world.worker.email, forwarded=f"192.0.2.99, {ATTACKER}")
    assert refused.status_code == 429

    real = Client(REMOTE_ADDR="127.0.0.1")
    assert password_step(real, world.worker.email, forwarded=OFFICE).status_code == 302

    # With no proxy in front, the header is the client's own and is not believed.
    settings.KEYWORK_TRUSTED_PROXIES = 0
    direct = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(10):
        password_step(direct, world.colleague.email, "wrong-password-here", forwarded=OFFICE)
    assert password_step(direct, world.colleague.email, forwarded="192.0.2.1").status_code == 429
