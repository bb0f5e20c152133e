import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from keywork.audit.models import AuthEvent
from keywork.testing.factories import TEST_PASSWORD

SIGN_IN = reverse("accounts:sign_in")
VERIFY = reverse("accounts:two_factor_verify")
SETUP = reverse("accounts:two_factor_setup")
HOME = reverse("home:home")


def current_code(user) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key):06d}"


def password_step(client, email, password=TEST_PASSWORD):
    return client.post(SIGN_IN, {"email": email, "password": password})


def test_it_signs_in_with_password_then_code(client, world):
    response = password_step(client, world.worker.email)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)

    # Before the code, nothing but the code page is reachable.
    assert client.get(HOME)["Location"] == VERIFY

    response = client.post(VERIFY, {"code": current_code(world.worker)}, follow=True)
    assert response.redirect_chain[-1][0] == HOME
    assert "Hello, Wendy" in response.content.decode()
    assert AuthEvent.objects.filter(user=world.worker, kind=AuthEvent.Kind.SIGNED_IN).exists()


def test_it_accepts_the_email_in_any_case(client, world):
    response = password_step(client, world.worker.email.upper())
    assert response["Location"].startswith(VERIFY)


def test_it_gives_the_same_message_for_unknown_email_and_wrong_password(client, world):
    wrong_password = password_step(client, world.worker.email, "not-the-password-at-all")
    unknown_email = password_step(client, "nobody@keywork.test", "not-the-password-at-all")
    assert wrong_password.status_code == unknown_email.status_code == 200
    for response in (wrong_password, unknown_email):
        assert "Enter a correct email address and password" in response.content.decode()
    events = AuthEvent.objects.filter(kind=AuthEvent.Kind.SIGN_IN_FAILED)
    assert events.filter(user=world.worker).count() == 1
    assert events.filter(user=None, email_tried="nobody@keywork.test").count() == 1


def test_it_locks_the_account_on_the_tenth_wrong_password_for_thirty_minutes(client, world):
    email = world.worker.email
    for _ in range(9):
        assert password_step(client, email, "wrong-password-here").status_code == 200
    tenth = password_step(client, email, "wrong-password-here")
    assert tenth.status_code == 429
    assert "Sign-in is locked for 30 minutes" in tenth.content.decode()

    right = password_step(client, email)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session

    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=31)):
        response = password_step(client, email)
        assert response.status_code == 302
        assert response["Location"].startswith(VERIFY)
    assert AuthEvent.objects.filter(user=world.worker, kind=AuthEvent.Kind.LOCKED_OUT).exists()


def test_it_still_locks_at_twenty_nine_minutes(client, world):
    for _ in range(10):
        password_step(client, world.worker.email, "wrong-password-here")
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=29)):
        assert password_step(client, world.worker.email).status_code == 429


def test_it_locks_an_unknown_email_with_the_same_message(client, world):
    for _ in range(9):
        password_step(client, "ghost@keywork.test", "wrong-password-here")
    tenth = password_step(client, "ghost@keywork.test", "wrong-password-here")
    assert tenth.status_code == 429
    assert "Sign-in is locked for 30 minutes" in tenth.content.decode()


def test_it_refuses_a_code_used_before(client, world):
    password_step(client, world.worker.email)
    code = current_code(world.worker)
    assert client.post(VERIFY, {"code": code})["Location"] == HOME
    client.post(reverse("accounts:sign_out"))

    # Straight away, within the same 30-second step: the same code is refused.
    password_step(client, world.worker.email)
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 200
    assert "That code is wrong or has been used" in response.content.decode()
    assert client.get(HOME)["Location"] == VERIFY
    assert AuthEvent.objects.filter(
        user=world.worker, kind=AuthEvent.Kind.TWO_FACTOR_FAILED
    ).exists()


def test_it_refuses_a_wrong_or_malformed_code(client, world):
    password_step(client, world.worker.email)
    for code in ["000000x", "12", "", "1" * 200]:
        response = client.post(VERIFY, {"code": code})
        assert response.status_code == 200
        assert client.get(HOME).status_code == 302


def test_it_sets_up_two_factor_at_first_sign_in(client, world):
    TOTPDevice.objects.filter(user=world.colleague).delete()
    response = password_step(client, world.colleague.email)
    assert response["Location"].startswith(SETUP)

    page = client.get(SETUP)
    assert page.status_code == 200
    assert '<svg role="img" aria-label="QR code' in page.content.decode()
    # Reloading shows the same secret, so a code from the scanned QR still works.
    assert client.get(SETUP).context["secret"] == page.context["secret"]

    pending = TOTPDevice.objects.get(user=world.colleague, confirmed=False)
    wrong = client.post(SETUP, {"code": "123456" if totp(pending.bin_key) != 123456 else "654321"})
    assert wrong.status_code == 200
    assert "That code does not match" in wrong.content.decode()

    # django-otp slows down guessing: after a wrong code the next try waits a moment.
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=5)):
        response = client.post(SETUP, {"code": f"{totp(pending.bin_key):06d}"})
    assert response["Location"] == HOME
    assert TOTPDevice.objects.get(user=world.colleague).confirmed
    assert client.get(HOME).status_code == 200


def test_it_keeps_a_signed_in_user_on_setup_until_done(client, world):
    TOTPDevice.objects.filter(user=world.colleague).delete()
    password_step(client, world.colleague.email)
    assert client.get(reverse("administration:staff_list"))["Location"] == SETUP
    assert client.get(VERIFY)["Location"] == SETUP


def test_it_never_redirects_off_site_after_sign_in(client, world):
    client.post(
        SIGN_IN + "?next=https://evil.example/",
        {"email": world.worker.email, "password": TEST_PASSWORD, "next": "https://evil.example/"},
    )
    response = client.post(
        VERIFY, {"code": current_code(world.worker), "next": "https://evil.example/"}
    )
    assert response["Location"] == HOME


def test_it_signs_out(client_for, world):
    client = client_for("worker")
    assert client.get(HOME).status_code == 200
    client.post(reverse("accounts:sign_out"))
    assert client.get(HOME)["Location"].startswith(SIGN_IN)
    assert AuthEvent.objects.filter(user=world.worker, kind=AuthEvent.Kind.SIGNED_OUT).exists()


def test_it_does_not_sign_out_on_a_get(client_for):
    client = client_for("worker")
    assert client.get(reverse("accounts:sign_out")).status_code == 405
    assert client.get(HOME).status_code == 200


def test_it_brings_the_signed_in_user_with_their_organisation(client_for):
    # Every page names the organisation; it comes with the user, not by a query of its own.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("worker")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("accounts:account"))
    assert "Harbour Housing" in page.content.decode()
    assert not [q for q in queries if 'FROM "organisations_organisation"' in q["sql"]]


def test_it_gives_the_session_a_new_key_when_the_code_is_accepted(client, world):
    from django.conf import settings

    from keywork.accounts.models import StaffSession

    password_step(client, world.worker.email)
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.post(VERIFY, {"code": current_code(world.worker)})["Location"] == HOME
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    # A copy of the cookie taken before the code is worth nothing now.
    assert not StaffSession.objects.filter(session_key=before).exists()
    assert client.get(HOME).status_code == 200


def test_it_gives_the_session_a_new_key_when_two_factor_is_set_up(client, world):
    from django.conf import settings

    TOTPDevice.objects.filter(user=world.colleague).delete()
    password_step(client, world.colleague.email)
    client.get(SETUP)
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    pending = TOTPDevice.objects.get(user=world.colleague, confirmed=False)
    assert client.post(SETUP, {"code": f"{totp(pending.bin_key):06d}"})["Location"] == HOME
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != before


def test_it_keeps_a_next_page_with_a_query_string_through_the_code(client, world):
    wanted = reverse("people:search") + "?q=a&dob=1"
    to_sign_in = client.get(wanted)["Location"]
    assert to_sign_in.startswith(SIGN_IN)
    page = client.get(to_sign_in)
    assert page.context["next"] == wanted

    response = client.post(
        SIGN_IN, {"email": world.worker.email, "password": TEST_PASSWORD, "next": wanted}
    )
    assert response["Location"].startswith(VERIFY)
    code_page = client.get(response["Location"])
    assert code_page.context["next"] == wanted
    response = client.post(
        response["Location"],
        {"code": current_code(world.worker), "next": code_page.context["next"]},
    )
    assert response["Location"] == wanted


def test_it_never_redirects_off_site_with_a_query_string_either(client, world):
    evil = "https://evil.example/?q=a&dob=1"
    response = client.post(
        SIGN_IN, {"email": world.worker.email, "password": TEST_PASSWORD, "next": evil}
    )
    code_page = client.get(response["Location"])
    assert code_page.context["next"] == HOME
    response = client.post(response["Location"], {"code": current_code(world.worker), "next": evil})
    assert response["Location"] == HOME
