"""Casework in a real browser: recording people (with the near-duplicate warning),
referring and accepting them, My caseload, break-glass access from another team, moving
people between key workers, and ending support. axe-core checks every page on the way,
error states included."""

import re
from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from keywork.audit.models import AuditEntry
from keywork.core.models import Notification
from keywork.people import services
from keywork.people.models import BreakGlassAccess, Episode, Person
from keywork.testing.factories import TEST_PASSWORD
from tests.browser.helpers import (
    assert_accessible,
    days_ago,
    expect_error_summary,
    expect_success,
    sign_in,
    supported_person,
    uk_date,
)

pytestmark = pytest.mark.browser


def menu(page: Page, name: str):
    return page.get_by_role("navigation", name="Menu").get_by_role("link", name=name)


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def long_date(day: date) -> str:
    """A date as Keywork writes it in sentences: 14 February 1980."""
    return f"{day.day} {day:%B %Y}"


def person_id_from(page: Page) -> int:
    match = re.search(r"/people/(\d+)/$", page.url)
    assert match, f"not on a person's page: {page.url}"
    return int(match.group(1))


def fill_person(page: Page, first_name: str, last_name: str, date_of_birth: str) -> None:
    page.get_by_label("First name").fill(first_name)
    page.get_by_label("Last name", exact=True).fill(last_name)
    page.get_by_label("Date of birth", exact=True).fill(date_of_birth)


def summary_row(page: Page, key: str):
    """The row of a summary list whose key is exactly `key`."""
    key_cell = page.locator("dt", has_text=re.compile(rf"^\s*{re.escape(key)}\s*$"))
    return page.locator(".govuk-summary-list__row").filter(has=key_cell)


def column_texts(page: Page, table_name: str, row_name: str) -> list[str]:
    """The cells of the table row whose header (or first cell) is row_name."""
    table = page.get_by_role("table", name=table_name)
    row = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name=row_name))
    expect(row).to_have_count(1)
    return [text.strip() for text in row.locator("th, td").all_inner_texts()]


# --- 1. The main walk --------------------------------------------------------------------


def test_it_lets_a_worker_record_two_people_refer_one_accept_them_and_find_them_on_her_caseload(
    world, page
):
    today = uk_date(timezone.localdate())
    sign_in(page, world.worker, TEST_PASSWORD)

    # People: the search page, and from it the new person form.
    menu(page, "People").click()
    expect(page).to_have_url(re.compile(r"/people/$"))
    expect(heading(page)).to_have_text("People")
    expect(page.get_by_label("Find a person")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Record a new person").click()
    expect(heading(page)).to_have_text("Record a new person")
    # The equality questions start as "Not asked": nothing is assumed about anyone.
    for question in ("Gender", "Ethnic group", "Religion or belief", "Sexual orientation"):
        expect(page.get_by_label(question, exact=True).locator("option:checked")).to_have_text(
            "Not asked"
        )
    assert_accessible(page)

    # Saving with no names: the error state.
    page.get_by_role("button", name="Save").click()
    expect_error_summary(page, "Enter the first name", "Enter the last name")
    expect(page.get_by_label("First name")).to_have_attribute(
        "aria-describedby", re.compile(r"id_first_name-error")
    )
    assert_accessible(page)

    # The first person.
    fill_person(page, "Robert", "Smith", "14/02/1980")
    page.get_by_role("checkbox", name="Mental health").check()
    page.get_by_role("button", name="Save").click()
    expect(heading(page)).to_have_text("Robert Smith")
    expect_success(page, "Recorded Robert Smith. Now add a referral.")
    expect(page.get_by_role("main")).to_contain_text("Born 14 February 1980")
    expect(summary_row(page, "Support needs")).to_contain_text("Mental health")
    assert_accessible(page)

    # The second: "Bob" is a form of "Robert", and the date of birth is the same.
    menu(page, "People").click()
    page.get_by_role("link", name="Record a new person").click()
    fill_person(page, "Bob", "Smyth", "14/02/1980")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("This may be someone Keywork already has a record for")).to_be_visible()
    duplicates = page.locator("#possible-duplicates")
    expect(duplicates.get_by_role("listitem")).to_have_count(1)
    expect(duplicates.get_by_role("link", name="Robert Smith")).to_be_visible()
    expect(duplicates).to_contain_text("born 14/02/1980")
    assert Person.objects.count() == 1, "the near-duplicate was saved without a check"
    # What was typed is kept.
    expect(page.get_by_label("First name")).to_have_value("Bob")
    expect(page.get_by_label("Date of birth", exact=True)).to_have_value("14/02/1980")
    assert_accessible(page)

    # Saving without saying the list was checked: refused, and the warning stays.
    page.get_by_role("button", name="Save as a new person").click()
    expect_error_summary(page, "Check the possible matches, then confirm none is the same person")
    expect(page.locator("#possible-duplicates")).to_contain_text("Robert Smith")
    assert Person.objects.count() == 1
    assert_accessible(page)

    page.get_by_label("I have checked: none of these is the same person").check()
    page.get_by_role("button", name="Save as a new person").click()
    expect(heading(page)).to_have_text("Bob Smyth")
    expect_success(page, "Recorded Bob Smyth. Now add a referral.")
    expect(page.get_by_role("main")).to_contain_text("No referrals.")
    bob = Person.objects.get(pk=person_id_from(page))
    assert (bob.first_name, bob.last_name) == ("Bob", "Smyth")
    assert_accessible(page)

    # A referral to Harbour House: first with nothing filled in.
    page.get_by_role("button", name="More actions").click()  # MOJ's button menu
    page.get_by_role("link", name="Add a referral").click()
    expect(page.get_by_role("heading", level=2, name="Add a referral")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()
    expect_error_summary(
        page,
        "Choose the service",
        "Enter the date received",
        "Choose who made the referral",
        "Enter the reason for the referral",
    )
    assert_accessible(page)
    page.get_by_label("Service").select_option(label="Harbour House")
    page.get_by_label("Date received").fill(today)
    page.get_by_role("radio", name="Council").check()
    page.get_by_label("Reason for referral").fill("Leaving hospital with nowhere to live.")
    page.get_by_role("button", name="Save").click()
    expect(heading(page)).to_have_text("Bob Smyth")
    expect_success(page, "Saved.")
    referral_link = page.get_by_role("link", name=f"Harbour House, received {today}")
    expect(page.get_by_role("listitem").filter(has=referral_link)).to_contain_text(": new")
    assert_accessible(page)

    # The decision page: start assessing, then accept with herself as key worker.
    referral_link.click()
    expect(page.get_by_role("heading", name="Referral to Harbour House")).to_be_visible()
    status = summary_row(page, "Status")
    expect(status).to_contain_text("New")
    expect(page.get_by_role("main")).to_contain_text("Leaving hospital with nowhere to live.")
    assert_accessible(page)
    page.get_by_role("button", name="Start assessing").click()
    expect_success(page, "Saved the decision.")
    expect(page.get_by_role("listitem").filter(has=referral_link)).to_contain_text(": assessing")
    referral_link.click()
    expect(status).to_contain_text("Assessing")
    expect(page.get_by_role("button", name="Start assessing")).to_have_count(0)
    expect(page.get_by_label("Key worker", exact=True)).to_have_value(str(world.worker.pk))

    # Accepting without a start date: the error state.
    page.get_by_role("button", name="Accept and start support").click()
    # The title's "Error:" prefix is missing here: see
    # test_it_says_error_in_the_page_title_of_a_refused_decision.
    expect_error_summary(page, "Enter the start date")
    assert_accessible(page)
    page.get_by_label("Start date").fill(today)
    page.get_by_label("Key worker", exact=True).select_option(label="Wendy Worker")
    expect(page.get_by_role("group", name="Co-workers")).to_be_visible()
    page.get_by_role("button", name="Accept and start support").click()
    expect(heading(page)).to_have_text("Bob Smyth")
    expect_success(page, "Saved the decision.")
    support = page.locator(".kw-card", has_text="Harbour House")
    expect(support.locator(".govuk-tag")).to_have_text("Open")
    expect(support).to_contain_text("Key worker: Wendy Worker.")
    expect(page.get_by_role("listitem").filter(has=referral_link)).to_contain_text(": accepted")
    assert_accessible(page)

    # My caseload: Bob Smyth, in Harbour House, with her as key worker. Not Robert Smith.
    menu(page, "My caseload").click()
    expect(heading(page)).to_have_text("My caseload")
    expect(page.get_by_role("main")).to_contain_text("1 person.")
    cells = column_texts(page, "The people you support", "Bob Smyth")
    assert cells[:3] == ["Bob Smyth", "Harbour House", f"{today} (0 days)"], cells
    assert "Key worker" in cells, cells
    expect(page.get_by_role("table", name="The people you support")).not_to_contain_text(
        "Robert Smith"
    )
    assert_accessible(page)
    page.get_by_role("rowheader", name="Bob Smyth").get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/people/{bob.pk}/$"))


# --- 2. Another team's worker: not found, then break-glass --------------------------------


def test_it_keeps_the_record_from_another_teams_worker_until_she_gives_a_reason(world, new_page):
    episode = supported_person(
        world, "Bob", "Smyth", date_of_birth=date(1980, 2, 14), key_worker=world.worker
    )
    person = episode.person
    outsider = world.other_team_worker
    page = new_page()
    sign_in(page, outsider, TEST_PASSWORD)

    # The record is not in her team's services: to her it does not exist.
    response = page.goto(f"/people/{person.pk}/")
    assert response.status == 404
    expect(heading(page)).to_have_text("Page not found")
    expect(page.get_by_role("main")).not_to_contain_text("Smyth")
    assert_accessible(page)

    # Searching does not find it either.
    menu(page, "People").click()
    page.get_by_label("Find a person").fill("Smyth")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="0 results")).to_be_visible()

    page.get_by_role("link", name="Open a record outside your caseload").click()
    expect(heading(page)).to_have_text("Open a record outside your caseload")
    expect(page.locator(".govuk-warning-text")).to_contain_text("You get the record for one hour")
    assert_accessible(page)

    # A reason too short, and the right name with the wrong date of birth.
    page.get_by_label("Why do you need this record now?").fill("Urgent")
    page.get_by_label("Last name").fill("Smyth")
    page.get_by_label("Date of birth", exact=True).fill("01/01/1901")
    page.get_by_role("button", name="Open the record").click()
    expect_error_summary(page, "Explain why you need this record (20 characters or more)")
    expect(page.get_by_label("Why do you need this record now?")).to_have_attribute(
        "aria-describedby", re.compile(r"id_reason-error")
    )
    assert_accessible(page)
    reason = "He has arrived at our night shelter and says he is unwell."
    page.get_by_label("Why do you need this record now?").fill(reason)
    page.get_by_role("button", name="Open the record").click()
    expect_error_summary(page, "No record matches exactly. Check the details and try again.")
    assert_accessible(page)
    assert not BreakGlassAccess.objects.exists()

    page.get_by_label("Date of birth", exact=True).fill(uk_date(person.date_of_birth))
    page.get_by_role("button", name="Open the record").click()
    expect(page).to_have_url(re.compile(rf"/people/{person.pk}/$"))
    expect(heading(page)).to_have_text("Bob Smyth")
    expect_success(page, "You have access to this record for one hour. Your reason is recorded.")
    assert_accessible(page)

    grant = BreakGlassAccess.objects.get()
    assert (grant.user, grant.person, grant.reason) == (outsider, person, reason)
    assert grant.expires_at > timezone.now()
    views = AuditEntry.objects.get_for_object(person).filter(
        action=AuditEntry.Action.ACCESS, actor=outsider
    )
    assert views.count() == 1, "her view of the record was not audited"
    # The lead manager of the person's service is told, with the reason.
    told = Notification.objects.filter(user=world.lead_manager)
    assert [n.text for n in told] == [
        f"Olive Otherteam used break-glass access to open a record: {reason}"
    ]


# --- 3. A senior practitioner moves people to a new key worker ---------------------------


def test_it_lets_a_senior_practitioner_move_two_people_to_a_colleague(world, page):
    for first, last in (("Alice", "Archer"), ("Ben", "Baker"), ("Cara", "Cole")):
        supported_person(world, first, last, key_worker=world.worker)
    sign_in(page, world.senior, TEST_PASSWORD)

    menu(page, "My caseload").click()
    page.get_by_role("link", name="House team").click()
    expect(heading(page)).to_have_text("Team caseload")
    workload = "Workload per worker"
    assert column_texts(page, workload, "Wendy Worker")[-1] == "3"
    assert column_texts(page, workload, "Colin Colleague")[-1] == "0"
    people = "People supported by the team"
    for name in ("Alice Archer", "Ben Baker", "Cara Cole"):
        assert "Wendy Worker" in column_texts(page, people, name)
    assert_accessible(page)

    # Move with nothing chosen: the error state, and nothing moves.
    page.get_by_role("button", name="Move").click()
    expect_error_summary(page, "Choose at least one person to move", "Choose the new key worker")
    assert_accessible(page)
    assert set(Episode.objects.values_list("key_worker", flat=True)) == {world.worker.pk}

    page.get_by_role("checkbox", name="Move Alice Archer").check()
    page.get_by_role("checkbox", name="Move Cara Cole").check()
    page.get_by_label("New key worker").select_option(label="Colin Colleague")
    page.get_by_role("button", name="Move").click()
    expect_success(page, "Moved 2 people to Colin Colleague.")
    expect(page).to_have_title(re.compile(r"^Team caseload"))
    assert column_texts(page, workload, "Wendy Worker")[-1] == "1"
    assert column_texts(page, workload, "Colin Colleague")[-1] == "2"
    assert "Colin Colleague" in column_texts(page, people, "Alice Archer")
    assert "Colin Colleague" in column_texts(page, people, "Cara Cole")
    assert "Wendy Worker" in column_texts(page, people, "Ben Baker")
    expect(page.get_by_role("checkbox", name="Move Alice Archer")).not_to_be_checked()
    assert_accessible(page)


def test_it_lets_a_senior_page_through_the_team_caseload_and_move_someone_from_page_two(
    world, page, monkeypatch
):
    from keywork.people import selectors

    monkeypatch.setattr(selectors, "TEAM_CASELOAD_PAGE_SIZE", 3)
    for first, last in (("Alice", "Archer"), ("Ben", "Baker"), ("Cara", "Cole"), ("Dan", "Dye")):
        supported_person(world, first, last, key_worker=world.worker)
    sign_in(page, world.senior, TEST_PASSWORD)
    menu(page, "My caseload").click()
    page.get_by_role("link", name="House team").click()
    expect(page.get_by_text("4 people: showing 1 to 3.")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Move Dan Dye")).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name="Next").click()
    expect(page.get_by_text("4 people: showing 4 to 4.")).to_be_visible()
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("checkbox", name="Move Dan Dye").check()
    page.get_by_label("New key worker").select_option(label="Colin Colleague")
    page.get_by_role("button", name="Move").click()
    expect_success(page, "Moved 1 person to Colin Colleague.")
    assert Episode.objects.get(person__first_name="Dan").key_worker == world.colleague


# --- 4. Ending support --------------------------------------------------------------------


def test_it_lets_a_worker_end_support_and_see_the_episode_ended(world, page):
    episode = supported_person(world, "Dora", "Dale", key_worker=world.worker, started=days_ago(30))
    today = timezone.localdate()
    sign_in(page, world.worker, TEST_PASSWORD)

    menu(page, "My caseload").click()
    page.get_by_role("link", name="Dora Dale").click()
    expect(heading(page)).to_have_text("Dora Dale")
    page.get_by_role("button", name="End support from Harbour House").click()
    expect(page).to_have_url(re.compile(rf"/episodes/{episode.pk}/end/$"))
    expect(page.get_by_role("heading", name="End support from Harbour House")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(
        f"Support started on {long_date(days_ago(30))}."
    )
    assert_accessible(page)

    page.get_by_role("button", name="End support").click()
    expect_error_summary(
        page,
        "Enter the end date",
        "Choose why support ended",
        "Choose where they went, or Not known",
    )
    assert_accessible(page)
    episode.refresh_from_db()
    assert episode.is_open

    page.get_by_label("End date").fill(uk_date(today))
    page.get_by_role("group", name="Why did support end?").get_by_label("Planned move-on").check()
    page.get_by_role("group", name="Where did they go?").get_by_label("Private rented").check()
    page.get_by_role("button", name="End support").click()
    expect(heading(page)).to_have_text("Dora Dale")
    expect_success(page, "Support from Harbour House has ended.")
    card = page.locator(".kw-card", has_text="Harbour House")
    expect(card.locator(".govuk-tag")).to_have_text("Ended")
    expect(card).to_contain_text(
        f"to {long_date(today)}: Planned move-on, moved to private rented."
    )
    expect(page.get_by_role("link", name="End support from Harbour House")).to_have_count(0)
    expect(
        page.get_by_role("button", name=re.compile(r"^Re-open \(ended by mistake\)"))
    ).to_be_visible()
    assert_accessible(page)

    # Off her caseload.
    menu(page, "My caseload").click()
    expect(page.get_by_role("main")).to_contain_text("No one is allocated to you yet.")


# --- Declining a referral -----------------------------------------------------------------


def open_referral(world, first_name: str, last_name: str):
    person = services.person_create(actor=world.worker, first_name=first_name, last_name=last_name)
    return services.referral_create(
        actor=world.worker,
        person=person,
        service=world.service,
        received_on=days_ago(2),
        source="self",
        reason="Sofa surfing since the summer.",
    )


def test_it_lets_a_worker_decline_a_referral_only_with_a_reason(world, page):
    referral = open_referral(world, "Gail", "Green")
    sign_in(page, world.worker, TEST_PASSWORD)
    menu(page, "My caseload").click()
    page.get_by_role("link", name="Harbour House").click()
    page.get_by_role("link", name="Gail Green").click()
    expect(page).to_have_url(re.compile(rf"/referrals/{referral.pk}/$"))
    expect(page.get_by_role("heading", name="Decline or withdraw")).to_be_visible()

    page.get_by_role("button", name="Decline").click()
    expect_error_summary(page, "Give the reason")
    expect(page.get_by_label("Reason", exact=True)).to_have_attribute(
        "aria-describedby", re.compile(r"id_reason-error")
    )
    assert_accessible(page)
    referral.refresh_from_db()
    assert referral.status == "new"

    reason = "Needs are higher than Harbour House can safely meet."
    page.get_by_label("Reason", exact=True).fill(reason)
    page.get_by_role("button", name="Decline").click()
    expect(heading(page)).to_have_text("Gail Green")
    expect_success(page, "Saved the decision.")
    link = page.get_by_role("link", name=re.compile(r"^Harbour House, received "))
    expect(page.get_by_role("listitem").filter(has=link)).to_contain_text(": declined")
    link.click()
    expect(summary_row(page, "Status")).to_contain_text(
        f"Declined on {long_date(timezone.localdate())}"
    )
    expect(summary_row(page, "Reason")).to_contain_text(reason)
    expect(page.get_by_role("button", name="Accept and start support")).to_have_count(0)
    assert_accessible(page)


def test_it_says_error_in_the_page_title_of_a_refused_decision(world, page):
    referral = open_referral(world, "Hal", "Hughes")
    sign_in(page, world.worker, TEST_PASSWORD)
    page.goto(f"/referrals/{referral.pk}/")
    page.get_by_role("button", name="Accept and start support").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the start date")
    assert page.title().startswith("Error: "), page.title()
