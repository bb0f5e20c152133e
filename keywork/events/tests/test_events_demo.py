"""The demo shows events working on the day it is loaded."""

from django.urls import reverse
from django.utils import timezone

from keywork.accounts.models import User
from keywork.demo.seed import DEMO_ORGANISATIONS, demo_email, seed_demo
from keywork.events.models import Event, SignUp
from keywork.testing.personas import signed_in_client


def test_it_loads_a_weekly_group_with_registers_a_trip_and_a_session_today(db):
    seed_demo()
    spec = DEMO_ORGANISATIONS[0]
    assistant = User.objects.get(
        email=demo_email(spec, next(s for s in spec.staff if s.role == "support_assistant"))
    )
    cooking = Event.objects.get(organisation=assistant.organisation, title="Cooking group")
    past = cooking.sessions.filter(starts_at__lt=timezone.now())
    assert past.count() >= 3
    marked = SignUp.objects.filter(session__in=past)
    assert set(marked.values_list("status", flat=True)) == {
        "attended",
        "late",
        "did_not_attend",
        "cancelled",
    }
    upcoming = cooking.sessions.filter(starts_at__gt=timezone.now()).first()
    assert upcoming.sign_ups.filter(status="place").count() == 4
    assert upcoming.sign_ups.filter(status="waiting").count() == 1
    client = signed_in_client(assistant)
    service = cooking.services.get()
    page = client.get(reverse("events:service", args=[service.pk])).content.decode()
    assert "Cooking group" in page and "Trip to the seaside" in page
    home = client.get(reverse("home:home")).content.decode()
    assert "Events today" in home and "Coffee morning" in home
    register = client.get(reverse("events:register", args=[past.last().pk]))
    assert register.status_code == 200
