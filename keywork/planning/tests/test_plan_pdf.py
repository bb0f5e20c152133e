"""The plan on paper: a PDF the person keeps, in standard and large print."""

import subprocess
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from keywork.audit.models import AuditEntry
from keywork.outcomes.models import Domain
from keywork.planning import services


@pytest.fixture
def plan(world, episode):
    plan = services.plan_start(actor=world.worker, episode=episode)
    domains = {d.name: d for d in Domain.objects.filter(framework=plan.framework)}
    goal = services.goal_add(
        actor=world.worker,
        plan=plan,
        domain=domains["Money"],
        in_own_words="I want to stop owing the gas company",
    )
    services.goal_add(
        actor=world.worker,
        plan=plan,
        domain=domains["Learning, work and activity"],
        in_own_words="Get back into volunteering at the allotment",
    )
    services.action_add(
        actor=world.worker,
        goal=goal,
        what="Ring the gas company about a payment plan",
        owner="person",
        due_on=timezone.localdate() + timedelta(days=7),
    )
    return plan


def text_of(pdf: bytes) -> str:
    # pdftotext (poppler-utils) reads the PDF back as a person's screen reader would.
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return " ".join(result.stdout.decode().split())


def test_it_puts_the_persons_goals_in_their_words_in_the_plan_pdf(client_for, plan):
    response = client_for("worker").get(reverse("planning:plan_print", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = text_of(response.content)
    assert "Your support plan" in text
    assert "“I want to stop owing the gas company”" in text
    assert "Get back into volunteering at the allotment" in text
    assert "Ring the gas company about a payment plan" in text and "You" in text
    assert plan.person.display_name in text
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.ACCESS, object_pk=str(plan.pk)
    ).exists()


def test_it_prints_large_print_bigger_and_saying_the_same(client_for, plan):
    client = client_for("worker")
    url = reverse("planning:plan_print", args=[plan.pk])
    standard, large = client.get(url).content, client.get(url + "?print=large").content
    assert "I want to stop owing the gas company" in text_of(large)
    pages = [
        int(
            subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
            .stdout.decode()
            .split("Pages:")[1]
            .split()[0]
        )
        for pdf in (standard, large)
    ]
    boxes = [
        subprocess.run(
            ["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True
        ).stdout.decode()
        for pdf in (standard, large)
    ]
    heights = []
    for page in boxes:
        word = page.split(">gas<")[0].rsplit("<word", 1)[1]
        y_min = float(word.split('yMin="')[1].split('"')[0])
        y_max = float(word.split('yMax="')[1].split('"')[0])
        heights.append(y_max - y_min)
    assert heights[1] >= heights[0] * 1.4  # 18 point against 12
    assert pages[1] >= pages[0]


def test_it_lets_only_those_who_may_see_the_person_print_their_plan(client_for, plan):
    url = reverse("planning:plan_print", args=[plan.pk])
    assert client_for("other_team_worker").get(url).status_code == 404
    assert client_for("other_org_worker").get(url).status_code == 404
