"""The attach dialog used as people use it."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from tests.browser.helpers import alice_and_bob, open_as

DIALOG = "Send photos or documents"


def test_cancel_is_named_cancel(browser: Browser, app_url: str, viewport: str) -> None:
    """A screen reader announces the button as it reads: "Cancel", not "Close"."""
    pair = alice_and_bob()
    page = open_as(browser, app_url, viewport, pair.alice)
    page.goto(f"/chat/{pair.chat_id}")
    page.get_by_role("button", name="Attach").click()
    dialog = page.get_by_role("dialog", name=DIALOG)
    cancel = dialog.get_by_role("button", name="Cancel", exact=True)
    expect(cancel).to_be_visible()
    expect(dialog.get_by_role("button", name="Close")).to_have_count(0)
    cancel.click()
    expect(dialog).to_be_hidden()
