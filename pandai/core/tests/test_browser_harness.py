"""The browser harness itself: it catches console errors and uncaught page exceptions."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_console_errors_and_uncaught_exceptions_are_recorded(page, page_problems, live_server):
    page.goto(f"{live_server.url}/masuk/")
    assert page_problems.unexpected() == []

    with page.expect_console_message(lambda m: m.type == "error"):
        page.evaluate("console.error('pandai-harness-console')")
    with page.expect_event("pageerror"):
        page.evaluate("setTimeout(() => { throw new Error('pandai-harness-throw'); }, 0)")

    problems = page_problems.unexpected()
    assert any("pandai-harness-console" in p for p in problems), problems
    assert any("pandai-harness-throw" in p for p in problems), problems
    # Allowed here so the fixture's own check (fail on any problem) passes.
    page_problems.allow("pandai-harness-")
    assert page_problems.unexpected() == []


def test_pages_render_at_the_office_screen_size_in_indonesian(page, live_server):
    page.goto(f"{live_server.url}/masuk/")
    assert page.viewport_size == {"width": 1366, "height": 768}
    assert page.evaluate("navigator.language") == "id-ID"
    expect(page.locator("h1")).to_have_text("Masuk ke Pandai")


def test_a_missing_static_file_counts_as_a_page_error(page, page_problems, live_server):
    page.goto(f"{live_server.url}/masuk/")
    with page.expect_console_message(lambda m: m.type == "error"):
        page.evaluate(
            "document.head.appendChild(Object.assign(document.createElement('script'),"
            " {src: '/static/pandai/no-such-file.js'}))"
        )
    assert any("404" in p for p in page_problems.unexpected()), page_problems.problems
    page_problems.allow("404")
