"""The scale generator adds notices with their receipts and residents' meetings with
who took part and their actions, at about the rates of life."""

from io import StringIO

from django.core.management import call_command

from keywork.involvement.models import InvolvementAction, InvolvementSession, Participation
from keywork.notices.models import Notice, Receipt
from keywork.organisations.models import Organisation
from keywork.people.models import Episode


def test_it_adds_notices_receipts_meetings_and_participation_at_scale(db):
    call_command("seed_scale", people=400, batch=100, stdout=StringIO())
    org = Organisation.objects.get(name="Scale 400")
    services = org.services.count()
    assert Notice.objects.filter(organisation=org).count() == 6 * services
    assert InvolvementSession.objects.filter(organisation=org).count() == 12 * services
    actions = InvolvementAction.objects.filter(session__organisation=org)
    assert actions.count() == 24 * services
    assert 0.6 < actions.exclude(done_on=None).count() / actions.count() < 0.95
    open_people = Episode.objects.filter(organisation=org, end_date=None).count()
    receipts = Receipt.objects.filter(notice__organisation=org)
    # Six notices a quarter, most had by those in support since they came out.
    assert 3 * open_people < receipts.count() <= 6 * open_people
    assert all(r.received_on >= r.notice.published_on for r in receipts.select_related("notice"))
    taking_part = Participation.objects.filter(session__organisation=org).count()
    assert 0.1 * open_people < taking_part < 0.8 * open_people
