"""File notes in a real browser: writing one on a phone, amending it and a manager seeing
every version; restricted notes kept out of a colleague's list, timeline and search;
voiding a note; and drafts saved without JavaScript. axe-core checks every page on the
way, error states included."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from keywork.notes import services as note_services
from keywork.notes.models import FileNote, NoteDraft
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

PHONE = {"viewport": {"width": 375, "height": 667}, "is_mobile": True, "has_touch": True}


def assert_no_sideways_scroll(page: Page) -> None:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], (
        f"{page.url} scrolls sideways on a phone: the page is {widths[0]}px wide "
        f"in a {widths[1]}px window"
    )


def check_phone_page(page: Page) -> None:
    assert_accessible(page)
    assert_no_sideways_scroll(page)


def subheading(page: Page, text: str):
    return page.get_by_role("heading", level=2, name=text, exact=True)


def note_card(page: Page, subject: str):
    """The card of one note in a person's list of file notes."""
    return page.locator(".kw-card").filter(has=page.get_by_role("link", name=subject, exact=True))


def note_body(page: Page):
    """The note's current text on its page (paragraphs and lists straight under main,
    not the earlier versions further down)."""
    return page.locator("#main-content > p.govuk-body, #main-content > ul")


def today() -> str:
    return uk_date(timezone.localdate())


def fill_contact_date(page: Page) -> None:
    """Types today's date as the worker would. The form's own prefilled date is checked on
    its own in test_it_prefills_the_new_note_form_with_a_date_it_accepts, so that the
    other walks test what they are about."""
    page.get_by_label("Date of the contact").fill(today())


def write_note(
    page: Page,
    *,
    subject: str,
    text: str,
    contact_type: str = "Key-work session",
) -> None:
    """Fills the new-note form (already open): contact type, today's date, subject, note."""
    page.get_by_role("radio", name=contact_type, exact=True).check()
    fill_contact_date(page)
    page.get_by_label("Subject", exact=True).fill(subject)
    page.get_by_label("Note", exact=True).fill(text)


def search_notes(page: Page, words: str) -> None:
    page.goto("/notes/search/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Search file notes")
    page.get_by_label("Words in the notes").fill(words)
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator("#result-count")).to_be_visible()


def results(page: Page):
    return page.locator(".kw-results__item")


# --- 1. Writing, amending, and a manager seeing every version ----------------------------


FIRST_PARAGRAPH = "Met Dan in the garden room to go over his support plan."
SECOND_PARAGRAPH = "He said he would go to the GP on Friday about his sleep."
LIST_ITEMS = ["Book the GP appointment", "Bring the housing benefit letter"]
ORIGINAL_TEXT = f"{FIRST_PARAGRAPH}\n\n{SECOND_PARAGRAPH}\n\n" + "\n".join(
    f"- {i}" for i in LIST_ITEMS
)
AMENDED_PARAGRAPH = "He said he would go to the GP on Thursday about his sleep."
AMENDED_TEXT = ORIGINAL_TEXT.replace(SECOND_PARAGRAPH, AMENDED_PARAGRAPH)
AMEND_REASON = "The GP appointment is on Thursday, not Friday"


def test_it_lets_a_worker_write_and_amend_a_note_on_a_phone_and_a_senior_see_every_version(
    world, new_page
):
    episode = supported_person(world, "Dan", "Okafor")
    person = episode.person
    page = new_page(**PHONE)
    sign_in(page, world.worker, TEST_PASSWORD)

    # The person's page, and from it their file notes.
    page.goto(f"/people/{person.pk}/")
    page.get_by_role("link", name="File notes", exact=True).tap()
    expect(page).to_have_url(re.compile(rf"/people/{person.pk}/notes/$"))
    expect(subheading(page, "File notes")).to_be_visible()
    expect(page.get_by_text("No file notes yet.")).to_be_visible()
    expect(page.get_by_role("link", name="Timeline", exact=True)).to_be_visible()
    check_phone_page(page)

    # The new-note form starts on the open episode and the time now.
    page.get_by_role("button", name="Write a file note").tap()
    expect(page).to_have_url(re.compile(rf"/people/{person.pk}/notes/new/$"))
    expect(subheading(page, "Write a file note")).to_be_visible()
    expect(page.get_by_label("Support episode").locator("option:checked")).to_contain_text(
        "Harbour House"
    )
    expect(page.get_by_label("Time", exact=True)).to_have_value(re.compile(r"^\d\d:\d\d$"))
    check_phone_page(page)

    # Saved with no note: the error says so, and what was typed stays.
    write_note(page, subject="Support plan review", text="")
    page.get_by_label("Duration in minutes").fill("45")
    page.get_by_label("Place").fill("Garden room")
    page.get_by_role("button", name="Save the note").tap()
    expect_error_summary(page, "Write the note")
    expect(page.get_by_label("Subject", exact=True)).to_have_value("Support plan review")
    expect(page.get_by_role("radio", name="Key-work session")).to_be_checked()
    check_phone_page(page)

    # The summary's link goes to the field.
    page.locator(".govuk-error-summary").get_by_role("link", name="Write the note").tap()
    expect(page.get_by_label("Note", exact=True)).to_be_focused()
    page.get_by_label("Note", exact=True).fill(ORIGINAL_TEXT)
    page.get_by_role("button", name="Save the note").tap()

    # Back on the list, with the new note.
    expect(page).to_have_url(re.compile(rf"/people/{person.pk}/notes/$"))
    expect_success(page, "Saved the file note.")
    card = note_card(page, "Support plan review")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Key-work session")
    expect(card).to_contain_text("45 min")
    expect(card).to_contain_text("Wendy Worker")
    expect(card).to_contain_text(FIRST_PARAGRAPH)
    check_phone_page(page)

    # The note's own page.
    card.get_by_role("link", name="Support plan review").tap()
    expect(page).to_have_url(re.compile(r"/notes/\d+/$"))
    note_path = re.search(r"/notes/\d+/$", page.url).group(0)
    expect(subheading(page, "Support plan review")).to_be_visible()
    expect(note_body(page).filter(has_text=SECOND_PARAGRAPH)).to_have_count(1)
    expect(page.locator("#main-content > ul li")).to_have_text(LIST_ITEMS)
    expect(page.get_by_text("Key-work session, ")).to_contain_text("45 minutes, Garden room")
    # A support worker does not see the versions: only managers do.
    expect(page.get_by_role("heading", name="Every version")).to_have_count(0)
    check_phone_page(page)

    # Amending: the form holds the note as it is; without a reason it is refused.
    page.get_by_role("link", name="Amend", exact=True).tap()
    expect(subheading(page, "Amend the note")).to_be_visible()
    expect(page.get_by_label("Subject", exact=True)).to_have_value("Support plan review")
    expect(page.get_by_label("Note", exact=True)).to_have_value(ORIGINAL_TEXT)
    check_phone_page(page)
    page.get_by_label("Note", exact=True).fill(AMENDED_TEXT)
    page.get_by_role("button", name="Save the amendment").tap()
    expect_error_summary(page, "Say why the note is being amended")
    expect(page.get_by_label("Note", exact=True)).to_have_value(AMENDED_TEXT)
    check_phone_page(page)

    page.get_by_label("Why are you amending it?").fill(AMEND_REASON)
    page.get_by_role("button", name="Save the amendment").tap()
    expect(page).to_have_url(re.compile(rf"{note_path}$"))
    expect_success(page, "Amended the note. The earlier text is kept.")
    expect(note_body(page).filter(has_text=AMENDED_PARAGRAPH)).to_have_count(1)
    expect(note_body(page).filter(has_text=SECOND_PARAGRAPH)).to_have_count(0)
    expect(page.get_by_text("Amended: this is version 2.")).to_be_visible()
    check_phone_page(page)

    # A senior practitioner, a manager of the service, sees both versions and the reason.
    senior = new_page()
    sign_in(senior, world.senior, TEST_PASSWORD)
    senior.goto(note_path)
    expect(subheading(senior, "Support plan review")).to_be_visible()
    expect(note_body(senior).filter(has_text=AMENDED_PARAGRAPH)).to_have_count(1)
    expect(senior.get_by_role("heading", name="Every version")).to_be_visible()
    original = senior.locator("#version-1")
    expect(original).to_contain_text("Version 1 (the original), by Wendy Worker")
    expect(original.locator("p.govuk-body").filter(has_text=SECOND_PARAGRAPH)).to_have_count(1)
    expect(original).not_to_contain_text(AMENDED_PARAGRAPH)
    expect(original).not_to_contain_text("Reason:")
    amended = senior.locator("#version-2")
    expect(amended).to_contain_text("Version 2, by Wendy Worker")
    expect(amended).to_contain_text(f"Reason: {AMEND_REASON}")
    expect(amended.locator("p.govuk-body").filter(has_text=AMENDED_PARAGRAPH)).to_have_count(1)
    expect(amended).not_to_contain_text(SECOND_PARAGRAPH)
    assert_accessible(senior)

    # Back on the worker's phone, the list shows the amended note, tagged, with its
    # paragraphs and list laid out as they were typed.
    page.get_by_role("link", name="Back to file notes").tap()
    card = note_card(page, "Support plan review")
    expect(card.locator(".govuk-tag")).to_have_text("Amended")
    expect(card.locator("p.govuk-body")).to_have_text([FIRST_PARAGRAPH, AMENDED_PARAGRAPH])
    expect(card.locator("li")).to_have_text(LIST_ITEMS)
    check_phone_page(page)


def test_it_prefills_the_new_note_form_with_a_date_it_accepts(world, page):
    """The contact date starts as today, written the way the field asks for it, so a
    worker writing up a contact from today need not touch it."""
    episode = supported_person(world, "Amir", "Hussain")
    person = episode.person
    sign_in(page, world.worker, TEST_PASSWORD)
    page.goto(f"/people/{person.pk}/notes/new/")
    expect(page.get_by_label("Date of the contact")).to_have_value(today())

    page.get_by_role("radio", name="Key-work session").check()
    page.get_by_label("Subject", exact=True).fill("Catch-up")
    page.get_by_label("Note", exact=True).fill("Quick catch-up in the lounge.")
    page.get_by_role("button", name="Save the note").click()
    expect_success(page, "Saved the file note.")


# --- 2. Restricted notes -----------------------------------------------------------------


RARE_WORD = "zephyrine"
RESTRICTED_SUBJECT = "Disclosure about his brother"
ORDINARY_SUBJECT = "Rent arrears plan"


def test_it_keeps_a_restricted_note_out_of_a_colleagues_list_timeline_and_search(world, new_page):
    episode = supported_person(world, "Ravi", "Shah")
    person = episode.person
    page = new_page()
    sign_in(page, world.worker, TEST_PASSWORD)

    # The restricted note: without anyone named it is refused, and the section stays open.
    page.goto(f"/people/{person.pk}/notes/new/")
    write_note(
        page,
        subject=RESTRICTED_SUBJECT,
        text=f"Ravi talked about the {RARE_WORD} pendant his brother took.",
        contact_type="Face to face",
    )
    page.get_by_text("Restrict who can read it").click()
    page.get_by_label("Restricted: only me,").check()
    assert_accessible(page)
    page.get_by_role("button", name="Save the note").click()
    expect_error_summary(page, "Name at least one other member of staff who may read it")
    expect(page.get_by_label("Restricted: only me,")).to_be_checked()
    named = page.get_by_role("group", name="Staff who may read a restricted note")
    expect(named).to_be_visible()
    assert_accessible(page)
    named.get_by_label("Sally Senior").check()
    page.get_by_role("button", name="Save the note").click()
    expect_success(page, "Saved the file note.")
    expect(note_card(page, RESTRICTED_SUBJECT).locator(".govuk-tag")).to_have_text("Restricted")

    # An ordinary note with the same rare word.
    page.get_by_role("button", name="Write a file note").click()
    write_note(
        page, subject=ORDINARY_SUBJECT, text=f"Agreed £5 a week; he keeps the {RARE_WORD} safe."
    )
    page.get_by_role("button", name="Save the note").click()
    expect_success(page, "Saved the file note.")
    expect(page.locator(".kw-card")).to_have_count(2)
    restricted = FileNote.objects.get(subject=RESTRICTED_SUBJECT)

    # A colleague in the same team: the ordinary note only, wherever she looks.
    colleague = new_page()
    sign_in(colleague, world.colleague, TEST_PASSWORD)
    colleague.goto(f"/people/{person.pk}/notes/")
    expect(note_card(colleague, ORDINARY_SUBJECT)).to_have_count(1)
    expect(colleague.locator(".kw-card")).to_have_count(1)
    expect(colleague.locator("#main-content")).not_to_contain_text(RESTRICTED_SUBJECT)

    colleague.get_by_role("link", name="Timeline", exact=True).click()
    expect(subheading(colleague, "Timeline")).to_be_visible()
    expect(
        colleague.get_by_role("link", name=f"Key-work session: {ORDINARY_SUBJECT}")
    ).to_be_visible()
    expect(colleague.get_by_text("Support started: Harbour House")).to_be_visible()
    expect(colleague.locator("#main-content")).not_to_contain_text(RESTRICTED_SUBJECT)
    expect(colleague.locator("#main-content")).not_to_contain_text("restricted")
    assert_accessible(colleague)

    search_notes(colleague, RARE_WORD)
    expect(colleague.locator("#result-count")).to_have_text("1 note found")
    expect(results(colleague)).to_have_count(1)
    expect(results(colleague).get_by_role("link")).to_have_text(ORDINARY_SUBJECT)
    expect(results(colleague).locator("mark")).to_have_text(RARE_WORD)
    expect(colleague.locator("#main-content")).not_to_contain_text(RESTRICTED_SUBJECT)
    expect(colleague.locator("#main-content")).not_to_contain_text("pendant")
    assert_accessible(colleague)

    # Nor can she open it by its address.
    response = colleague.goto(f"/notes/{restricted.pk}/")
    assert response.status == 404, f"the colleague opened the restricted note: {response.status}"
    expect(colleague.locator("body")).not_to_contain_text(RESTRICTED_SUBJECT)

    # The senior practitioner, named on it and a manager of the service, finds both.
    senior = new_page()
    sign_in(senior, world.senior, TEST_PASSWORD)
    search_notes(senior, RARE_WORD)
    expect(senior.locator("#result-count")).to_have_text("2 notes found")
    expect(results(senior)).to_have_count(2)
    expect(results(senior).get_by_role("link", name=RESTRICTED_SUBJECT)).to_have_count(1)
    expect(results(senior).get_by_role("link", name=ORDINARY_SUBJECT)).to_have_count(1)
    assert_accessible(senior)


# --- 3. Voiding --------------------------------------------------------------------------


VOID_WORD = "marmalade"
VOID_REASON = "Written on the wrong person's record"


def test_it_takes_a_note_a_worker_voids_out_of_search(world, page):
    episode = supported_person(world, "Ella", "Brown")
    note = note_services.note_create(
        actor=world.worker,
        person=episode.person,
        episode=episode,
        contact_type=FileNote.ContactType.PHONE,
        contact_at=timezone.now() - timezone.timedelta(hours=1),
        subject="Call about the food bank",
        text=f"Ella asked for a {VOID_WORD} voucher.",
    )
    sign_in(page, world.worker, TEST_PASSWORD)

    search_notes(page, VOID_WORD)
    expect(page.locator("#result-count")).to_have_text("1 note found")

    results(page).get_by_role("link", name="Call about the food bank").click()
    expect(page).to_have_url(re.compile(rf"/notes/{note.pk}/$"))
    page.get_by_role("link", name="Void (written on the wrong person)").click()
    expect(subheading(page, "Void the note: Call about the food bank")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Void the note").click()
    expect_error_summary(page, "Say why the note is being voided")
    expect(page.get_by_label("Why is this note being voided?")).to_have_attribute(
        "aria-describedby", re.compile(r"id_reason-error")
    )
    assert_accessible(page)

    page.get_by_label("Why is this note being voided?").fill(VOID_REASON)
    page.get_by_role("button", name="Void the note").click()
    expect(page).to_have_url(re.compile(rf"/notes/{note.pk}/$"))
    expect_success(page, "Voided the note. It stays on file, marked void.")
    expect(page.locator(".govuk-warning-text")).to_contain_text(
        f"Void: {VOID_REASON} (Wendy Worker,"
    )
    expect(page.locator("#main-content")).not_to_contain_text(VOID_WORD)
    expect(page.get_by_role("link", name="Amend", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Void (written on the wrong person)")).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name="Back to file notes").click()
    card = note_card(page, "Call about the food bank")
    expect(card.locator(".govuk-tag")).to_have_text("Void")
    expect(card).not_to_contain_text(VOID_WORD)

    search_notes(page, VOID_WORD)
    expect(page.locator("#result-count")).to_have_text("0 notes found")
    expect(results(page)).to_have_count(0)


# --- 4. Drafts ---------------------------------------------------------------------------


def test_it_saves_a_draft_without_javascript_and_brings_the_draft_back(world, new_page):
    episode = supported_person(world, "Tom", "Green")
    person = episode.person
    page = new_page()
    sign_in(page, world.worker, TEST_PASSWORD)
    # From here on the site's own scripts (htmx's save-as-you-type included) never load:
    # only the "Save as a draft" button's plain form submission can save the draft. (axe is
    # injected by evaluate, so it still runs.)
    page.route(re.compile(r"\.js(\?.*)?$"), lambda route: route.abort())
    posts = []
    page.on(
        "request",
        lambda request: (
            request.method == "POST"
            and "/notes/draft/" in request.url
            and posts.append(request.headers.get("hx-request", "plain form"))
        ),
    )
    new_note = f"/people/{person.pk}/notes/new/"

    page.goto(new_note)
    assert page.evaluate("() => typeof window.htmx") == "undefined", "htmx still loaded"
    expect(page.locator(".govuk-inset-text")).to_have_count(0)
    page.get_by_role("radio", name="Home visit").check()
    page.get_by_label("Duration in minutes").fill("45")
    page.get_by_label("Place").fill("Garden room")
    page.get_by_label("Subject", exact=True).fill("Half-written note")
    page.get_by_label("Note", exact=True).fill("First line.\n\nSecond paragraph, not finished")
    page.get_by_role("button", name="Save as a draft").click()
    expect(page).to_have_url(re.compile(rf"{new_note}$"))
    expect_success(page, "Draft saved at ")
    assert posts == ["plain form"], f"the draft was saved by {posts}, not one plain form post"
    assert_accessible(page)

    page.reload()
    expect(page.locator(".govuk-inset-text")).to_contain_text("Your draft from")
    expect(page.get_by_label("Subject", exact=True)).to_have_value("Half-written note")
    expect(page.get_by_label("Note", exact=True)).to_have_value(
        "First line.\n\nSecond paragraph, not finished"
    )
    # Every field comes back, not only the subject and the text.
    expect(page.get_by_role("radio", name="Home visit")).to_be_checked()
    expect(page.get_by_label("Duration in minutes")).to_have_value("45")
    expect(page.get_by_label("Place")).to_have_value("Garden room")
    assert_accessible(page)
    # The person's notes say a draft is waiting.
    page.goto(f"/people/{person.pk}/notes/")
    expect(page.locator("#draft-waiting")).to_contain_text("Half-written note")
    assert_accessible(page)
    page.goto(new_note)

    # Saving the note uses the draft up: the next new note starts empty.
    page.get_by_role("radio", name="Key-work session").check()
    fill_contact_date(page)
    page.get_by_role("button", name="Save the note").click()
    expect_success(page, "Saved the file note.")
    page.goto(new_note)
    expect(page.locator(".govuk-inset-text")).to_have_count(0)
    expect(page.get_by_label("Subject", exact=True)).to_have_value("")
    expect(page.get_by_label("Note", exact=True)).to_have_value("")


@pytest.mark.parametrize(
    "viewport", [{"width": 375, "height": 812}, {"width": 1280, "height": 800}]
)
def test_it_saves_the_note_not_a_draft_when_enter_is_pressed_in_the_subject(
    world, new_page, viewport
):
    episode = supported_person(world, "Una", "Enter")
    page = new_page(viewport=viewport)
    sign_in(page, world.worker, TEST_PASSWORD)
    page.goto(f"/people/{episode.person_id}/notes/new/")
    page.get_by_role("radio", name="Phone call").check()
    fill_contact_date(page)
    page.get_by_label("Duration in minutes").fill("20")
    page.get_by_label("Place").fill("By phone")
    page.get_by_label("Note", exact=True).fill("Checked in about the move.")
    subject = page.get_by_label("Subject", exact=True)
    subject.fill("Move date")
    subject.press("Enter")
    expect_success(page, "Saved the file note.")
    note = FileNote.objects.get(person=episode.person)
    assert (note.subject, note.contact_type, note.duration_minutes, note.place) == (
        "Move date",
        "phone",
        20,
        "By phone",
    )
    assert not NoteDraft.objects.exists()
    assert_accessible(page)
