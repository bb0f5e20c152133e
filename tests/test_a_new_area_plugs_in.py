"""A new area adds a timeline kind, a caseload column, a section of the person's page
and one of the home page
by declaring them in its own contributions module (tests/example_area), touching no
other app's files; without it installed, none of them shows."""

from datetime import date

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from keywork.testing.factories import supported_person

WITH_THE_AREA = [*settings.INSTALLED_APPS, "tests.example_area"]


@pytest.fixture
def person(world):
    return supported_person(world, "Nia", "Okafor", date_of_birth=date(1990, 1, 2)).person


def pages(client, person):
    return {
        "person": client.get(reverse("people:person", args=[person.pk])).content.decode(),
        "caseload": client.get(reverse("people:my_caseload")).content.decode(),
        "timeline": client.get(reverse("timeline:timeline", args=[person.pk])).content.decode(),
        "home": client.get(reverse("home:home")).content.decode(),
    }


def test_it_shows_what_the_new_area_contributes_once_it_is_installed(world, client_for, person):
    client = client_for("worker")
    with override_settings(INSTALLED_APPS=WITH_THE_AREA):
        shown = pages(client, person)
    age = date.today().year - 1990 - ((date.today().month, date.today().day) < (1, 2))
    assert f'<p class="govuk-body" id="example-age">{age} years old</p>' in shown["person"]
    # The column sits where it asked: after the file note column, before the plan's.
    headers = shown["caseload"]
    assert headers.index(">File note due<") < headers.index(">Age<")
    assert headers.index(">Age<") < headers.index(">Plan review due<")
    assert f"{age} years old" in headers
    assert 'value="birthday"' in shown["timeline"] and ">Birthdays<" in shown["timeline"]
    assert "02/01/1990" in shown["timeline"]
    born_this_month = 1 if date.today().month == 1 else 0
    assert f'id="example-birthdays">{born_this_month} of the people' in shown["home"]


def test_it_shows_nothing_of_an_area_that_is_not_installed(world, client_for, person):
    client = client_for("worker")
    with override_settings(INSTALLED_APPS=WITH_THE_AREA):
        pages(client, person)
    shown = pages(client, person)
    assert 'id="example-age"' not in shown["person"]
    assert ">Age<" not in shown["caseload"]
    assert "birthday" not in shown["timeline"] and "02/01/1990" not in shown["timeline"]
    assert "example-birthdays" not in shown["home"]
