"""Browser-test fixtures: Playwright (Python) driving Debian's Chromium against `live_server`.

Loaded for the whole suite from pandai/conftest.py (`pytest_plugins`). A browser test asks for
`page` (and usually `live_server` and `login`) and is marked `@pytest.mark.browser`; the marker
also puts it into the xdist group "browser" so only one worker runs Chromium.

Every test fails if the page logged a console error or threw an uncaught exception, and leaves a
screenshot in test-artifacts/screenshots/<test name>.png.
"""

from __future__ import annotations

import contextlib
import os
import re
import urllib.request
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from pandai.core.tests.factories import STAFF_PASSWORD

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Error, Page

CHROMIUM = Path(os.environ.get("PANDAI_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
VIEWPORT = {"width": 1366, "height": 768}
LOCALE = "id-ID"
TIMEOUT_MS = 15_000
SCREENSHOT_DIR = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"


UNGROUPED = pytest.StashKey[list[str]]()
BROWSER_GROUPS = 2


def browser_required() -> bool:
    return os.environ.get("PANDAI_REQUIRE_BROWSER") == "1"


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> Iterator[None]:
    """Browser tests run in two xdist groups, a test module's tests always in the same one
    (one Chromium and one live server per worker): one group would leave the other worker idle
    while a single one drives every page. Every browser test also gets the `browser` mark (so
    `-m "not browser"` leaves them all out). Done before xdist reads the groups; afterwards it
    checks that xdist really grouped them."""
    for item in items:
        group = item.get_closest_marker("xdist_group")
        named = group is not None and group.args[:1] == ("browser",)
        if item.get_closest_marker("browser") or named:
            item.add_marker(pytest.mark.browser)
            half = zlib.crc32(item.nodeid.split("::")[0].encode()) % BROWSER_GROUPS
            item.add_marker(pytest.mark.xdist_group(f"browser-{half}"))
    yield
    if hasattr(config, "workerinput") and config.getvalue("loadgroup"):
        config.stash[UNGROUPED] = [
            i.nodeid for i in items if i.get_closest_marker("xdist_group") and "@" not in i.nodeid
        ]


@pytest.fixture(scope="session")
def browser(pytestconfig: pytest.Config) -> Iterator[Browser]:
    """One headless Chromium for the whole session (of this worker)."""
    if ungrouped := pytestconfig.stash.get(UNGROUPED, []):
        pytest.fail(
            "pytest-xdist --dist loadgroup did not group the browser tests, so every worker "
            "would start Chromium (pytest too new for this pytest-xdist? pytest-xdist#1386): "
            + ", ".join(ungrouped[:3])
        )
    if not CHROMIUM.exists():
        reason = f"Chromium not found at {CHROMIUM} (Debian: apt-get install chromium)"
        if browser_required():
            pytest.fail(f"{reason}; PANDAI_REQUIRE_BROWSER=1 requires the browser tests")
        pytest.skip(f"{reason}; browser tests skipped")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread from here on; Django's
    # ORM refuses to run beside a running loop unless told it is safe. It is: the loop only
    # talks to the browser, and the test (and the live server thread) stay synchronous.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as pw:
            chromium = pw.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class PageProblems:
    """Console errors and uncaught exceptions a page produced during one test."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self._allowed: list[re.Pattern[str]] = []

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location.get("url", "") if message.location else ""
            self.problems.append(f"console error: {message.text} ({where})")

    def on_page_error(self, error: Error) -> None:
        self.problems.append(f"uncaught exception: {error.message}")

    def allow(self, pattern: str) -> None:
        """Accept problems matching `pattern` (regex) in this test, e.g. an expected 403."""
        self._allowed.append(re.compile(pattern))

    def unexpected(self) -> list[str]:
        return [p for p in self.problems if not any(a.search(p) for a in self._allowed)]


@pytest.fixture
def page_problems() -> PageProblems:
    return PageProblems()


def _screenshot_name(node: pytest.Item) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", node.name).strip("_") or "test"


@pytest.fixture
def page(
    browser: Browser, request: pytest.FixtureRequest, page_problems: PageProblems
) -> Iterator[Page]:
    """A fresh browser context per test (1366x768, locale id-ID), one page in it."""
    context = browser.new_context(viewport=VIEWPORT, locale=LOCALE)  # type: ignore[arg-type]
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    tab.on("console", page_problems.on_console)
    tab.on("pageerror", page_problems.on_page_error)
    try:
        yield tab
    finally:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        try:
            tab.screenshot(path=str(SCREENSHOT_DIR / f"{_screenshot_name(request.node)}.png"))
        finally:
            context.close()
    problems = page_problems.unexpected()
    if problems:
        pytest.fail("The page had JavaScript errors:\n" + "\n".join(problems), pytrace=False)


_WARMED: set[str] = set()


def warm_up(url: str) -> None:
    """The live server's first request imports and compiles everything (templates, URL map,
    translations): on a busy machine that can take longer than a page's timeout. Pay it once
    per server, outside the browser, with a generous timeout."""
    if url in _WARMED:
        return
    with contextlib.suppress(OSError):
        urllib.request.urlopen(f"{url}/masuk/", timeout=120).read()  # noqa: S310 (local server)
    _WARMED.add(url)


@pytest.fixture
def login(live_server: Any) -> Callable[..., None]:
    """login(page, user) signs in through the real form at /masuk/ and waits for the home page."""
    warm_up(live_server.url)

    def sign_in(page: Page, user: Any, password: str = STAFF_PASSWORD) -> None:
        page.goto(f"{live_server.url}/masuk/")
        page.fill("#id_username", user.get_username())
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.locator("form:has(#id_password) button[type=submit]").click()
        if "/masuk/" in page.url:
            raise AssertionError(f"login as {user.get_username()} failed: still on {page.url}")

    return sign_in


def set_expect_timeout() -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)


set_expect_timeout()
