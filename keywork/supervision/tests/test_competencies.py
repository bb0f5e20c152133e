import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from keywork.core.errors import NotFoundOrNotAllowed
from keywork.core.saving import ChangedSinceOpened
from keywork.supervision import default_framework, selectors, services
from keywork.supervision.models import CompetencyFramework
from keywork.supervision.services import CompetencyEntry, LevelEntry


def _shipped():
    return services.shipped_competency_framework()


def test_it_ships_keyworks_own_framework_with_three_levels_and_ten_competencies(db):
    framework = _shipped()
    assert [str(level) for level in framework.levels.all()] == [
        "1 Entry",
        "2 Desired",
        "3 Exceptional",
    ]
    assert framework.competencies.count() == len(default_framework.COMPETENCIES) == 10
    for competency in framework.competencies.all():
        assert competency.descriptors.count() == 3
        assert competency.required.filter(role="support_worker").exists()


def _start(world, actor=None):
    return services.competency_assessment_start(
        actor=actor or world.worker,
        staff_member=world.worker,
        framework=_shipped(),
        occasion="appraisal",
        assessed_on=timezone.localdate(),
    )


def test_it_shows_the_gap_against_the_roles_level_after_self_and_supervisor_assessment(
    world, arranged, client_for
):
    assessment = _start(world)
    competencies = list(assessment.framework.competencies.all())
    first, second = competencies[0], competencies[1]
    assessment = services.competency_self_assess(
        actor=world.worker,
        assessment=assessment,
        version=assessment.version,
        levels={first.pk: 2, second.pk: 1},
        evidence={first.pk: "Kept Ruth engaged through a hard month"},
    )
    services.competency_supervisor_assess(
        actor=world.senior,
        assessment=assessment,
        version=assessment.version,
        levels={first.pk: 2, second.pk: 1},
        evidence={second.pk: "Plans are still written for people, not with them"},
        agreed={first.pk: 2, second.pk: 1},
    )
    page = client_for("senior").get(reverse("supervision:development", args=[world.worker.pk]))
    text = page.content.decode()
    assert second.name in text and "1 short" in text
    rows = {row.competency.pk: row for row in selectors.score_rows(assessment)}
    assert rows[first.pk].gap == 0 and rows[second.pk].gap == 1
    assert rows[second.pk].required == 2


def test_it_shows_the_change_since_the_last_assessment(world, arranged):
    earlier = _start(world)
    competency = earlier.framework.competencies.first()
    services.competency_supervisor_assess(
        actor=world.senior,
        assessment=earlier,
        version=earlier.version,
        levels={},
        evidence={},
        agreed={competency.pk: 1},
    )
    later = _start(world)
    services.competency_supervisor_assess(
        actor=world.senior,
        assessment=later,
        version=later.version,
        levels={},
        evidence={},
        agreed={competency.pk: 2},
    )
    row = next(r for r in selectors.score_rows(later) if r.competency.pk == competency.pk)
    assert row.change == 1


def test_it_refuses_a_level_outside_the_framework(world, arranged):
    assessment = _start(world)
    competency = assessment.framework.competencies.first()
    with pytest.raises(ValidationError) as refused:
        services.competency_self_assess(
            actor=world.worker,
            assessment=assessment,
            version=assessment.version,
            levels={competency.pk: 4},
            evidence={},
        )
    assert "4 is not one of them" in str(refused.value.message_dict["self_level"])
    assert assessment.scores.get(competency=competency).self_level is None


def test_it_refuses_the_level_on_the_page_too(world, arranged, client_for):
    assessment = _start(world)
    competency = assessment.framework.competencies.first()
    response = client_for("worker").post(
        reverse("supervision:assessment_self", args=[assessment.pk]),
        {"version": assessment.version, f"level_{competency.pk}": "7"},
    )
    assert response.status_code == 200
    assert "Choose a level of the framework" in response.content.decode()


def test_it_lets_only_the_supervisor_side_assess_and_only_the_member_self_assess(world, arranged):
    assessment = _start(world)
    with pytest.raises(NotFoundOrNotAllowed):
        services.competency_supervisor_assess(
            actor=world.worker,
            assessment=assessment,
            version=assessment.version,
            levels={},
            evidence={},
            agreed={},
        )
    with pytest.raises(NotFoundOrNotAllowed):
        services.competency_self_assess(
            actor=world.senior,
            assessment=assessment,
            version=assessment.version,
            levels={},
            evidence={},
        )
    with pytest.raises(NotFoundOrNotAllowed):
        _start(world, actor=world.colleague)


def test_it_refuses_a_save_over_a_later_version_of_the_assessment(world, arranged):
    assessment = _start(world)
    opened = assessment.version
    services.competency_self_assess(
        actor=world.worker, assessment=assessment, version=opened, levels={}, evidence={}
    )
    with pytest.raises(ChangedSinceOpened):
        services.competency_supervisor_assess(
            actor=world.senior,
            assessment=assessment,
            version=opened,
            levels={},
            evidence={},
            agreed={},
        )


def _entry(name="Listening", levels=(1, 2)):
    return CompetencyEntry(
        name, "Hears what people say", {n: f"At {n}" for n in levels}, {"support_worker": 2}
    )


@pytest.mark.parametrize(
    ("levels", "message"),
    [
        ([LevelEntry(1, "Entry"), LevelEntry(3, "High")], "no level 2"),
        ([LevelEntry(2, "Desired"), LevelEntry(1, "Entry")], "in order"),
        ([LevelEntry(1, "Entry"), LevelEntry(1, "Again")], "its own number"),
        ([LevelEntry(1, ""), LevelEntry(2, "Desired")], "label"),
        ([], "at least one level"),
    ],
)
def test_it_refuses_levels_out_of_order_or_with_gaps(world, levels, message):
    with pytest.raises(ValidationError) as refused:
        services.competency_framework_create(
            actor=world.admin, name="Ours", levels=levels, competencies=[_entry()]
        )
    assert message in " ".join(refused.value.message_dict["levels"])
    assert not CompetencyFramework.objects.filter(name="Ours").exists()


def test_it_refuses_a_competency_not_described_at_every_level_or_needing_a_level_not_there(world):
    with pytest.raises(ValidationError) as refused:
        services.competency_framework_create(
            actor=world.admin,
            name="Ours",
            levels=[LevelEntry(1, "Entry"), LevelEntry(2, "Desired")],
            competencies=[
                _entry(levels=(1,)),
                CompetencyEntry("Caring", "Cares", {1: "a", 2: "b"}, {"support_worker": 5}),
            ],
        )
    problems = " ".join(refused.value.message_dict["competencies"])
    assert "every level" in problems and "(1 to 2)" in problems


def test_it_saves_an_organisations_own_framework_from_the_page(world, client_for):
    response = client_for("admin").post(
        reverse("supervision:framework_new"),
        {
            "name": "Harbour competencies",
            "levels": "1 Starting\n2 Skilled",
            "competencies": (
                "Listening\nHears people\n1: Listens\n2: Listens well\nsupport_worker = 2"
            ),
        },
    )
    assert response.status_code == 302
    framework = CompetencyFramework.objects.get(name="Harbour competencies")
    assert framework.organisation == world.organisation
    assert framework.competencies.get().required.get().level == 2
    # Another organisation neither lists nor opens it.
    other = client_for("other_org_worker")
    assert b"Harbour competencies" not in other.get(reverse("supervision:frameworks")).content
    assert other.get(reverse("supervision:framework", args=[framework.pk])).status_code == 404


def test_it_reviews_the_development_plan_in_supervision(world, held):
    goal = services.development_goal_add(
        actor=world.worker,
        staff_member=world.worker,
        goal="Plan with people, in their words",
        training="Person-centred planning",
        due_on=timezone.localdate(),
    )
    services.development_goal_review(
        actor=world.senior, supervision=held, goal=goal, note="Two plans rewritten"
    )
    parts = selectors.supervision_parts(held, fetched_by=world.worker)
    assert parts["goals"][0].reviews_here[0].note == "Two plans rewritten"
