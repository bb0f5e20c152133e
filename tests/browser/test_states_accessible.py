"""Every page about a person passes axe-core in each state that changes its look, not
only the first: high, medium and low risk in the identity bar, alerts at each level, a draft
note waiting, a record with nothing on it yet, a form sent back with errors, and the
banner's links hovered and focused. On a phone (375 x 812) and a desktop (1280 x 800).

axe cannot see a visited link's colour (browsers hide it from scripts), so the banners'
own link colours are measured against their backgrounds here as well."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from keywork.notes import services as notes
from keywork.notes.appointments import appointment_create
from keywork.notes.models import Appointment, FileNote
from keywork.outcomes.models import Domain
from keywork.people import services as people
from keywork.people.models import Alert
from keywork.planning import services as planning
from keywork.risk import services as risk
from keywork.testing.factories import TEST_PASSWORD
from tests.browser.helpers import assert_accessible, sign_in, supported_person

pytestmark = pytest.mark.browser

VIEWPORTS = {"phone": {"width": 375, "height": 812}, "desktop": {"width": 1280, "height": 800}}
AA_NORMAL_TEXT = 4.5
BANNER_LINK_COLOURS = (
    "--govuk-link-colour",
    "--govuk-link-visited-colour",
    "--govuk-link-hover-colour",
    "--govuk-link-active-colour",
)


def assess(world, person, overall: str) -> None:
    risk.risk_assessment_save(
        actor=world.worker,
        person=person,
        version=None,
        overall=overall,
        summary="Two staff on visits; meet in daylight.",
        areas={
            "staff": {
                "level": overall,
                "history": "Threats to staff last year",
                "management_plan": "Two staff on every visit",
            }
        },
    )


def record_every_state(world) -> dict[str, int]:
    """Dale is high risk with an alert at each level, a draft note, a plan, a file note and
    an appointment; Mina is medium risk, Leo low; Sam has nothing recorded yet."""
    dale = supported_person(world, "Dale", "Hewitt")
    assess(world, dale.person, "high")
    for level, kind, text in (
        ("danger", Alert.Kind.NOT_ALONE, "Threats to staff in the past"),
        ("warning", Alert.Kind.GENERAL, "Dog at the property"),
        ("information", Alert.Kind.GENERAL, "Prefers calls after midday"),
    ):
        people.alert_add(
            actor=world.worker,
            person=dale.person,
            kind=kind,
            level=level,
            text=text,
            review_on=timezone.localdate() + timedelta(days=30),
        )
    notes.note_create(
        actor=world.worker,
        person=dale.person,
        episode=dale,
        contact_type=FileNote.ContactType.KEY_WORK,
        contact_at=timezone.now() - timedelta(days=1),
        subject="First key-work session",
        text="Talked about the move.",
        duration_minutes=30,
    )
    notes.draft_save(
        actor=world.worker,
        person=dale.person,
        subject="Visit about the rent",
        text="Half written",
    )
    plan = planning.plan_start(actor=world.worker, episode=dale)
    planning.goal_add(
        actor=world.worker,
        plan=plan,
        domain=Domain.objects.get(framework=plan.framework, name="Money"),
        in_own_words="Pay off the rent arrears",
    )
    appointment_create(
        actor=world.worker,
        person=dale.person,
        episode=dale,
        kind=Appointment.Kind.HOME_VISIT,
        starts_at=timezone.now() + timedelta(days=2),
        duration_minutes=60,
        place="Flat 4",
        staff=[world.worker, world.colleague],
        alerts_read=True,
    )
    mina = supported_person(world, "Mina", "Shah")
    assess(world, mina.person, "medium")
    leo = supported_person(world, "Leo", "Hart")
    assess(world, leo.person, "low")
    sam = supported_person(world, "Sam", "Empty")
    return {
        "high": dale.person_id,
        "high_episode": dale.pk,
        "medium": mina.person_id,
        "low": leo.person_id,
        "empty": sam.person_id,
        "empty_episode": sam.pk,
    }


def relative_luminance(rgb: tuple[int, int, int]) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: tuple[int, int, int], other: tuple[int, int, int]) -> float:
    light, dark = sorted((relative_luminance(one), relative_luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def banner_link_contrasts(page: Page) -> list[tuple[str, str, float]]:
    """Each banner's link colours (unvisited, visited, hover, active) against its
    background, resolved by the browser itself."""
    measured = page.evaluate(
        """names => [...document.querySelectorAll('.kw-alert')].map(banner => {
            const rgb = colour => {
                const probe = document.createElement('span');
                probe.style.color = colour;
                banner.appendChild(probe);
                const value = getComputedStyle(probe).color;
                probe.remove();
                return value.match(/\\d+/g).slice(0, 3).map(Number);
            };
            const style = getComputedStyle(banner);
            return {
                banner: banner.className,
                background: style.backgroundColor.match(/\\d+/g).slice(0, 3).map(Number),
                links: names.map(name => [name, rgb(`var(${name})`)]),
            };
        })""",
        list(BANNER_LINK_COLOURS),
    )
    return [
        (banner["banner"], name, contrast(tuple(colour), tuple(banner["background"])))
        for banner in measured
        for name, colour in banner["links"]
    ]


class Checker:
    """Runs assert_accessible on each page and keeps every failure, so one run lists
    every page in every state that fails, not only the first."""

    def __init__(self, page: Page):
        self.page = page
        self.failures: list[str] = []
        self.checked: list[str] = []

    def check(self, state: str) -> None:
        self.checked.append(state)
        try:
            assert_accessible(self.page)
        except AssertionError as error:
            self.failures.append(f"{state}: {error}")

    def visit(self, path: str, state: str, *, shows: str | re.Pattern) -> None:
        self.page.goto(path)
        expect(self.page.get_by_role("main")).to_contain_text(shows)
        self.check(state)


@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
def test_it_passes_axe_on_every_page_in_every_state(world, new_page, viewport):
    ids = record_every_state(world)
    page = new_page(viewport=viewport)
    sign_in(page, world.worker, TEST_PASSWORD)
    checker = Checker(page)
    high, empty = ids["high"], ids["empty"]

    # Dale: high risk, three alerts, a draft waiting, a plan, a note, an appointment.
    checker.visit(f"/people/{high}/", "person, high risk and alerts", shows="Dale Hewitt")
    banner = page.get_by_role("region", name="Risk")
    expect(banner).to_contain_text("High risk overall")
    expect(page.get_by_role("region", name="Alert")).to_have_count(3)
    risk_link = banner.get_by_role("link", name="Risk and safety")
    risk_link.hover()
    checker.check("person, the banner's link hovered")
    page.mouse.move(0, 0)
    risk_link.focus()
    checker.check("person, the banner's link focused")
    risk_link.blur()
    checker.visit(f"/people/{high}/notes/", "file notes, a draft waiting", shows="is waiting")
    checker.visit(
        f"/people/{high}/notes/new/", "a file note carried on from the draft", shows="Subject"
    )
    checker.visit(f"/people/{high}/timeline/", "timeline", shows="First key-work session")
    checker.visit(f"/people/{high}/risk/", "risk page, high risk", shows="Two staff on visits")
    checker.visit(f"/people/{high}/risk/edit/", "risk form", shows="Risk to staff and lone working")
    page.get_by_label("Summary and how risk is managed").fill("")
    page.get_by_role("button", name="Save the risk assessment").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_contain_text("A high overall risk needs a plan")
    checker.check("risk form, sent back with an error")
    checker.visit(
        f"/episodes/{ids['high_episode']}/plan/", "support plan", shows="Pay off the rent arrears"
    )

    # Medium and low risk: the banner's other colours.
    for level, name in (("medium", "Mina Shah"), ("low", "Leo Hart")):
        checker.visit(f"/people/{ids[level]}/", f"person, {level} risk", shows=name)
        expect(page.get_by_role("region", name="Risk")).to_contain_text(
            f"{level.capitalize()} risk overall"
        )
        risk_link = page.get_by_role("region", name="Risk").get_by_role(
            "link", name="Risk and safety"
        )
        risk_link.focus()
        checker.check(f"person, {level} risk, the banner's link focused")

    # Sam: nothing recorded yet, so every list is empty.
    checker.visit(f"/people/{empty}/", "person, nothing recorded", shows="Sam Empty")
    expect(page.get_by_role("region", name="Risk")).to_have_count(0)
    checker.visit(f"/people/{empty}/notes/", "file notes, none", shows="No file notes yet")
    # Sam's timeline holds only his referral and start, so ask for his file notes.
    checker.visit(
        f"/people/{empty}/timeline/?kind=note", "timeline, nothing to show", shows="Nothing to show"
    )
    checker.visit(f"/people/{empty}/risk/", "risk page, none", shows="No risk assessment yet")
    checker.visit(f"/people/{empty}/risk/edit/", "new risk form", shows="Risk to self")
    page.get_by_role("button", name="Save the risk assessment").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    checker.check("new risk form, sent back with errors")
    checker.visit(
        f"/episodes/{ids['empty_episode']}/plan/",
        "no support plan",
        shows="There is no support plan for this episode yet",
    )

    # The worker's own pages, with Dale's draft, alerts and appointment on them.
    checker.visit("/caseload/", "My caseload", shows="Dale Hewitt")
    expect(page.get_by_role("main")).to_contain_text("Your draft is waiting")
    checker.visit("/appointments/", "appointments", shows="Dale")
    checker.visit("/", "home page", shows=re.compile("Hello, "))

    # Visited links: what axe cannot measure, measured on each banner's colours.
    low_contrast = []
    for level in ("high", "medium", "low"):
        page.goto(f"/people/{ids[level]}/")
        measured = banner_link_contrasts(page)
        # Dale: three alerts. The level of risk and its link sit in the identity bar, on
        # white, in GOV.UK's own link colours, so Mina and Leo have no banner.
        assert len(measured) == len(BANNER_LINK_COLOURS) * (3 if level == "high" else 0)
        for banner, colour, ratio in measured:
            if ratio < AA_NORMAL_TEXT:
                low_contrast.append(f"{level} risk, {banner}: {colour} is {ratio:.2f}:1")

    assert not checker.failures, "\n\n".join(checker.failures)
    assert not low_contrast, "banner links below 4.5:1:\n" + "\n".join(low_contrast)
