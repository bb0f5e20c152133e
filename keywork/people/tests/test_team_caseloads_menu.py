"""Seniors and managers reach their team's caseload from the menu."""

from django.urls import reverse


def menu_labels(client) -> list[str]:
    response = client.get(reverse("home:home"))
    return [item["label"] for item in response.context["navigation"]]


def test_it_puts_the_team_caseload_in_a_seniors_menu_not_a_workers(world, client_for):
    senior = client_for("senior")
    assert "Team caseload" in menu_labels(senior)
    assert "Team caseload" not in menu_labels(client_for("worker"))
    response = senior.get(reverse("people:team_caseloads"))
    assert response["Location"] == reverse("people:team_caseload", args=[world.team.pk])
    assert client_for("worker").get(reverse("people:team_caseloads")).status_code == 404
