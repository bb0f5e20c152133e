"""Printing, co-workers, linking and merging duplicates, and importing a spreadsheet, as
their users meet them in Chromium; axe-core checks every page and error state."""

import re

import pytest
from playwright.sync_api import Page, expect

from keywork.imports.models import ImportJob
from keywork.people.models import Person
from keywork.testing.factories import TEST_PASSWORD
from tests.browser.helpers import (
    assert_accessible,
    expect_error_summary,
    expect_success,
    sign_in,
    supported_person,
)

pytestmark = pytest.mark.browser


def test_it_leaves_a_confidential_address_off_a_print_until_chosen(world, page: Page):
    episode = supported_person(world, "Rosa", "Parks")
    Person.objects.filter(pk=episode.person_id).update(
        address="7 Quiet Close", address_confidential=True
    )
    sign_in(page, world.worker, TEST_PASSWORD)
    page.goto(f"/people/{episode.person_id}/")
    page.get_by_role("button", name="More actions").click()  # MOJ's button menu
    page.get_by_role("link", name="Print a summary").click()
    expect(page.locator("#print-address")).to_have_text("Confidential: not printed")
    assert_accessible(page)
    page.get_by_label("Include the confidential address").check()
    page.get_by_role("button", name="Show with the address").click()
    expect_error_summary(page, "Say why the address must be included")
    assert_accessible(page)
    page.get_by_label("Include the confidential address").check()
    page.get_by_label("Why the address must be included").fill("Letter from the court")
    page.get_by_role("button", name="Show with the address").click()
    expect(page.locator("#print-address")).to_contain_text("7 Quiet Close")
    assert_accessible(page)


def test_it_lets_a_worker_add_a_co_worker(world, page: Page):
    episode = supported_person(world, "Ada", "Lovelace")
    sign_in(page, world.worker, TEST_PASSWORD)
    page.goto(f"/people/{episode.person_id}/")
    page.get_by_role("link", name=re.compile("^Co-workers")).click()
    page.get_by_role("button", name="Add").click()
    expect_error_summary(page, "Choose the co-worker to add")
    assert_accessible(page)
    page.get_by_label("Add a co-worker").select_option(label="Colin Colleague")
    page.get_by_role("button", name="Add").click()
    expect_success(page, "Added Colin Colleague as a co-worker.")
    expect(page.get_by_role("main")).to_contain_text("Colin Colleague")
    assert_accessible(page)


def test_it_lets_a_senior_merge_two_records_of_one_person(world, page: Page):
    first = supported_person(world, "Mary", "Seacole").person
    second = supported_person(world, "Molly", "Seacole").person
    sign_in(page, world.worker, TEST_PASSWORD)
    page.goto(f"/people/{first.pk}/")
    page.get_by_role("link", name="Mark as possibly the same person as another record").click()
    page.get_by_role("button", name="Save").click()
    expect_error_summary(page, "Enter the other record's number")
    assert_accessible(page)
    page.get_by_label("Record number of the other record").fill(str(second.pk))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("main")).to_contain_text(f"Record {second.pk}: Molly Seacole")

    senior = page.context.browser.new_context(base_url=page.url.split("/people")[0])
    senior_page = senior.new_page()
    sign_in(senior_page, world.senior, TEST_PASSWORD)
    senior_page.goto(f"/people/{first.pk}/")
    senior_page.get_by_role("link", name=re.compile("^Compare and merge")).click()
    expect(senior_page.get_by_role("heading", level=1)).to_contain_text("Merge record")
    assert_accessible(senior_page)
    senior_page.get_by_role("button", name="Merge").click()
    expect_success(senior_page, f"Merged record {second.pk} into this record.")
    assert Person.objects.get(pk=second.pk).merged_into_id == first.pk
    assert_accessible(senior_page)
    senior.close()


def test_it_lets_a_lead_manager_import_a_spreadsheet(world, page: Page, tmp_path):
    good = tmp_path / "people.csv"
    good.write_text(
        "First name,Last name,Date of birth,Service,Start date,Key worker\n"
        f"Nina,Simone,21/02/1963,Harbour House,01/11/2026,{world.worker.email}\n"
        f"Otis,Redding,09/09/1941,Harbour House,01/11/2026,{world.worker.email}\n",
        encoding="utf-8",
    )
    sign_in(page, world.lead_manager, TEST_PASSWORD)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Import").click()
    page.get_by_role("button", name="Upload").click()
    expect_error_summary(page, "Choose the file to upload")
    assert_accessible(page)
    page.get_by_label("Spreadsheet").set_input_files(str(good))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_label("Last name (needed)")).to_have_value("Last name")
    assert_accessible(page)
    page.get_by_role("button", name="Check every row").click()
    expect(page.get_by_role("main")).to_contain_text("All 2 rows are ready")
    assert_accessible(page)
    page.get_by_role("button", name="Import 2 rows").click()
    expect(page.get_by_role("main")).to_contain_text("Imported 2 people and 2 episodes")
    assert_accessible(page)
    assert ImportJob.objects.get().status == "done"
    assert Person.objects.filter(last_name__in=["Simone", "Redding"]).count() == 2
