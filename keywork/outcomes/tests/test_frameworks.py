"""Administrators define their organisation's outcome frameworks: areas of life and stages
covering the 1 to 10 scale, checked before anything is saved, and choose which framework
new support plans use. Keywork's own framework and other organisations' stay out of reach."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keywork.audit.models import AuditEntry
from keywork.core.errors import NotFoundOrNotAllowed
from keywork.outcomes import services
from keywork.outcomes.models import Domain, Framework, Rating, Stage
from keywork.outcomes.services import DomainEntry, StageEntry, shipped_framework
from keywork.planning.services import default_framework_for

STAGES = [("Starting out", 1, 3), ("On the way", 4, 7), ("Managing", 8, 10)]


def rows(prefix: str, entries: list[dict], extra: int = 2, initial: int = 0) -> dict:
    """A formset as the browser posts it: the filled rows, then blank rows."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(entries) + extra),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "100",
    }
    for index, entry in enumerate(entries):
        for name, value in entry.items():
            data[f"{prefix}-{index}-{name}"] = "" if value is None else str(value)
    return data


def form_data(
    *,
    name="Harbour Steps",
    description="Our own framework.",
    domains=(("Home", "Keeping a home"), ("Money", "Budgeting")),
    stages=STAGES,
    **extra,
) -> dict:
    return (
        {"name": name, "description": description}
        | rows("domains", [{"name": n, "description": d} for n, d in domains])
        | rows(
            "stages", [{"label": label, "low": low, "high": high} for label, low, high in stages]
        )
        | extra
    )


def edit_data(framework: Framework, **changes) -> dict:
    """The edit page's form as it loads for this framework, with changes applied."""
    domains = changes.pop(
        "domains",
        [
            {"id": d.pk, "name": d.name, "description": d.description}
            for d in framework.domains.all()
        ],
    )
    stages = changes.pop(
        "stages",
        [
            {
                "id": s.pk,
                "label": s.label,
                "description": s.description,
                "low": s.low,
                "high": s.high,
            }
            for s in framework.stages.all()
        ],
    )
    initial_domains = sum(1 for d in domains if d.get("id"))
    initial_stages = sum(1 for s in stages if s.get("id"))
    return (
        {"name": framework.name, "description": framework.description, "version": framework.version}
        | rows("domains", domains, initial=initial_domains)
        | rows("stages", stages, initial=initial_stages)
        | changes
    )


def make_framework(world, name="Harbour Steps", organisation=None, domains=("Home", "Money")):
    return services.framework_create(
        actor=world.admin if organisation is None else world.other_org_admin,
        name=name,
        domains=[DomainEntry(name=n) for n in domains],
        stages=[StageEntry(label=label, low=low, high=high) for label, low, high in STAGES],
    )


def test_it_adds_a_framework_with_its_areas_of_life_and_stages(client_for, world):
    admin = client_for("admin")
    response = admin.post(reverse("outcomes:framework_new"), form_data())
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == reverse("outcomes:framework_list")
    framework = Framework.objects.get(name="Harbour Steps")
    assert framework.organisation == world.organisation
    assert (framework.scale_min, framework.scale_max, framework.version) == (1, 10, 1)
    assert [(d.name, d.description, d.position) for d in framework.domains.all()] == [
        ("Home", "Keeping a home", 0),
        ("Money", "Budgeting", 1),
    ]
    assert [(s.label, s.low, s.high) for s in framework.stages.all()] == STAGES

    page = admin.get(reverse("outcomes:framework_list")).content.decode()
    assert "Added the framework Harbour Steps." in page
    assert "Harbour Steps" in page
    assert "Keywork Steps" in page and "Keywork’s own" in page
    # Adding a framework does not switch new plans over to it.
    assert default_framework_for(world.organisation.pk) == shipped_framework()

    for obj in (framework, framework.domains.first(), framework.stages.first()):
        created = AuditEntry.objects.get_for_object(obj).get(action=AuditEntry.Action.CREATE)
        assert created.actor == world.admin
        assert created.organisation == world.organisation


def nothing_saved(world) -> bool:
    return (
        not Framework.objects.filter(organisation=world.organisation).exists()
        and not Domain.objects.filter(framework__organisation=world.organisation).exists()
        and not Stage.objects.filter(framework__organisation=world.organisation).exists()
    )


BAD_INPUT = [
    pytest.param(
        {"stages": [("Low", 1, 4), ("Middle", 4, 7), ("High", 8, 10)]},
        "Stages overlap: ‘Low’ and ‘Middle’ both include 4.",
        id="overlap",
    ),
    pytest.param(
        {"stages": [("Low", 1, 4), ("High", 7, 10)]},
        "No stage covers 5 to 6.",
        id="gap",
    ),
    pytest.param(
        {"stages": [("Low", 1, 4), ("Middle", 5, 6), ("High", 7, 8)]},
        "The stages must cover the whole scale from 1 to 10: no stage covers 9 to 10.",
        id="short of ten",
    ),
    pytest.param(
        {"stages": [("Low", 2, 4), ("High", 5, 10)]},
        "The stages must cover the whole scale from 1 to 10: no stage covers 1.",
        id="not from one",
    ),
    pytest.param(
        {"stages": [("Low", 1, 5), ("High", 6, 12)]},
        "Stage ‘High’ goes outside the scale: use scores from 1 to 10.",
        id="beyond ten",
    ),
    pytest.param(
        {"stages": [("Low", 0, 5), ("High", 6, 10)]},
        "Stage ‘Low’ goes outside the scale: use scores from 1 to 10.",
        id="below one",
    ),
    pytest.param(
        {"stages": [("Low", 5, 1), ("High", 6, 10)]},
        "Stage ‘Low’ starts at 5, which is higher than where it ends (1)",
        id="low above high",
    ),
    pytest.param({"stages": []}, "Add at least one stage.", id="no stages"),
    pytest.param(
        {"domains": [("Money", ""), ("money ", "again")]},
        "More than one area of life is called ‘money’: give each its own name.",
        id="duplicate domains",
    ),
    pytest.param({"domains": []}, "Add at least one area of life.", id="no domains"),
    pytest.param({"name": ""}, "Enter a name for the framework", id="no name"),
    pytest.param(
        {"name": "keywork steps"},
        "Keywork Steps is the name of Keywork’s own framework",
        id="shipped name",
    ),
]


@pytest.mark.parametrize(("changes", "message"), BAD_INPUT)
def test_it_explains_bad_input_and_saves_nothing(client_for, world, changes, message):
    response = client_for("admin").post(reverse("outcomes:framework_new"), form_data(**changes))
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    assert "<title>Error: " in page
    assert nothing_saved(world)


def test_it_explains_a_half_filled_row(client_for, world):
    data = form_data() | {
        "stages-1-label": "",
        "stages-2-high": "ten",
        "domains-2-description": "x",
    }
    page = client_for("admin").post(reverse("outcomes:framework_new"), data).content.decode()
    assert "Enter a label for stage 2" in page
    assert "Enter the score stage 3 ends at as a whole number, like 4" in page
    assert "Enter a name for area of life 3" in page
    assert nothing_saved(world)


def test_it_needs_a_name_of_its_own_in_the_organisation(client_for, world):
    make_framework(world, name="Harbour Steps")
    make_framework(world, name="Elsewhere Steps", organisation=world.other_organisation)
    admin = client_for("admin")
    page = admin.post(
        reverse("outcomes:framework_new"), form_data(name="harbour steps")
    ).content.decode()
    assert "Your organisation already has a framework with this name." in page
    assert Framework.objects.filter(organisation=world.organisation).count() == 1
    # Another organisation's names are no concern of this one.
    response = admin.post(reverse("outcomes:framework_new"), form_data(name="Elsewhere Steps"))
    assert response.status_code == 302


def test_it_changes_a_framework_and_moves_its_version_on(client_for, world):
    framework = make_framework(world)
    home, money = framework.domains.all()
    admin = client_for("admin")
    url = reverse("outcomes:framework_edit", args=[framework.pk])
    assert admin.get(url).status_code == 200
    data = edit_data(
        framework,
        name="Harbour Steps 2",
        domains=[
            {"id": home.pk, "name": "Home and tenancy", "description": "Keeping a home"},
            {"id": money.pk, "name": "Money", "description": "", "DELETE": "on"},
            {"name": "Health", "description": "Body and mind"},
        ],
    )
    response = admin.post(url, data)
    assert response.status_code == 302, response.content.decode()
    framework.refresh_from_db()
    assert (framework.name, framework.version) == ("Harbour Steps 2", 2)
    assert [d.name for d in framework.domains.all()] == ["Home and tenancy", "Health"]
    assert not Domain.objects.filter(pk=money.pk).exists()
    assert framework.domains.get(name="Home and tenancy").pk == home.pk
    renamed = AuditEntry.objects.get_for_object(home).get(action=AuditEntry.Action.UPDATE)
    assert renamed.changes_dict["name"] == ["Home", "Home and tenancy"]
    assert renamed.organisation == world.organisation


def test_it_lets_two_areas_of_life_swap_names(client_for, world):
    framework = make_framework(world)
    home, money = framework.domains.all()
    data = edit_data(
        framework,
        domains=[
            {"id": home.pk, "name": "Money", "description": ""},
            {"id": money.pk, "name": "Home", "description": ""},
        ],
    )
    response = client_for("admin").post(
        reverse("outcomes:framework_edit", args=[framework.pk]), data
    )
    assert response.status_code == 302
    home.refresh_from_db()
    money.refresh_from_db()
    assert (home.name, money.name) == ("Money", "Home")


def test_it_keeps_areas_of_life_with_ratings_but_lets_them_be_renamed(
    client_for, world, rated_domain
):
    framework = rated_domain.framework
    admin = client_for("admin")
    url = reverse("outcomes:framework_edit", args=[framework.pk])
    page = admin.get(url).content.decode()
    assert "Ratings have been recorded in this area of life, so it cannot be removed." in page

    domains = [
        {
            "id": d.pk,
            "name": d.name,
            "description": "",
            **({"DELETE": "on"} if d == rated_domain else {}),
        }
        for d in framework.domains.all()
    ]
    response = admin.post(url, edit_data(framework, name="Renamed", domains=domains))
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "‘Home’ cannot be removed because ratings have been recorded in it. You can rename it "
        "or change its description instead."
    ) in page
    framework.refresh_from_db()
    assert (framework.name, framework.version) == ("Harbour Steps", 1)
    assert Domain.objects.filter(pk=rated_domain.pk).exists()

    domains[0] = {"id": rated_domain.pk, "name": "Home and tenancy", "description": "Reworded"}
    response = admin.post(url, edit_data(framework, domains=domains))
    assert response.status_code == 302
    rated_domain.refresh_from_db()
    assert (rated_domain.name, rated_domain.description) == ("Home and tenancy", "Reworded")


def test_it_keeps_areas_of_life_that_goals_use(world):
    from keywork.planning.models import Goal

    framework = make_framework(world)
    home = framework.domains.get(name="Home")
    plan = _plan(world, framework)
    Goal.objects.create(plan=plan, domain=home, in_own_words="Keep my flat")
    with pytest.raises(ValidationError) as error:
        services.framework_update(
            actor=world.admin,
            framework=framework,
            version=framework.version,
            name=framework.name,
            domains=[DomainEntry(id=home.pk, name="Home", remove=True)],
            stages=[],
        )
    assert error.value.message_dict["domains"] == [
        "‘Home’ cannot be removed because support plans use it. You can rename it or change "
        "its description instead."
    ]
    assert Domain.objects.filter(pk=home.pk).exists()


def test_it_tells_the_second_of_two_editors_and_keeps_their_entry(client_for, world):
    framework = make_framework(world)
    url = reverse("outcomes:framework_edit", args=[framework.pk])
    first, second = client_for("admin"), client_for("admin")
    opened = edit_data(framework)
    assert first.post(url, opened | {"name": "First's name"}).status_code == 302

    response = second.post(url, opened | {"name": "Second's name", "domains-0-name": "Housing"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this framework after you opened it." in page
    assert "The framework as it is now" in page
    assert 'value="Second&#x27;s name"' in page
    assert 'value="Housing"' in page
    framework.refresh_from_db()
    assert (framework.name, framework.version) == ("First's name", 2)
    assert framework.domains.filter(name="Home").exists()
    # The page now carries the current version: saving again is a deliberate choice.
    assert 'name="version" value="2"' in page
    assert second.post(url, opened | {"name": "Second's name", "version": "2"}).status_code == 302
    framework.refresh_from_db()
    assert (framework.name, framework.version) == ("Second's name", 3)


def test_it_does_not_let_anyone_change_keyworks_own_framework(client_for, world):
    shipped = shipped_framework()
    admin = client_for("admin")
    assert admin.get(reverse("outcomes:framework", args=[shipped.pk])).status_code == 200
    assert admin.get(reverse("outcomes:framework_edit", args=[shipped.pk])).status_code == 404
    data = edit_data(shipped, name="Mine now")
    assert (
        admin.post(reverse("outcomes:framework_edit", args=[shipped.pk]), data).status_code == 404
    )
    assert admin.post(reverse("outcomes:framework_archive", args=[shipped.pk])).status_code == 404
    shipped.refresh_from_db()
    assert (shipped.name, shipped.archived_at, shipped.version) == ("Keywork Steps", None, 1)
    with pytest.raises(NotFoundOrNotAllowed):
        services.framework_update(
            actor=world.admin,
            framework=shipped,
            version=1,
            name="Mine now",
            domains=[],
            stages=[],
        )


@pytest.mark.parametrize("persona", ["worker", "senior", "lead_manager", "commissioner"])
def test_it_answers_404_to_everyone_but_administrators(client_for, world, persona):
    framework = make_framework(world)
    client = client_for(persona)
    for url in (
        reverse("outcomes:framework_list"),
        reverse("outcomes:framework_new"),
        reverse("outcomes:framework_choose"),
        reverse("outcomes:framework", args=[framework.pk]),
        reverse("outcomes:framework_edit", args=[framework.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(reverse("outcomes:framework_new"), form_data(name="Sneaky")).status_code == 404
    )
    assert not Framework.objects.filter(name="Sneaky").exists()


def test_it_never_shows_or_changes_another_organisations_framework(client_for, world):
    theirs = make_framework(world, name="Elsewhere Steps", organisation=world.other_organisation)
    admin = client_for("admin")
    assert "Elsewhere Steps" not in admin.get(reverse("outcomes:framework_list")).content.decode()
    for name in ("outcomes:framework", "outcomes:framework_edit"):
        assert admin.get(reverse(name, args=[theirs.pk])).status_code == 404
    url = reverse("outcomes:framework_edit", args=[theirs.pk])
    assert admin.post(url, edit_data(theirs, name="Taken")).status_code == 404
    assert admin.post(reverse("outcomes:framework_archive", args=[theirs.pk])).status_code == 404
    response = admin.post(reverse("outcomes:framework_choose"), {"framework": theirs.pk})
    assert "Select a valid choice" in response.content.decode()
    theirs.refresh_from_db()
    assert (theirs.name, theirs.archived_at, theirs.used_for_new_plans) == (
        "Elsewhere Steps",
        None,
        False,
    )


def test_it_sets_what_new_plans_use_when_a_framework_is_chosen(client_for, world):
    ours = make_framework(world)
    shipped = shipped_framework()
    admin = client_for("admin")
    assert default_framework_for(world.organisation.pk) == shipped

    response = admin.post(reverse("outcomes:framework_choose"), {"framework": ours.pk})
    assert response["Location"] == reverse("outcomes:framework_list")
    assert default_framework_for(world.organisation.pk) == ours
    # Another organisation's new plans are untouched.
    assert default_framework_for(world.other_organisation.pk) == shipped
    page = admin.get(reverse("outcomes:framework_list")).content.decode()
    assert "New support plans will use Harbour Steps." in page
    assert "New support plans use <strong>Harbour Steps</strong>" in page

    admin.post(reverse("outcomes:framework_choose"), {"framework": shipped.pk})
    assert default_framework_for(world.organisation.pk) == shipped
    ours.refresh_from_db()
    assert not ours.used_for_new_plans
    entry = (
        AuditEntry.objects.get_for_object(ours)
        .filter(action=AuditEntry.Action.UPDATE)
        .order_by("pk")
        .last()
    )
    assert entry.actor == world.admin
    assert entry.changes_dict["used_for_new_plans"] == ["True", "False"]


def test_it_gives_a_new_plan_the_chosen_framework(world, client_for):
    from keywork.planning.models import SupportPlan

    ours = make_framework(world)
    services.framework_choose_for_new_plans(actor=world.admin, framework=ours)
    episode = _episode(world)
    client_for("worker").post(reverse("planning:episode_plan", args=[episode.pk]))
    assert SupportPlan.objects.get(episode=episode).framework == ours


def test_it_keeps_plans_on_an_archived_framework_and_hands_new_plans_back(client_for, world):
    ours = make_framework(world)
    services.framework_choose_for_new_plans(actor=world.admin, framework=ours)
    plan = _plan(world, ours)
    admin = client_for("admin")
    url = reverse("outcomes:framework_archive", args=[ours.pk])
    assert admin.get(url).status_code == 405
    response = admin.post(url)
    assert response["Location"] == reverse("outcomes:framework_list")
    ours.refresh_from_db()
    assert ours.archived_at is not None and not ours.used_for_new_plans
    plan.refresh_from_db()
    assert plan.framework == ours
    assert default_framework_for(world.organisation.pk) == shipped_framework()
    page = admin.get(reverse("outcomes:framework_list")).content.decode()
    assert "new support plans will use Keywork Steps until you choose another" in page

    # An archived framework is not offered for new plans.
    response = admin.post(reverse("outcomes:framework_choose"), {"framework": ours.pk})
    assert "Select a valid choice" in response.content.decode()
    assert default_framework_for(world.organisation.pk) == shipped_framework()

    admin.post(url)
    ours.refresh_from_db()
    assert ours.archived_at is None
    assert not ours.used_for_new_plans


def test_it_answers_a_post_with_no_rows_without_a_server_error(client_for, world):
    framework = make_framework(world)
    admin = client_for("admin")
    for url in (
        reverse("outcomes:framework_new"),
        reverse("outcomes:framework_edit", args=[framework.pk]),
    ):
        response = admin.post(url, {"name": "Half a page"})
        assert response.status_code == 200
        assert "The page was missing a part" in response.content.decode()
    assert not Framework.objects.filter(name="Half a page").exists()


def test_it_refuses_rows_from_another_framework(client_for, world):
    ours = make_framework(world)
    theirs = make_framework(world, name="Elsewhere", organisation=world.other_organisation)
    stolen = theirs.domains.first()
    data = edit_data(ours) | {"domains-0-id": stolen.pk, "domains-0-name": "Mine"}
    response = client_for("admin").post(reverse("outcomes:framework_edit", args=[ours.pk]), data)
    assert "no longer part of the framework" in response.content.decode()
    stolen.refresh_from_db()
    assert stolen.name == "Home" and stolen.framework == theirs


field_values = st.one_of(st.text(max_size=60), st.integers(-(10**20), 10**20).map(str), st.just(""))
ROW_FIELDS = [
    "name",
    "description",
    "domains-0-id",
    "domains-0-name",
    "domains-1-name",
    "stages-0-id",
    "stages-0-label",
    "stages-0-low",
    "stages-0-high",
    "stages-1-low",
    "stages-1-high",
    "stages-TOTAL_FORMS",
]


def test_it_never_answers_arbitrary_input_with_a_server_error(client_for, world):
    client = client_for("admin")
    url = reverse("outcomes:framework_new")

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.fixed_dictionaries(dict.fromkeys(ROW_FIELDS, field_values)))
    def post(values):
        response = client.post(url, form_data() | values)
        assert response.status_code < 500

    post()
    for framework in Framework.objects.filter(organisation=world.organisation):
        assert (
            services.stage_problems(
                [StageEntry(s.label, s.low, s.high) for s in framework.stages.all()], 1, 10
            )
            == []
        )


def _grow(world, frameworks: int, domains: int) -> None:
    for i in range(frameworks):
        make_framework(
            world,
            name=f"Grown {Framework.objects.count()} {i}",
            domains=[f"Area {n}" for n in range(domains)],
        )


@pytest.mark.parametrize(
    ("url_name", "with_id", "budget"),
    [
        ("outcomes:framework_list", False, 7),
        ("outcomes:framework_choose", False, 7),
        ("outcomes:framework", True, 9),
        ("outcomes:framework_edit", True, 9),
    ],
)
def test_it_makes_the_same_few_queries_for_its_pages_however_much_there_is(
    client_for, world, django_assert_max_num_queries, url_name, with_id, budget
):
    framework = make_framework(world, domains=["Home"])
    client = client_for("admin")
    url = reverse(url_name, args=[framework.pk] if with_id else [])
    client.get(url)  # session and content-type caches warm

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    small = count()
    _grow(world, frameworks=6, domains=12)
    for n in range(15):
        Domain.objects.create(framework=framework, name=f"More {n}", position=n + 1)
    with django_assert_max_num_queries(budget):
        assert client.get(url).status_code == 200
    assert count() == small, f"{url} went from {small} queries to {count()}"


# --- Fixtures and helpers -----------------------------------------------------------------


def _episode(world):
    from keywork.people import services as people

    person = people.person_create(actor=world.worker, first_name="Ruth", last_name="Ellis")
    referral = people.referral_create(
        actor=world.worker,
        person=person,
        service=world.service,
        received_on=timezone.localdate() - timedelta(days=30),
        source="self",
        reason="r",
    )
    return people.referral_accept(
        actor=world.worker,
        referral=referral,
        start_date=timezone.localdate() - timedelta(days=20),
        key_worker=world.worker,
    )


def _plan(world, framework):
    from keywork.planning.models import SupportPlan

    episode = _episode(world)
    return SupportPlan.objects.create(
        organisation=world.organisation,
        person=episode.person,
        episode=episode,
        framework=framework,
        next_review_on=timezone.localdate(),
        created_by=world.worker,
    )


@pytest.fixture
def rated_domain(world) -> Domain:
    framework = make_framework(world)
    home = framework.domains.get(name="Home")
    plan = _plan(world, framework)
    Rating.objects.create(
        organisation=world.organisation,
        episode=plan.episode,
        domain=home,
        score=4,
        rated_by=Rating.RatedBy.TOGETHER,
        rated_on=timezone.localdate(),
        recorded_by=world.worker,
    )
    return home
