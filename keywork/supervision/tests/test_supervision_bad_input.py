"""No input to a supervision or development form gives a server error, and whatever
arbitrary text does save is a valid record."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keywork.supervision import services
from keywork.supervision.models import (
    AgreedAction,
    Amendment,
    Assessment,
    CaseDiscussion,
    CompetencyFramework,
    DevelopmentGoal,
    Supervision,
)

anything = st.text(max_size=200)
field_values = st.one_of(
    anything,
    st.integers(-(10**20), 10**20).map(str),
    st.sampled_from(["", "31/02/2026", "01/01/2027", "1/1/1", "99/99/9999", "2", "-1"]),
)


def _forms(world, held, agreed, assessment, action, goal):
    worker = world.worker.pk
    competency = assessment.framework.competencies.first().pk
    return [
        (
            "senior",
            reverse("supervision:arrangement", args=[worker]),
            ["supervisor", "stand_in", "probation_ends_on", "version"],
        ),
        ("senior", reverse("supervision:schedule", args=[worker]), ["scheduled_for"]),
        (
            "admin",
            reverse("supervision:frequencies"),
            ["role", "every_weeks", "probation_every_weeks"],
        ),
        (
            "senior",
            reverse("supervision:record_edit", args=[held.pk]),
            ["held_on", "present", "wellbeing", "workload", "learning", "next_on", "version"],
        ),
        ("senior", reverse("supervision:discussion_new", args=[held.pk]), ["person", "decision"]),
        ("senior", reverse("supervision:action_new", args=[held.pk]), ["text", "owner", "due_on"]),
        (
            "senior",
            reverse("supervision:progress", args=[held.pk, action.pk]),
            ["progress", "done"],
        ),
        ("senior", reverse("supervision:goal_review", args=[held.pk, goal.pk]), ["note", "done"]),
        ("worker", reverse("supervision:agree", args=[held.pk]), ["comment", "version"]),
        ("senior", reverse("supervision:amend", args=[agreed.pk]), ["field", "text", "reason"]),
        (
            "admin",
            reverse("supervision:framework_new"),
            ["name", "description", "levels", "competencies"],
        ),
        (
            "worker",
            reverse("supervision:assessment_new", args=[worker]),
            ["framework", "occasion", "assessed_on"],
        ),
        (
            "worker",
            reverse("supervision:goal_new", args=[worker]),
            ["goal", "competency", "actions", "training", "due_on"],
        ),
        (
            "worker",
            reverse("supervision:assessment_self", args=[assessment.pk]),
            [f"level_{competency}", f"evidence_{competency}", "version"],
        ),
        (
            "senior",
            reverse("supervision:assessment_supervisor", args=[assessment.pk]),
            [f"level_{competency}", f"evidence_{competency}", f"agreed_{competency}", "version"],
        ),
    ]


@pytest.fixture
def records(world, held):
    today = timezone.localdate()
    earlier = services.supervision_schedule(
        actor=world.senior, supervisee=world.worker, scheduled_for=today - timedelta(days=60)
    )
    earlier = services.supervision_record(
        actor=world.senior, supervision=earlier, version=1, held_on=today - timedelta(days=60)
    )
    action = services.supervision_action_add(
        actor=world.senior,
        supervision=earlier,
        text="Old action",
        owner=world.worker,
        due_on=today,
    )
    services.supervision_agree(actor=world.worker, supervision=earlier, version=earlier.version)
    agreed = Supervision.objects.get(pk=earlier.pk)
    goal = services.development_goal_add(
        actor=world.worker, staff_member=world.worker, goal="Goal", due_on=today
    )
    assessment = services.competency_assessment_start(
        actor=world.worker,
        staff_member=world.worker,
        framework=services.shipped_competency_framework(),
        occasion="any_time",
        assessed_on=today,
    )
    return held, agreed, assessment, action, goal


@pytest.mark.parametrize("index", range(15))
def test_it_never_answers_a_supervision_form_with_a_server_error(world, client_for, records, index):
    forms = _forms(world, *records)
    persona, url, fields = forms[index]
    client = client_for(persona)

    @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.fixed_dictionaries(dict.fromkeys(fields, field_values)))
    def post(data):
        response = client.post(url, data)
        assert response.status_code < 500

    post()
    for model in (
        Supervision,
        CaseDiscussion,
        AgreedAction,
        Amendment,
        CompetencyFramework,
        Assessment,
        DevelopmentGoal,
    ):
        for row in model.objects.all():
            row.full_clean()
