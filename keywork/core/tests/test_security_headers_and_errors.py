import subprocess
import sys
from pathlib import Path

from django.test import Client
from django.urls import reverse

HOME = reverse("home:home")
ROOT = Path(__file__).resolve().parents[3]


def test_it_sends_no_store_and_a_strict_content_security_policy(client_for):
    response = client_for("worker").get(HOME)
    assert response["Cache-Control"] == "no-store"
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_it_puts_no_inline_script_or_style_on_a_page(client_for):
    page = client_for("admin").get(reverse("administration:organisation")).content.decode()
    assert "<script>" not in page and "style=" not in page and "<style" not in page


def test_it_answers_an_unknown_page_with_its_own_404(client_for):
    response = client_for("worker").get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_it_refuses_a_form_without_its_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("accounts:sign_in"), {"email": world.worker.email, "password": "x"}
    )
    assert response.status_code == 403
    assert "Your form could not be sent" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_refuses_an_oversized_request_without_reading_it(client_for, settings):
    settings.KEYWORK_MAX_REQUEST_BYTES = 1024
    response = client_for("admin").post(
        reverse("administration:area_new"), {"name": "x" * 5000, "kind": "council_area"}
    )
    # Said plainly, with the limits, not as a generic bad request.
    assert response.status_code == 413
    page = response.content.decode()
    assert "What you sent was too big" in page
    assert "an attachment to a file note of up to 20 MB" in page
    assert "Nothing was saved" in page


def test_it_refuses_too_many_form_fields(client_for):
    data = {f"field{i}": "x" for i in range(1200)}
    response = client_for("admin").post(reverse("administration:area_new"), data)
    assert response.status_code == 400


def _settings_with(**env) -> subprocess.CompletedProcess:
    clean = {"PATH": "/usr/bin:/bin", "KEYWORK_VAR_DIR": "/tmp/keywork-settings-test"} | env
    return subprocess.run(
        [sys.executable, "-c", "import django; from django.conf import settings; settings.DEBUG"],
        cwd=ROOT,
        env=clean | {"DJANGO_SETTINGS_MODULE": "keywork.settings"},
        capture_output=True,
        text=True,
        check=False,
    )


def test_it_refuses_to_start_in_production_with_debug_or_without_a_secret_key():
    good_key = "k" * 64
    debug_on = _settings_with(KEYWORK_ENV="production", DEBUG="true", SECRET_KEY=good_key)
    assert debug_on.returncode != 0 and "DEBUG on" in debug_on.stderr
    no_key = _settings_with(KEYWORK_ENV="production")
    assert no_key.returncode != 0 and "without a SECRET_KEY" in no_key.stderr
    fine = _settings_with(KEYWORK_ENV="production", SECRET_KEY=good_key, ALLOWED_HOSTS="x.org")
    assert fine.returncode == 0, fine.stderr


def test_it_sends_a_permissions_policy_on_every_response(client_for, world):
    wanted = {"camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"}
    responses = [
        client_for("worker").get(HOME),
        Client().get(reverse("accounts:sign_in")),
        Client().get("/no-such-page/"),
        Client().get(HOME),  # a redirect to sign in
    ]
    for response in responses:
        policy = {part.strip() for part in response["Permissions-Policy"].split(",")}
        assert wanted <= policy, response.status_code
