"""A removed member (or one who left) keeps the group read-only, as in WhatsApp:
the history up to then, "You're no longer a participant in this group" where
the composer was, nothing sent afterwards, and "Delete chat" to be rid of it."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from chat_app.services import groups
from tests.browser.helpers import HeldReplies, message, open_as, person, say, send_message

LIVE_TIMEOUT_MS = 10_000  # generous for a shared machine
NOTICE = "You're no longer a participant in this group."
TITLE = "Weekend trip"
STORED = re.compile("^(Sent|Delivered|Read)$")


def _composer(page: Page):
    return page.get_by_role("textbox", name="Type a message")


def _chat_row(page: Page, name: str):
    return page.get_by_role("list", name="Chats").get_by_role("listitem").filter(has_text=name)


def _expect_read_only(page: Page, *lines: str) -> None:
    """The notice instead of the composer, and the history still there."""
    expect(page.get_by_text(NOTICE)).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    expect(_composer(page)).to_have_count(0)
    for line in lines:
        expect(_line(page, line)).to_be_visible()


def _line(page: Page, text: str):
    """A message or a system line ("You left") in the open chat."""
    return page.get_by_role("list", name="Messages").get_by_text(text, exact=True)


def _group_of_three() -> tuple[str, int, str, int, int]:
    alice, alice_id = person("alice", "Alice Adams")
    bob, bob_id = person("bob", "Bob Brown")
    _, carol_id = person("carol", "Carol Díaz")
    chat_id = groups.create_group(user_id=alice_id, title=TITLE, member_ids=[bob_id, carol_id])
    say(chat_id, bob_id, "Count me in")
    return alice, alice_id, bob, bob_id, chat_id


def test_a_removed_member_keeps_the_group_read_only(
    browser: Browser, app_url: str, viewport: str
) -> None:
    alice_name, _, bob_name, _, chat_id = _group_of_three()
    alice = open_as(browser, app_url, viewport, alice_name)
    bob = open_as(browser, app_url, viewport, bob_name)
    alice.goto(f"/chat/{chat_id}")
    bob.goto(f"/chat/{chat_id}")
    expect(_composer(bob)).to_be_visible()
    # A message reaching Bob live shows his page is connected before he is removed.
    send_message(alice, "Before the removal")
    expect(message(bob, "Before the removal")).to_be_visible(timeout=LIVE_TIMEOUT_MS)

    alice.get_by_role("button", name="Chat info").click()
    info = alice.get_by_role("dialog", name="Group info")
    info.get_by_role("button", name="Remove Bob Brown from the group").click()
    question = alice.get_by_role("alertdialog", name=f'Remove Bob Brown from "{TITLE}" group?')
    question.get_by_role("button", name="Remove").click()
    expect(info.get_by_role("list", name="Members").get_by_role("listitem")).to_have_count(2)
    alice.keyboard.press("Escape")
    expect(info).to_have_count(0)

    # Bob's open chat turns read-only by itself, its history kept.
    _expect_read_only(bob, "Count me in", "Before the removal", "Alice Adams removed you")

    send_message(alice, "After the removal")
    expect(message(alice, "After the removal")).to_be_visible()
    # Stored (a tick, no longer the pending clock) before Bob's side is looked at.
    expect(message(alice, "After the removal").get_by_label(STORED)).to_be_visible(
        timeout=LIVE_TIMEOUT_MS
    )
    expect(message(bob, "After the removal")).to_have_count(0)
    bob.reload()
    _expect_read_only(bob, "Count me in", "Before the removal", "Alice Adams removed you")
    expect(bob.get_by_text("After the removal")).to_have_count(0)

    # Group info shows no members and no admin actions, only deleting the chat.
    bob.get_by_role("button", name="Chat info").click()
    bob_info = bob.get_by_role("dialog", name="Group info")
    expect(bob_info.get_by_text(NOTICE)).to_be_visible()
    expect(bob_info.get_by_role("list", name="Members")).to_have_count(0)
    expect(bob_info.get_by_role("button", name="Leave group")).to_have_count(0)
    expect(bob_info.get_by_role("button", name="Add members")).to_have_count(0)
    bob.keyboard.press("Escape")
    expect(bob_info).to_have_count(0)

    # The group is still in his list, with the removal as its last line.
    replies = HeldReplies(bob)
    bob.goto("/")  # a new page load: its socket goes through the route
    row = _chat_row(bob, TITLE)
    expect(row).to_contain_text("Alice Adams removed you")
    expect(row).not_to_contain_text("After the removal")

    # Delete chat: asked first; then gone from his list for good, kept for Alice.
    # Tapped on a slow network the moment the chat opens (shown as last held, its
    # load still on the way, and handled by the server before that load): the
    # question stays when the load arrives.
    replies.holding = replies.holding_loads = True
    row.get_by_role("link").click()
    _expect_read_only(bob, "Alice Adams removed you")
    bob.get_by_role("button", name="Delete chat").click()
    replies.release()
    ask = bob.get_by_role("alertdialog", name=f'Delete "{TITLE}" group?')
    expect(ask).to_be_visible()
    bob.wait_for_timeout(1500)  # the chat's load, behind the held replies, lands meanwhile
    expect(ask).to_be_visible()
    ask.get_by_role("button", name="Cancel").click()
    expect(ask).to_have_count(0)
    _expect_read_only(bob, "Alice Adams removed you")
    bob.get_by_role("button", name="Delete chat").click()
    expect(ask).to_be_visible()
    bob.reload()  # a question left open does not come back with the page
    _expect_read_only(bob, "Alice Adams removed you")
    expect(ask).to_have_count(0)
    bob.get_by_role("button", name="Delete chat").click()
    ask.get_by_role("button", name="Delete chat").click()
    expect(bob).to_have_url(f"{app_url}/")
    expect(bob.get_by_role("list", name="Chats")).to_be_visible()
    expect(_chat_row(bob, TITLE)).to_have_count(0)
    bob.reload()
    expect(bob.get_by_role("list", name="Chats")).to_be_visible()
    expect(_chat_row(bob, TITLE)).to_have_count(0)
    alice.reload()
    expect(message(alice, "After the removal")).to_be_visible()
    expect(message(alice, "Count me in")).to_be_visible()
    expect(_composer(alice)).to_be_visible()
    bob.context.close()
    alice.context.close()


def test_leaving_keeps_the_group_read_only_until_added_back(
    browser: Browser, app_url: str, viewport: str
) -> None:
    _, alice_id, bob_name, bob_id, chat_id = _group_of_three()
    bob = open_as(browser, app_url, viewport, bob_name)
    bob.goto(f"/chat/{chat_id}")
    expect(message(bob, "Count me in")).to_be_visible()

    bob.get_by_role("button", name="Chat info").click()
    info = bob.get_by_role("dialog", name="Group info")
    info.get_by_role("button", name="Leave group").click()
    info.get_by_role("button", name="Leave", exact=True).click()
    expect(info).to_have_count(0)

    _expect_read_only(bob, "Count me in", "You left")
    expect(bob).to_have_url(f"{app_url}/chat/{chat_id}")
    say(chat_id, alice_id, "Shame you left")
    bob.reload()
    _expect_read_only(bob, "Count me in", "You left")
    expect(bob.get_by_text("Shame you left")).to_have_count(0)

    # Added back: a participant again, the composer returns and new messages arrive.
    groups.add_members(user_id=alice_id, chat_id=chat_id, member_ids=[bob_id])
    expect(_composer(bob)).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    expect(bob.get_by_text(NOTICE)).to_have_count(0)
    expect(_line(bob, "Alice Adams added you")).to_be_visible()
    say(chat_id, alice_id, "Welcome back")
    expect(message(bob, "Welcome back")).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    send_message(bob, "Glad to be back")
    expect(message(bob, "Glad to be back").get_by_label(STORED)).to_be_visible(
        timeout=LIVE_TIMEOUT_MS
    )
    bob.context.close()
