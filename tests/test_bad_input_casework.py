"""No input gives a server error on the casework forms either: each is fed arbitrary
text, numbers too large for any column, and blanks."""

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keywork.notes.models import FileNote
from keywork.planning import services as planning
from keywork.testing.factories import supported_person

anything = st.text(max_size=200)
values = st.one_of(
    anything,
    st.integers(-(10**20), 10**20).map(str),
    st.sampled_from(["", "31/02/2026", "27/11/2026", "25:99", "on", "key_work", "worker"]),
)


def supported_episode(world):
    return supported_person(world, "Fuzz")


def urls(world) -> list[tuple[str, list[str]]]:
    episode = supported_episode(world)
    person = episode.person
    plan = planning.plan_start(actor=world.worker, episode=episode)
    goal = planning.goal_add(
        actor=world.worker, plan=plan, domain=plan.framework.domains.first(), in_own_words="x"
    )
    note = FileNote.objects.create(
        organisation=world.organisation,
        person=person,
        episode=episode,
        contact_type="phone",
        contact_at=timezone.now(),
        subject="s",
        text="t",
        author=world.worker,
        recorded_at=timezone.now(),
    )
    return [
        (
            reverse("people:person_new"),
            [
                "first_name",
                "last_name",
                "date_of_birth",
                "estimated_age",
                "ni_number",
                "nhs_number",
                "gender",
                "support_needs",
                "primary_need",
            ],
        ),
        (
            reverse("people:person_edit", args=[person.pk]),
            ["first_name", "last_name", "version", "date_of_birth", "email"],
        ),
        (
            reverse("people:referral_new", args=[person.pk]),
            ["service", "received_on", "source", "source_agency", "reason"],
        ),
        (
            reverse("people:break_glass"),
            ["reason", "record_number", "ni_number", "nhs_number", "last_name", "date_of_birth"],
        ),
        (
            reverse("people:episode_end", args=[episode.pk]),
            ["end_date", "end_reason", "destination"],
        ),
        (
            reverse("notes:note_new", args=[person.pk]),
            [
                "episode",
                "contact_type",
                "contact_date",
                "contact_time",
                "duration_minutes",
                "subject",
                "text",
                "restricted",
                "named_staff",
                "follow_up",
                "follow_up_for",
                "follow_up_by",
            ],
        ),
        (reverse("notes:note_amend", args=[note.pk]), ["subject", "text", "reason", "version"]),
        (
            reverse("notes:appointment_new", args=[person.pk]),
            ["episode", "kind", "day", "time", "duration_minutes", "staff"],
        ),
        (reverse("planning:goal_new", args=[plan.pk]), ["domain", "in_own_words"]),
        (
            reverse("planning:action_new", args=[goal.pk]),
            ["what", "owner", "owner_worker", "owner_agency", "due_on"],
        ),
        (
            reverse("planning:plan_edit", args=[plan.pk]),
            ["next_review_on", "person_comments", "version"],
        ),
        (
            reverse("planning:plan_review", args=[plan.pk]),
            [
                "held_on",
                "next_review_on",
                f"progress_{goal.pk}",
                f"outcome_{goal.pk}",
                f"why_{goal.pk}",
            ],
        ),
    ]


def test_it_never_answers_a_casework_form_with_a_server_error(client_for, world):
    client = client_for("worker")
    for url, fields in urls(world):
        _fuzz(client, url, fields)


def _fuzz(client, url: str, fields: list[str]) -> None:
    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.fixed_dictionaries(dict.fromkeys(fields, values)))
    def post(data):
        response = client.post(url, data)
        assert response.status_code < 500, (url, data)

    post()


@pytest.mark.parametrize(
    "query", ["", "x" * 5000, "\x00", "'; DROP TABLE", "NEAR(", '"', "*", "a OR"]
)
def test_it_answers_any_search(client_for, world, query):
    client = client_for("worker")
    for url in (reverse("people:search"), reverse("notes:search")):
        assert client.get(url, {"q": query}).status_code == 200


# Characters Python counts as digits that int() refuses, numbers too long for any column,
# and the plain junk: none reaches int() from a link's query string.
ODD_NUMBERS = ["²", "١٢", "99999999999999999999999", "-1", "1.5", "x"]


@pytest.mark.parametrize("odd", ODD_NUMBERS)
def test_it_answers_any_number_in_a_link(client_for, world, odd):
    episode = supported_person(world, "Link")
    plan = planning.plan_start(actor=world.worker, episode=episode)
    pages = [
        ("worker", reverse("people:search"), {"q": odd}),
        ("worker", reverse("timeline:timeline", args=[episode.person_id]), {"seen": odd}),
        (
            "worker",
            reverse("timeline:timeline", args=[episode.person_id]),
            {"before": timezone.now().isoformat(), "seen": odd},
        ),
        ("worker", reverse("notes:note_new", args=[episode.person_id]), {"goal": odd}),
        ("worker", reverse("risk:incident_new"), {"person": odd}),
        ("worker", reverse("planning:plan_compare", args=[plan.pk]), {"from": odd, "to": odd}),
        ("senior", reverse("people:team_caseload", args=[world.team.pk]), {"worker": odd}),
    ]
    for persona, url, query in pages:
        assert client_for(persona).get(url, query).status_code == 200, (url, query)
