"""MOJ Frontend's patterns on Keywork's pages, and pages that hold wide tables: the person's
page with its identity bar and main action, the timeline, the team caseload, a service's
outcomes and the incidents by month, each whole on a phone (375 x 812) and a desktop
(1280 x 800) with no sideways scroll and no axe-core violation."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from keywork.outcomes.services import ratings_record
from keywork.planning import services as planning
from keywork.risk.services import incident_report
from keywork.testing.factories import TEST_PASSWORD
from tests.browser.helpers import assert_accessible, assert_assets_load, sign_in, supported_person
from tests.browser.test_states_accessible import record_every_state

pytestmark = pytest.mark.browser

VIEWPORTS = {"375px": {"width": 375, "height": 812}, "1280px": {"width": 1280, "height": 800}}


def no_sideways_scroll(page: Page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def tables_fit(page: Page) -> list[str]:
    """Each table wider than the box it sits in: none should be."""
    return page.evaluate(
        """() => [...document.querySelectorAll('main table')].filter(table => {
            const box = table.parentElement.getBoundingClientRect();
            return table.getBoundingClientRect().width > box.width + 0.5;
        }).map(table => table.querySelector('caption')?.textContent.trim() || 'a table')"""
    )


def expect_whole(page: Page) -> None:
    assert no_sideways_scroll(page), f"{page.url} scrolls sideways"
    assert tables_fit(page) == [], f"{page.url}: tables wider than their box"
    assert_accessible(page)
    assert_assets_load(page)


@pytest.mark.parametrize("size", VIEWPORTS)
def test_it_shows_a_high_risk_person_in_the_identity_bar_with_their_main_action(
    world, new_page, size
):
    ids = record_every_state(world)
    page = new_page(viewport=VIEWPORTS[size])
    sign_in(page, world.worker, TEST_PASSWORD)
    page.goto(f"/people/{ids['high']}/")
    bar = page.locator(".moj-identity-bar")
    expect(bar).to_be_visible()
    expect(bar.get_by_role("heading", level=1)).to_have_text("Dale Hewitt")
    risk = bar.get_by_role("region", name="Risk")
    expect(risk.locator(".moj-badge")).to_have_text("High risk overall")
    expect(risk.locator(".moj-badge")).to_have_class("moj-badge moj-badge--large moj-badge--red")
    expect(page.get_by_role("region", name="Alert")).to_have_count(3)
    write = bar.get_by_role("button", name="Write a file note")
    expect(write).to_be_visible()
    assert write.bounding_box()["y"] < VIEWPORTS[size]["height"]
    expect_whole(page)
    # The record's other actions sit behind one menu button, each a link once it is open.
    more = bar.get_by_role("button", name="More actions")
    expect(bar.get_by_role("link", name="Add an alert")).to_be_hidden()
    more.click()
    expect(more).to_have_attribute("aria-expanded", "true")
    for name in ("Change details", "Add a referral", "Add an alert", "Print a summary"):
        expect(bar.get_by_role("link", name=name)).to_be_visible()
    expect_whole(page)
    bar.get_by_role("link", name="Add an alert").click()
    expect(page.get_by_role("heading", level=2, name="Add an alert")).to_be_visible()


def test_it_shows_every_action_as_a_link_without_javascript(world, context_factory):
    ids = record_every_state(world)
    # Signed in with JavaScript (the helpers run axe in the page), then read without it.
    signing_in = context_factory(viewport=VIEWPORTS["375px"])
    sign_in(signing_in.new_page(), world.worker, TEST_PASSWORD)
    page = context_factory(
        java_script_enabled=False,
        viewport=VIEWPORTS["375px"],
        storage_state=signing_in.storage_state(),
    ).new_page()
    page.goto(f"/people/{ids['high']}/")
    bar = page.locator(".moj-identity-bar")
    expect(bar.get_by_role("button", name="More actions")).to_have_count(0)
    for name in ("Change details", "Add a referral", "Add an alert", "Print a summary"):
        expect(bar.get_by_role("link", name=name)).to_be_visible()
    bar.get_by_role("link", name="Print a summary").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dale Hewitt")


@pytest.mark.parametrize("size", VIEWPORTS)
def test_it_shows_the_timeline_as_moj_timeline_with_its_filters(world, new_page, size):
    ids = record_every_state(world)
    page = new_page(viewport=VIEWPORTS[size])
    sign_in(page, world.worker, TEST_PASSWORD)
    page.goto(f"/people/{ids['high']}/timeline/")
    items = page.locator(".moj-timeline .moj-timeline__item")
    expect(items.first).to_be_visible()
    expect(page.locator(".moj-timeline")).to_contain_text("First key-work session")
    expect(page.get_by_role("link", name="First key-work session")).to_be_visible()
    expect_whole(page)
    shown = page.get_by_role("group", name="Show")
    for box in shown.get_by_role("checkbox").all():
        box.uncheck()
    shown.get_by_label("File notes").check()
    page.get_by_role("button", name="Show").click()
    expect(items).to_have_count(1)
    expect_whole(page)


@pytest.mark.parametrize("size", VIEWPORTS)
def test_it_sorts_the_team_caseload_on_the_server_from_its_headers(world, new_page, size):
    record_every_state(world)
    page = new_page(viewport=VIEWPORTS[size])
    sign_in(page, world.senior, TEST_PASSWORD)
    page.goto(f"/teams/{world.team.pk}/caseload/")
    table = page.locator("table.kw-caseload")
    expect(table.locator('th[aria-sort="ascending"]')).to_have_text("Name")
    # By last name: Sam Empty, Leo Hart, Dale Hewitt, Mina Shah.
    expect(table.locator("tbody tr").first).to_contain_text("Sam Empty")
    dale = table.locator("tbody tr", has_text="Dale Hewitt")
    # The level of risk is an outlined badge, never green; its review is a filled tag.
    expect(dale.locator(".moj-badge")).to_have_text("High risk")
    expect(dale.locator(".moj-badge")).to_have_class("moj-badge moj-badge--red")
    expect(dale.locator(".govuk-tag", has_text="Review")).to_be_visible()
    expect_whole(page)
    if size == "1280px":
        table.get_by_role("link", name="In support since").click()
        expect(page).to_have_url(f"{page.url.split('?')[0]}?sort=start")
        since = table.locator("th", has_text="In support since")
        expect(since).to_have_attribute("aria-sort", "ascending")
        expect(table.locator("th", has_text="Name")).to_have_attribute("aria-sort", "none")
        # Pressed again, the server reverses the order.
        table.get_by_role("link", name="In support since").click()
        expect(page).to_have_url(f"{page.url.split('?')[0]}?sort=-start")
        expect(since).to_have_attribute("aria-sort", "descending")
        expect_whole(page)


LONG_SERVICE_NAME = "Riverside Supported Housing Pathway for Young People (North and East)"


def long_named(service):
    service.name = LONG_SERVICE_NAME
    service.save()
    return service


def rated_service(world):
    """Seven people rated twice in every area of the framework, so every figure shows."""
    for n in range(7):
        episode = supported_person(world, f"Rated{n}", "Person")
        plan = planning.plan_start(actor=world.worker, episode=episode)
        domains = list(plan.framework.domains.all())
        for days_ago, base in ((100, 2), (10, 5)):
            ratings_record(
                actor=world.worker,
                episode=episode,
                framework=plan.framework,
                rated_on=timezone.localdate() - timedelta(days=days_ago),
                rated_by="together",
                scores={d.pk: min(10, base + (n + i) % 4) for i, d in enumerate(domains)},
            )
    return long_named(world.service)


@pytest.mark.parametrize("size", VIEWPORTS)
def test_it_shows_a_services_outcomes_whole(world, new_page, size):
    service = rated_service(world)
    page = new_page(viewport=VIEWPORTS[size])
    sign_in(page, world.lead_manager, TEST_PASSWORD)
    page.goto(f"/services/{service.pk}/outcomes/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Outcomes in {service.name}")
    expect(page.locator("main table").first).to_be_visible()
    expect_whole(page)


@pytest.mark.parametrize("size", VIEWPORTS)
def test_it_shows_the_incidents_by_month_whole(world, new_page, size):
    episode = supported_person(world, "Ivy", "Incident")
    long_named(world.service)
    for days_ago, kind, severity in (
        (3, "safeguarding", "high"),
        (40, "violence", "low"),
        (70, "health_safety", "medium"),
    ):
        incident_report(
            actor=world.worker,
            service=world.service,
            type=kind,
            severity=severity,
            occurred_at=timezone.now() - timedelta(days=days_ago),
            place="Lounge",
            what_happened="A row",
            immediate_action="Talked it down",
            people=[episode.person],
        )
    page = new_page(viewport=VIEWPORTS[size])
    sign_in(page, world.lead_manager, TEST_PASSWORD)
    page.goto("/incidents/")
    expect(page.get_by_role("heading", name="Incidents in your services by month")).to_be_visible()
    by_month = page.get_by_role("table", name="Incidents by service, month, type and severity")
    expect(by_month).to_contain_text("Safeguarding concern")
    expect_whole(page)
