"""The demo shows supervision and development working on the day it is loaded."""

from django.urls import reverse

from keywork.accounts.models import User
from keywork.demo.seed import DEMO_ORGANISATIONS, demo_email, seed_demo
from keywork.notes.models import FileNote
from keywork.supervision import selectors
from keywork.supervision.models import Supervision
from keywork.testing.personas import signed_in_client


def _demo_user(role: str, nth: int = 0) -> User:
    spec = DEMO_ORGANISATIONS[0]
    staff = [s for s in spec.staff if s.role == role][nth]
    return User.objects.get(email=demo_email(spec, staff))


def test_it_loads_supervisions_one_overdue_and_an_appraisal_with_a_gap(db):
    seed_demo()
    senior = _demo_user("senior_practitioner")
    worker = _demo_user("support_worker")
    due = {row.member.full_name: row for row in selectors.supervised_by(senior)}
    assert [name for name, row in due.items() if row.overdue] == [
        _demo_user("support_worker", 1).full_name
    ]
    agreed = Supervision.objects.get(supervisee=worker, held_on__isnull=False)
    assert agreed.is_locked and agreed.discussions.count() == 2
    assert (
        FileNote.objects.filter(
            contact_type=FileNote.ContactType.SUPERVISION, organisation=worker.organisation
        ).count()
        == 2
    )
    home = signed_in_client(senior).get(reverse("home:home")).content.decode()
    assert "Staff you supervise" in home and "Overdue" in home
    development = signed_in_client(worker).get(reverse("supervision:development", args=[worker.pk]))
    assert "Recognising and managing risk" in development.content.decode()
    assert "1 short" in development.content.decode()
