from keywork.demo.seed import seed_demo
from keywork.outcomes.reports import service_outcomes
from keywork.people.models import Episode
from keywork.planning.models import Assessment, SupportPlan


def test_it_gives_everyone_in_support_in_the_demo_a_plan_with_ratings_to_show(db):
    seed_demo()
    open_episodes = Episode.objects.filter(end_date=None)
    assert SupportPlan.objects.count() == open_episodes.count() > 0
    assert Assessment.objects.count() == open_episodes.count()
    service_id = open_episodes.first().service_id
    figures = service_outcomes(service_id=service_id)
    assert figures and all(area.shown for area in figures)
    seed_demo()  # running it again changes nothing
    assert SupportPlan.objects.count() == open_episodes.count()
