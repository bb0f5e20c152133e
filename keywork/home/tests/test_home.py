from datetime import date

from django.urls import reverse

from keywork.accounts.models import Role
from keywork.testing.factories import staff

HOME = reverse("home:home")


def page(client_for, persona) -> str:
    response = client_for(persona).get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_a_worker_their_team_services_and_real_empty_caseload(client_for):
    html = page(client_for, "worker")
    assert "support worker in House team" in html
    assert "Colin Colleague" in html  # a team-mate
    assert "Olive Otherteam" not in html  # another team
    assert "Harbour House" in html and "File note every 7 days" in html
    assert "No one is allocated to you yet" in html
    assert "Staff" not in _menu(html)


def test_it_shows_an_administrator_the_organisation_in_figures(client_for, world):
    html = page(client_for, "admin")
    assert "Your caseload" not in html
    assert ">10<" in html  # active staff in Harbour Housing
    assert "Organisation set-up" in _menu(html) and "Audit" in _menu(html)


def test_it_shows_a_commissioner_only_their_services(client_for):
    html = page(client_for, "commissioner")
    assert "Harbour House" in html and "Harbour Floating" not in html
    assert "Your caseload" not in html
    assert "Wendy Worker" not in html


def test_it_tells_someone_without_a_role(client_for, world):
    nobody = staff(role=Role.SUPPORT_WORKER, team=world.team)
    nobody.memberships.all().delete()
    html = client_for(nobody).get(HOME).content.decode()
    assert "You have no role in Keywork yet" in html


def _menu(html: str) -> str:
    start = html.find('id="navigation"')
    return html[start : html.find("</ul>", start)]


def test_it_shows_a_form_date_the_way_the_form_reads_it_back(client_for, world):
    from keywork.people import services

    person = services.person_create(
        actor=world.worker, first_name="Date", last_name="Shown", date_of_birth=date(1980, 2, 14)
    )
    page = (
        client_for("worker").get(reverse("people:person_edit", args=[person.pk])).content.decode()
    )
    assert 'value="14/02/1980"' in page
