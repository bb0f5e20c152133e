"""A member of staff's training, planted with details of its own, shows on no training
page to anyone who may not see it: not their colleagues, nor another team's managers,
nor another organisation."""

import pytest
from django.urls import reverse
from django.utils import timezone

from keywork.training import services

pytestmark = pytest.mark.django_db


def test_it_shows_planted_training_only_to_those_who_may_see_it(world, client_for):
    course = services.course_create(actor=world.admin, name="Planted course", renewal_months=12)
    services.training_record_create(
        actor=world.other_lead_manager,
        staff=world.other_team_worker,
        course=course,
        completed_on=timezone.localdate(),
        provider="Planted-Provider-Olive",
    )
    pages = [
        reverse("training:home"),
        reverse("training:staff", args=[world.worker.pk]),
        reverse("training:team_matrix", args=[world.team.pk]),
        reverse("training:team_matrix_csv", args=[world.team.pk]),
        reverse("training:matrix_csv"),
        reverse("home:home"),
    ]
    for who in ("worker", "colleague", "senior", "lead_manager", "other_org_worker"):
        client = client_for(who)
        for url in pages:
            answer = client.get(url)
            body = answer.content.decode("utf-8", "replace")
            assert "Planted-Provider-Olive" not in body, (who, url)
            assert "Olive Otherteam" not in body, (who, url)
    seen = client_for("other_lead_manager").get(
        reverse("training:staff", args=[world.other_team_worker.pk])
    )
    assert "Planted-Provider-Olive" in seen.content.decode()
    matrix = client_for("admin").get(reverse("training:matrix_csv")).content.decode("utf-8-sig")
    assert "Olive Otherteam" in matrix
