"""Browser fixtures: one headless Debian Chromium per session, a fresh context per test.

Playwright's own browser download is never used (it needs the network): the tests drive
`/usr/bin/chromium`, and skip with a reason when it, or the `playwright` package, is missing.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 860}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

try:
    from playwright.sync_api import Browser, Page, Route, expect, sync_playwright
except ImportError:  # the test module skips with a reason
    sync_playwright = None
else:
    expect.set_options(timeout=15_000)


def _unavailable(reason: str) -> None:
    if os.environ.get("COWORKER_REQUIRE_BROWSER"):  # CI: a missing browser is a failure
        pytest.fail(f"{reason} (COWORKER_REQUIRE_BROWSER is set)", pytrace=False)
    pytest.skip(reason)


# Module scope: Playwright's sync API runs an event loop in this thread while it is open,
# which async tests collected after the browser tests could not run beside.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if sync_playwright is None:
        _unavailable("playwright is not installed: browser tests skipped")
    if not CHROMIUM.exists():
        _unavailable(f"Chromium not found at {CHROMIUM}: browser tests skipped")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def _loopback_only(route: Route) -> None:
    """Pages under test reach only the local test servers: no CDN, no fonts, no beacons."""
    host = urlsplit(route.request.url).hostname or ""
    if route.request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
        route.continue_()
    else:
        route.abort()


class PageErrors(list[str]):
    """Uncaught exceptions in the page; a test that ends with any fails."""


@pytest.fixture
def page_errors() -> PageErrors:
    return PageErrors()


@pytest.fixture
def page(browser: Browser, page_errors: PageErrors) -> Iterator[Page]:
    """A fresh browser context (empty localStorage) and page; JavaScript errors fail the test."""
    context = browser.new_context(viewport=VIEWPORT, reduced_motion="reduce")
    context.route("**/*", _loopback_only)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    try:
        yield page
    finally:
        context.close()
    assert not page_errors, f"JavaScript errors in the page: {page_errors}"


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


# The screenshots of each state, at both sizes people use: a laptop and a phone.
SCREENSHOTS_ENV = "COWORKER_SCREENSHOTS"  # CI sets it to keep them as artifacts
DESKTOP = {"width": 1280, "height": 800}
MOBILE = {"width": 390, "height": 844}
SIZES = {"desktop": DESKTOP, "mobile": MOBILE}


class Screenshots:
    """Saves `<state>-desktop.png` and `<state>-mobile.png` under one directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.saved: list[Path] = []

    def shot(self, page: Page, state: str, size: str) -> Path:
        path = self.directory / f"{state}-{size}.png"
        page.screenshot(path=str(path))
        self.saved.append(path)
        return path

    def both(self, page: Page, state: str) -> None:
        """The state at each size, the page put back at the size it had."""
        before = page.viewport_size
        for size, viewport in SIZES.items():
            page.set_viewport_size(viewport)
            self.shot(page, state, size)
        if before:
            page.set_viewport_size(before)


@pytest.fixture
def screenshots(tmp_path: Path) -> Screenshots:
    """Where the states are saved: $COWORKER_SCREENSHOTS, else a directory of this test's."""
    chosen = os.environ.get(SCREENSHOTS_ENV)
    directory = Path(chosen) if chosen else tmp_path / "screenshots"
    directory.mkdir(parents=True, exist_ok=True)
    return Screenshots(directory)
