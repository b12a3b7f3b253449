"""The composer's emoji picker: fetched only when first opened, inserts at the caret."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, expect

from tests.browser.helpers import alice_and_bob, message, open_as

# Vite names a lazily imported module's chunk after its file (assets/emoji_grid.jsx).
GRID_CHUNK = "/assets/emoji_grid"


def test_emoji_grid_loads_on_first_open_and_inserts_at_the_caret(
    browser: Browser, app_url: str, viewport: str
) -> None:
    pair = alice_and_bob()
    alice = open_as(browser, app_url, viewport, pair.alice)
    fetched: list[str] = []
    alice.on("request", lambda request: fetched.append(request.url))

    alice.goto(f"/chat/{pair.chat_id}")
    composer = alice.get_by_role("textbox", name="Type a message")
    composer.fill("Lunch at noon? ")
    expect(alice.get_by_role("button", name="Emoji")).to_be_visible()
    assert not [url for url in fetched if GRID_CHUNK in url], "the grid came with the page"

    alice.get_by_role("button", name="Emoji").click()
    alice.get_by_role("button", name="🍕").click()
    expect(composer).to_have_value("Lunch at noon? 🍕")
    assert [url for url in fetched if GRID_CHUNK in url], "the grid was not fetched on opening"

    # The picker stays open for another pick, with the caret back in the composer.
    expect(composer).to_be_focused()
    alice.get_by_role("button", name="🍕").click()
    expect(composer).to_have_value("Lunch at noon? 🍕🍕")
    # Esc closes it, and only it: the chat stays open, on a phone too.
    alice.keyboard.press("Escape")
    expect(alice.get_by_role("button", name="🍕")).to_be_hidden()
    expect(alice).to_have_url(re.compile(rf"/chat/{pair.chat_id}$"))
    composer.press("Enter")
    expect(message(alice, "Lunch at noon? 🍕🍕").get_by_label("Sent")).to_be_visible()
