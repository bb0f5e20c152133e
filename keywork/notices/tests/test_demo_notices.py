"""The demo shows notices part-way through delivery and a residents' meeting with its
actions, on the day it is loaded."""

from django.urls import reverse

from keywork.accounts.models import User
from keywork.demo.seed import DEMO_ORGANISATIONS, demo_email, seed_demo
from keywork.involvement.models import InvolvementAction, InvolvementSession
from keywork.notices.models import Notice
from keywork.testing.personas import signed_in_client


def test_it_loads_two_notices_with_partial_delivery_and_a_meeting_with_actions(db):
    seed_demo()
    spec = DEMO_ORGANISATIONS[0]
    worker = User.objects.get(email=demo_email(spec, spec.staff[0]))
    client = signed_in_client(worker)
    notices = Notice.objects.filter(organisation=worker.organisation)
    assert notices.count() == 2
    for notice in notices:
        page = client.get(reverse("notices:notice", args=[notice.pk]))
        delivery = page.context["delivery"]
        assert delivery.receipts and delivery.not_yet, notice.title
    meeting = InvolvementSession.objects.get(organisation=worker.organisation)
    assert meeting.participants.count() >= 2
    actions = InvolvementAction.objects.filter(session=meeting)
    assert actions.filter(done_on__isnull=False).count() == 1
    assert actions.filter(done_on=None).count() == 1
    assert client.get(reverse("involvement:session", args=[meeting.pk])).status_code == 200
