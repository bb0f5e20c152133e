"""Two people saving the first of a one-only record at the same moment (the support plan
of an episode, a person's risk assessment): one save, and the other is told, with what
they typed kept; never a 500."""

import pytest
from django.urls import reverse

from keywork.planning import services as planning
from keywork.planning.models import SupportPlan
from keywork.risk.models import RiskAssessment, RiskVersion
from keywork.risk.tests.test_risk import risk_form


def test_it_saves_nothing_and_hands_back_the_plan_someone_else_saved_first(world, episode):
    from keywork.core.saving import ChangedSinceOpened, save_first

    theirs = planning.plan_start(actor=world.colleague, episode=episode)
    mine = SupportPlan(
        organisation_id=episode.organisation_id,
        person=episode.person,
        episode=episode,
        framework=theirs.framework,
        next_review_on=theirs.next_review_on,
        created_by=world.worker,
    )
    with pytest.raises(ChangedSinceOpened) as refused:
        save_first(
            world.worker,
            mine,
            what="support plan",
            theirs=lambda: SupportPlan.objects.get(episode=episode),
        )
    assert refused.value.current == theirs
    assert SupportPlan.objects.get(episode=episode).created_by == world.colleague


def test_it_keeps_what_was_typed_when_someone_else_saved_the_first_risk_assessment(
    monkeypatch, world, client_for, episode
):
    from keywork.risk import services as risk

    risk.risk_assessment_save(
        actor=world.colleague,
        person=episode.person,
        version=None,
        overall="low",
        summary="",
        areas={"self": {"level": "low", "triggers": "Theirs"}},
    )
    # The worker opened the form while there was none, and their save's look-up ran
    # a moment before the colleague's save landed.
    monkeypatch.setattr(risk, "_current_assessment", lambda person: None)
    response = client_for("worker").post(
        reverse("risk:risk_edit", args=[episode.person_id]),
        risk_form(triggers_self="Mine, typed at the same moment"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else changed this risk assessment after you opened it" in page
    assert "Mine, typed at the same moment" in page  # their entries are kept
    assert RiskAssessment.objects.get().updated_by == world.colleague
    assert RiskVersion.objects.count() == 1
