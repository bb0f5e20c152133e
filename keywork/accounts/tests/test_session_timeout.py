import time_machine
from django.urls import reverse
from django.utils import timezone

from keywork.audit.models import AuthEvent

HOME = reverse("home:home")


def later(**kwargs):
    return time_machine.travel(timezone.now() + timezone.timedelta(**kwargs), tick=False)


def test_it_signs_out_after_thirty_idle_minutes(client_for, world):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = client_for("worker")
        assert client.get(HOME).status_code == 200
    with time_machine.travel(start + timezone.timedelta(minutes=31), tick=False):
        response = client.get(HOME)
        assert response.status_code == 302
        assert response["Location"] == reverse("accounts:sign_in") + "?timed_out=1"
        page = client.get(response["Location"])
        assert "You were signed out to keep people" in page.content.decode()
        # The session is gone: going home again asks for sign-in.
        assert client.get(HOME)["Location"].startswith(reverse("accounts:sign_in"))
    assert AuthEvent.objects.filter(user=world.worker, kind=AuthEvent.Kind.TIMED_OUT).exists()


def test_it_keeps_an_active_user_signed_in(client_for):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = client_for("worker")
        client.get(HOME)
    for minutes in (20, 40, 60, 80):
        with time_machine.travel(start + timezone.timedelta(minutes=minutes), tick=False):
            assert client.get(HOME).status_code == 200


def test_it_signs_out_after_twelve_hours_however_active(client_for):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = client_for("worker")
        client.get(HOME)
    for minutes in range(20, 12 * 60, 20):
        with time_machine.travel(start + timezone.timedelta(minutes=minutes), tick=False):
            assert client.get(HOME).status_code == 200
    with time_machine.travel(start + timezone.timedelta(hours=12, minutes=1), tick=False):
        assert client.get(HOME)["Location"].endswith("?timed_out=1")
