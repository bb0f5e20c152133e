"""The scale generator makes events and attendance in the proportions of a real service:
about one attendance a month for each person in support, the register's answers mixed,
and never more on a session than its places."""

from io import StringIO

from django.core.management import call_command
from django.db.models import Count, F, Q
from django.utils import timezone

from keywork.events.models import Event, Session, SignUp
from keywork.people.models import Episode


def test_it_makes_about_one_attendance_a_person_a_month(db):
    call_command("seed_scale", people=600, name="Events scale", stdout=StringIO())
    open_episodes = Episode.objects.filter(organisation__name="Events scale", end_date=None)
    marked = SignUp.objects.filter(
        person__episodes__in=open_episodes, status__in=SignUp.ATTENDANCE
    ).values("person_id", "session__starts_at")
    assert Event.objects.filter(organisation__name="Events scale").count() == 4 * 3
    today = timezone.localdate()
    # The months of the last year each person was in support for.
    months = sum(
        min(12, (today - start).days // 30 + 1)
        for start in open_episodes.values_list("start_date", flat=True)
    )
    per_month = marked.count() / months
    assert 0.85 <= per_month <= 1.0, per_month
    mixed = set(SignUp.objects.values_list("status", flat=True))
    assert {"attended", "late", "did_not_attend", "cancelled", "place"} <= mixed
    overfull = Session.objects.annotate(
        held=Count("sign_ups", filter=Q(sign_ups__status__in=SignUp.HOLDING))
    ).filter(held__gt=F("event__capacity"))
    assert not overfull.exists()
