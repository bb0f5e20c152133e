"""The demo shows on call working on the day it is loaded."""

from django.urls import reverse
from django.utils import timezone

from keywork.accounts.models import User
from keywork.demo.seed import DEMO_ORGANISATIONS, demo_email, seed_demo
from keywork.oncall import selectors
from keywork.oncall.models import FollowUp, LogEntry, Rota
from keywork.testing.personas import signed_in_client


def test_it_loads_a_rota_with_one_gap_a_week_of_calls_and_a_handover(db):
    seed_demo()
    spec = DEMO_ORGANISATIONS[0]
    worker = User.objects.get(
        email=demo_email(spec, next(s for s in spec.staff if s.role == "support_worker"))
    )
    rota = Rota.objects.get(organisation=worker.organisation)
    page = selectors.rota_page(rota=rota)
    assert len(page.gaps) == 1
    assert not page.problems
    assert LogEntry.objects.filter(rota=rota).count() >= 10
    open_follow_ups = FollowUp.objects.filter(entry__rota=rota, done_at=None)
    assert open_follow_ups.filter(due_on__lt=timezone.localdate()).exists()

    home = signed_in_client(worker).get(reverse("home:home")).content.decode()
    assert "You are on call" in home
    lead = User.objects.get(
        email=demo_email(spec, next(s for s in spec.staff if s.role == "lead_manager"))
    )
    service = rota.services.order_by("pk").first()
    handover = signed_in_client(lead).get(reverse("oncall:handover", args=[service.pk]))
    assert "Morning handover" in handover.content.decode()
