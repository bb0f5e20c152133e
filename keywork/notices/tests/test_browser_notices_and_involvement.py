"""In Chromium at phone and desktop widths: a support assistant writes a notice for one
property, marks three of its five residents as having had it, sees the other two as not
yet and the days it took; prints the round of doors; records a residents' meeting with
who came, an action and "you said, we did"; a lead manager reads the figures. Every
page passes axe-core, error states too."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from keywork.housing.models import Property, Tenancy, Unit
from keywork.testing.factories import TEST_PASSWORD
from tests.browser.helpers import (
    assert_accessible,
    expect_error_summary,
    expect_success,
    sign_in,
    supported_person,
    uk_date,
)

pytestmark = pytest.mark.browser


def _menu(page: Page, name: str) -> None:
    toggle = page.locator(".govuk-service-navigation__toggle")
    if toggle.is_visible():
        toggle.click()
    page.get_by_role("navigation", name="Menu").get_by_role("link", name=name).click()


def _residents(world, count: int) -> Property:
    today = timezone.localdate()
    house = Property.objects.create(
        organisation=world.organisation,
        service=world.service,
        name="Ash House",
        address="1 Ash Road",
        type="shared_house",
    )
    for n, name in enumerate(["Abbott", "Baker", "Chen", "Dunn", "Evans"][:count]):
        episode = supported_person(world, "Sam", name, started=today - timedelta(days=40))
        unit = Unit.objects.create(
            property=house, name=f"Room {n + 1}", opened_on=today - timedelta(days=400)
        )
        Tenancy.objects.create(
            episode=episode,
            person=episode.person,
            unit=unit,
            kind="licence",
            start_date=today - timedelta(days=30),
            created_by=world.worker,
        )
    return house


@pytest.mark.parametrize("width", [375, 1280])
def test_it_delivers_a_notice_to_a_house_and_records_a_meeting(world, new_page, width):
    today = timezone.localdate()
    _residents(world, 5)
    page = new_page(viewport={"width": width, "height": 900})
    sign_in(page, world.support_assistant, TEST_PASSWORD)
    _menu(page, "Notices and leaflets")
    expect(page.get_by_role("heading", level=1)).to_have_text("Notices and leaflets")
    assert_accessible(page)
    page.get_by_role("button", name="Write a notice").click()
    page.get_by_label("Published on").fill(uk_date(today - timedelta(days=10)))
    page.get_by_label("Expires on").fill(uk_date(today - timedelta(days=11)))
    page.get_by_role("button", name="Save").click()
    expect_error_summary(
        page,
        "Choose the service",
        "Enter the title",
        "Enter what the notice says",
        "cannot expire before it is published",
    )
    assert_accessible(page)
    page.get_by_label("Service", exact=True).select_option(label=world.service.name)
    page.get_by_label("Title", exact=True).fill("New fire doors: keep them shut")
    page.get_by_label("What it says, in plain words").fill("Please keep the fire doors shut.")
    page.get_by_label("Everyone living in one property").check()
    page.get_by_label("Property (if it is for everyone living in one)").select_option(
        label=f"Ash House ({world.service.name})"
    )
    page.get_by_label("Ask each person to acknowledge it").check()
    page.get_by_role("button", name="Save").click()
    expect_error_summary(page, "cannot expire before it is published")
    page.get_by_label("Expires on").fill("")
    page.get_by_role("button", name="Save").click()
    expect_success(page, "Saved the notice.")
    expect(page.locator("#received-count")).to_have_text("0 of 5")
    assert_accessible(page)

    page.get_by_role("button", name="Mark who received it").click()
    page.get_by_role("button", name="Save").click()
    expect_error_summary(page, "Choose who received the notice")
    assert_accessible(page)
    for name in ("Sam Abbott", "Sam Baker", "Sam Chen"):
        page.get_by_label(name).check()
    page.get_by_label("Date received").fill(uk_date(today - timedelta(days=3)))
    page.get_by_label("Through the door").check()
    page.get_by_role("button", name="Save").click()
    expect_success(page, "Saved who received it.")
    expect(page.locator("#received-count")).to_have_text("3 of 5")
    expect(page.locator("#not-yet li")).to_have_text(["Sam Dunn", "Sam Evans"])
    expect(page.locator("#delivery-days")).to_have_text("7.0 on average, 7 at the longest")
    assert_accessible(page)

    page.get_by_role("link", name="Record Sam Abbott's acknowledgement").click()
    page.get_by_label("Date acknowledged").fill(uk_date(today - timedelta(days=5)))
    page.get_by_role("button", name="Save").click()
    expect_error_summary(page, "before they received it")
    assert_accessible(page)
    page.get_by_label("Date acknowledged").fill(uk_date(today))
    page.get_by_role("button", name="Save").click()
    expect_success(page, "Saved the acknowledgement.")

    page.get_by_role("link", name="Attach a leaflet or an easy-read version").click()
    page.get_by_label("File", exact=True).set_input_files(
        {"name": "leaflet.exe", "mimeType": "application/octet-stream", "buffer": b"MZ"}
    )
    page.get_by_role("button", name="Attach").click()
    expect_error_summary(page, "The file must be a PDF")
    assert_accessible(page)
    page.get_by_label("What it is").select_option(label="Easy-read version")
    page.get_by_label("File", exact=True).set_input_files(
        {"name": "easy-read.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 x"}
    )
    page.get_by_role("button", name="Attach").click()
    expect_success(page, "Attached the file.")

    page.get_by_role("link", name=re.compile("Printable list for a round")).click()
    expect(page.locator("#doors")).to_contain_text("Sam Dunn")
    assert_accessible(page)

    _menu(page, "Involvement")
    assert_accessible(page)
    page.get_by_role("button", name="Record involvement").click()
    page.get_by_role("button", name="Save").click()
    expect_error_summary(page, "Choose the service", "Choose what kind of involvement it was")
    assert_accessible(page)
    page.get_by_label("Service", exact=True).select_option(label=world.service.name)
    page.get_by_label("Residents' meeting").check()
    page.get_by_label("Title", exact=True).fill("House meeting")
    page.get_by_label("Held on").fill(uk_date(today - timedelta(days=1)))
    page.get_by_label("What was decided").fill("A kitchen rota.")
    page.get_by_role("button", name="Save").click()
    expect_success(page, "Saved the session.")
    assert_accessible(page)
    page.get_by_role("link", name="Add who took part").click()
    page.get_by_label("Who took part").select_option(label="Sam Chen")
    page.get_by_label("Their role").select_option(label="Chaired it")
    page.get_by_role("button", name="Save").click()
    expect_success(page, "Added who took part.")
    page.get_by_role("link", name="Add an action").click()
    page.get_by_role("button", name="Save").click()
    expect_error_summary(page, "Enter what will be done", "Choose who will do it")
    assert_accessible(page)
    page.get_by_label("What will be done").fill("Put the rota up")
    page.get_by_label("Who will do it").select_option(label=world.worker.full_name)
    page.get_by_label("Due on").fill(uk_date(today + timedelta(days=7)))
    page.get_by_role("button", name="Save").click()
    expect_success(page, "Added the action.")
    page.get_by_role("link", name="Add to you said, we did").click()
    page.get_by_label("You said").fill("The kitchen is too busy.")
    page.get_by_label("We did").fill("A rota.")
    page.get_by_role("button", name="Save").click()
    expect_success(page, "Added to you said, we did.")
    expect(page.locator("#participants")).to_contain_text("Sam Chen: chaired it")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"Mark done.*Put the rota up")).click()
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    expect_success(page, "Marked the action done.")
    page.get_by_role("link", name="Print for residents").click()
    expect(page.get_by_role("main")).to_contain_text("The kitchen is too busy.")
    assert_accessible(page)

    manager = new_page(viewport={"width": width, "height": 900})
    sign_in(manager, world.lead_manager, TEST_PASSWORD)
    manager.goto(f"/services/{world.service.pk}/involvement-figures/")
    expect(manager.locator("#involvement-figures tbody tr").first).to_contain_text("1")
    assert_accessible(manager)
    person = Tenancy.objects.get(person__last_name="Dunn").person_id
    manager.goto(f"/people/{person}/")
    expect(manager.locator("#person-notices")).to_contain_text("New fire doors")
    assert_accessible(manager)
