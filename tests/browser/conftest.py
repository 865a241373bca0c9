"""Browser tests: Playwright (Python, sync API) driving Debian's Chromium against live_server.

Never ``playwright install``: the browser is the system's ``/usr/bin/chromium`` (or the one
named by ``CHROMIUM_PATH``). When no Chromium is installed the browser tests are skipped
locally, but fail under CI=true so a missing browser is never silently green.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls our tests make
# from the same thread are still synchronous, so Django's guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _live_db(transactional_db):
    """live_server serves from another thread: data must be committed to be seen.

    A transactional test flushes the database afterwards, the reference data the migrations
    loaded (postcodes, the default regions) included; put it back so each journey starts
    from what a fresh install has, whatever ran before it.
    """
    from io import StringIO

    from django.core.management import call_command

    from places.geocoding import invalidate_cache
    from places.models import Postcode
    from programs.enums import PROVINCES
    from programs.models import Region

    if not Postcode.objects.exists():
        call_command("load_postcodes", "--builtin", stdout=StringIO())
    for order, name in enumerate(PROVINCES):
        Region.objects.get_or_create(name=name, defaults={"provinces": [name], "sort_order": order})
    invalidate_cache()
    yield
    invalidate_cache()


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Every journey signs in several times from 127.0.0.1; the login rate limits
    (ACCOUNT_RATE_LIMITS, kept in the cache) must not carry over from one test to the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def browser_instance():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}; the test command installs it")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe():
    """axe-core (shipped by axe-playwright-python), loaded once: ``a11y.axe_violations(axe, page)``."""
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture
def page(browser_instance, live_server, request) -> Iterator:
    """A fresh browser context whose relative URLs go to the live server."""
    context = browser_instance.new_context(
        base_url=live_server.url, locale="nl-NL", timezone_id="Europe/Amsterdam"
    )
    context.set_default_timeout(15_000)
    pg = context.new_page()
    yield pg
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def live_browser(page):
    """Alias used across the browser tests."""
    return page


@pytest.fixture
def login(page):
    """Sign in through the real login form: ``login(email, password)``."""

    def do_login(email: str, password: str = "geheim-wachtwoord-123"):
        page.goto("/accounts/login/")
        page.fill("input[name=login]", email)
        page.fill("input[name=password]", password)
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        return page

    return do_login


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, "rep_" + report.when, report)
