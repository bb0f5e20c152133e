from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from keywork.audit.models import AuditEntry
from keywork.outcomes.models import Domain
from keywork.planning.models import Assessment, AssessmentArea
from keywork.planning.services import default_framework_for


def day(offset: int) -> str:
    return (timezone.localdate() + timedelta(days=offset)).strftime("%d/%m/%Y")


@pytest.fixture
def domains(episode):
    framework = default_framework_for(episode.organisation_id)
    return {d.name: d for d in Domain.objects.filter(framework=framework)}


def test_it_records_needs_and_strengths_by_area_in_both_voices(client_for, episode, domains):
    money, home = domains["Money"], domains["Home and tenancy"]
    client = client_for("worker")
    response = client.post(
        reverse("planning:assessment_new", args=[episode.pk]),
        {
            "assessed_on": day(0),
            f"person_view_{money.pk}": "I can't keep up with the gas",
            f"worker_view_{money.pk}": "Arrears of about £300 on the gas",
            f"strengths_{money.pk}": "Keeps every letter",
            f"need_{money.pk}": "high",
            f"person_view_{home.pk}": "The flat is fine",
            f"need_{home.pk}": "none",
        },
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    areas = {a.domain.name: a for a in assessment.areas.all()}
    assert set(areas) == {"Money", "Home and tenancy"}
    assert areas["Money"].person_view == "I can't keep up with the gas"
    assert areas["Money"].worker_view == "Arrears of about £300 on the gas"
    assert areas["Money"].need == "high"
    listed = client.get(reverse("planning:assessments", args=[episode.pk])).content.decode()
    assert "Money" in listed and "High" in listed and "Keeps every letter" in listed
    page = client.get(reverse("planning:assessment", args=[assessment.pk])).content.decode()
    assert "I can&#x27;t keep up with the gas" in page
    assert "Arrears of about £300 on the gas" in page
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.ACCESS, object_pk=str(assessment.pk)
    ).exists()


def test_it_starts_a_new_assessment_from_the_last_and_keeps_the_last(client_for, episode, domains):
    money = domains["Money"]
    client = client_for("worker")
    url = reverse("planning:assessment_new", args=[episode.pk])
    client.post(
        url,
        {"assessed_on": day(-7), f"person_view_{money.pk}": "Behind", f"need_{money.pk}": "high"},
    )
    form = client.get(url).content.decode()
    assert ">Behind</textarea>" in form
    client.post(
        url,
        {
            "assessed_on": day(0),
            f"person_view_{money.pk}": "Catching up",
            f"need_{money.pk}": "medium",
        },
    )
    assert list(AssessmentArea.objects.order_by("pk").values_list("need", flat=True)) == [
        "high",
        "medium",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"assessed_on": day(1)}, "The assessment cannot be dated in the future."),
        ({"assessed_on": day(-60)}, "The assessment cannot be before support started on"),
        ({"assessed_on": day(0), "need": ""}, "Choose the level of need for Money."),
        ({"assessed_on": day(0), "text": "", "need": ""}, "Fill in at least one area of life."),
    ],
)
def test_it_saves_nothing_of_a_bad_assessment_and_says_why(
    client_for, episode, domains, data, message
):
    money = domains["Money"]
    post = {"assessed_on": data["assessed_on"]}
    post[f"person_view_{money.pk}"] = data.get("text", "Behind on the gas")
    post[f"need_{money.pk}"] = data.get("need", "high")
    response = client_for("worker").post(
        reverse("planning:assessment_new", args=[episode.pk]), post
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Assessment.objects.exists() and not AssessmentArea.objects.exists()


def test_it_does_not_assess_an_ended_episode(client_for, world, episode, domains):
    from keywork.people.services import episode_close

    episode_close(
        actor=world.worker,
        episode=episode,
        end_date=timezone.localdate(),
        end_reason="planned",
        destination="social_tenancy",
    )
    response = client_for("worker").post(
        reverse("planning:assessment_new", args=[episode.pk]),
        {"assessed_on": day(0), f"need_{domains['Money'].pk}": "low"},
    )
    assert "Support has ended" in response.content.decode()
    assert not Assessment.objects.exists()


def test_it_reads_the_assessment_pages_in_a_fixed_number_of_queries(
    client_for, episode, domains, django_assert_max_num_queries
):
    client = client_for("worker")
    url = reverse("planning:assessment_new", args=[episode.pk])
    for offset in range(-5, 1):
        client.post(
            url,
            {
                "assessed_on": day(offset),
                **{f"need_{d.pk}": "low" for d in domains.values()},
            },
        )
    assert Assessment.objects.count() == 6
    with django_assert_max_num_queries(16):
        assert client.get(reverse("planning:assessments", args=[episode.pk])).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200
