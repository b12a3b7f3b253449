"""What a phone shows before the app's code has run, and what it fetches to get there.

The production build (``reflex run --env prod``, as in every browser test)
is the one these check: the exported pages are rewritten after the build
(``chat_app/exported_pages.py``), so only a real build shows the result.
"""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import VIEWPORTS
from tests.browser.helpers import alice_and_bob, message, open_as, say

LOADING = "Loading your chats…"
PRELOAD = re.compile(r'<link rel="modulepreload" href="([^"]+)"( fetchpriority="low")?/>')


def _without_scripts(browser: Browser, app_url: str, viewport: str) -> Page:
    """A browser that shows the pages as they arrive, before any code runs."""
    context = browser.new_context(
        viewport=VIEWPORTS[viewport], base_url=app_url, java_script_enabled=False
    )
    return context.new_page()


def _signed_in_with_a_chat(
    browser: Browser, app_url: str, viewport: str, line: str
) -> tuple[Page, int]:
    """Alice signed in, and the id of her chat in which Bob said ``line``."""
    pair = alice_and_bob()
    say(pair.chat_id, pair.bob_id, line)
    return open_as(browser, app_url, viewport, pair.alice), pair.chat_id


def test_a_chat_link_shows_the_loading_screen_before_the_code_arrives(
    browser: Browser, app_url: str, viewport: str
) -> None:
    page = _without_scripts(browser, app_url, viewport)
    page.goto("/chat/1")
    expect(page.get_by_role("status").filter(has_text=LOADING)).to_be_visible()
    expect(page.get_by_text("Chat", exact=True)).to_be_visible()

    # A page rendered ahead shows itself instead: no loading screen over the form.
    page.goto("/signin")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.get_by_label("Username")).to_be_visible()
    expect(page.get_by_text(LOADING)).to_be_hidden()
    page.context.close()


def test_the_loading_screen_gives_way_to_the_chat_and_to_an_unknown_address(
    browser: Browser, app_url: str, viewport: str
) -> None:
    page, chat_id = _signed_in_with_a_chat(browser, app_url, viewport, "Ready when you are")

    page.goto(f"/chat/{chat_id}")
    expect(message(page, "Ready when you are")).to_be_visible()
    expect(page.get_by_text(LOADING)).to_be_hidden()

    page.goto("/no/such/page")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page.get_by_text(LOADING)).to_be_hidden()
    page.get_by_role("link", name="Go to your chats").click()
    expect(page.get_by_role("list", name="Chats")).to_be_visible()
    page.context.close()


def test_a_chat_link_announces_all_its_code_at_low_priority(
    browser: Browser, app_url: str, viewport: str
) -> None:
    """Every script a chat link loads is named in its HTML, after the stylesheet in
    priority: none is found late (a round trip each) and none delays the first paint."""
    page, chat_id = _signed_in_with_a_chat(browser, app_url, viewport, "Code up front")

    scripts: list[str] = []
    page.on(
        "request",
        lambda request: scripts.append(request.url) if request.resource_type == "script" else None,
    )
    response = page.goto(f"/chat/{chat_id}")
    assert response is not None
    expect(message(page, "Code up front")).to_be_visible()

    preloads = PRELOAD.findall(response.text())
    assert preloads, "the chat page preloads no modules"
    assert all(low for _, low in preloads), f"not at low priority: {preloads}"
    announced = {module for module, _ in preloads}
    fetched = {re.sub(r"^https?://[^/]+", "", url) for url in scripts}
    assert fetched, "no scripts were fetched"
    assert fetched <= announced, f"fetched but not preloaded: {sorted(fetched - announced)}"
    page.context.close()
