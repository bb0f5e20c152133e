"""What people type as the name of an area of life is drawn on the charts as text, even
where matplotlib would read it as mathematics; and a rating dated where the chart's
calendar cannot reach leaves the chart, not the page."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from keywork.outcomes.charts import service_chart
from keywork.outcomes.models import Domain, Framework, Rating, Stage
from keywork.outcomes.reports import SMALLEST_GROUP, AreaChange
from keywork.planning.models import SupportPlan
from keywork.testing.odd_records import MATHS_LOOKALIKE, stored_unchecked


def test_it_draws_an_area_named_like_mathematics_as_its_name(client_for, episode):
    framework = Framework.objects.create(organisation=episode.organisation, name="Own words")
    money = Domain.objects.create(framework=framework, name=MATHS_LOOKALIKE)
    Stage.objects.create(framework=framework, label="Whole scale", low=1, high=10)
    plan = SupportPlan.objects.create(
        organisation=episode.organisation,
        person=episode.person,
        episode=episode,
        framework=framework,
        next_review_on=timezone.localdate(),
        created_by=episode.key_worker,
    )
    for days_ago, score in ((30, 3), (1, 6)):
        Rating.objects.create(
            organisation=episode.organisation,
            episode=episode,
            domain=money,
            score=score,
            rated_by="together",
            rated_on=timezone.localdate() - timedelta(days=days_ago),
            recorded_by=episode.key_worker,
        )
    page = client_for("worker").get(reverse("planning:outcomes", args=[plan.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    chart = html[html.index("<svg") : html.index("</svg>")]
    assert MATHS_LOOKALIKE in chart


def test_it_leaves_a_rating_dated_in_year_one_off_the_chart_and_in_the_table(client_for, episode):
    plan = stored_unchecked(episode).plan
    page = client_for("worker").get(reverse("planning:outcomes", args=[plan.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html  # today's rating is still drawn
    assert "01/01/0001: 2" in html


def test_it_draws_a_service_chart_of_areas_named_like_mathematics():
    area = AreaChange(
        framework="Odd $x$",
        domain=MATHS_LOOKALIKE,
        people=SMALLEST_GROUP,
        total_change=5,
        improved=3,
    )
    chart = service_chart([area], title_id="t")
    assert f"{MATHS_LOOKALIKE} (Odd $x$)" in chart
