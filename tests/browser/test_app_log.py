"""What the app prints while people use it: a warning there is a bug somebody reads.

Reflex 0.10 warns on every use of ``RouterData.page`` (deprecated for
``RouterData.url``); opening a chat and its group info used it, so every chat
opened added a deprecation warning to the backend's output. Reflex prints
each deprecation once per process, so the whole log of the app is read: the
warning is there whether this test or an earlier one opened the first chat.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, expect

from chat_app.services import groups
from tests.browser.helpers import alice_and_bob, message, open_as, say


def test_opening_chats_and_group_info_prints_no_warning(
    browser: Browser, app_url: str, viewport: str, app_log: Path
) -> None:
    people = alice_and_bob()
    say(people.chat_id, people.bob_id, "in the direct chat")
    group_id = groups.create_group(
        user_id=people.alice_id, title="Weekend plans", member_ids=[people.bob_id]
    )
    say(group_id, people.bob_id, "in the group")

    page = open_as(browser, app_url, viewport, people.alice)
    page.goto(f"{app_url}/chat/{people.chat_id}")
    expect(message(page, "in the direct chat")).to_be_visible()
    page.goto(f"{app_url}/chat/{group_id}")
    expect(message(page, "in the group")).to_be_visible()
    page.get_by_role("button", name="Chat info").click()
    expect(page.get_by_role("dialog", name="Group info")).to_contain_text("Bob Brown")
    page.reload()
    expect(message(page, "in the group")).to_be_visible()

    printed = app_log.read_text(errors="replace")
    assert [line for line in printed.splitlines() if "deprecat" in line.lower()] == []
