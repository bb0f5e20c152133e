"""Fixtures for the real-browser tests: Debian's Chromium driven by
Playwright against pytest-django's live server, with axe-core checking every page.

A plugin of the root conftest, so that a browser test kept with its own app shares the
one Chromium (a second copy of these fixtures would start a second Playwright in the same
thread, which it refuses, and every browser test after it would fail).

Run from the project root:

    KEYWORK_ENV=test DJANGO_ALLOW_ASYNC_UNSAFE=true \
        .venv/bin/python -m pytest -m browser tests/browser -q
"""

import os

import pytest
from django.core import mail
from playwright.sync_api import Page, sync_playwright

ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Short waits: every page here is served locally, so anything slower is a failure.
TIMEOUT_MS = 5_000


# --- Browser ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API keeps an event loop running in the main thread for as long as
    # the browser is open, so Django would refuse the ORM calls that set up each test's
    # data and flush it afterwards. Allowed only while the browser is open (the command
    # line sets it as well).
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture
def context_factory(browser, live_server):
    """Makes fresh browser contexts (own cookies, own viewport) pointed at the live server."""
    contexts = []

    def make(**options):
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def _watch(page: Page) -> Page:
    """Keeps the failed responses and console errors of a page, for assert_assets_load."""
    page.failed_responses = []
    page.console_errors = []
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and page.failed_responses.append(f"{response.status} {response.url}")
        ),
    )
    page.on(
        "console",
        lambda message: message.type == "error" and page.console_errors.append(message.text),
    )
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    return page


@pytest.fixture
def new_page(context_factory):
    """new_page() or new_page(viewport={...}): a page in a fresh context of its own."""

    def make(**options):
        return _watch(context_factory(**options).new_page())

    return make


@pytest.fixture
def page(new_page) -> Page:
    return new_page()


@pytest.fixture
def outbox():
    """Django's locmem outbox: the live server runs in this process, so its emails land here."""
    mail.outbox.clear()
    return mail.outbox
