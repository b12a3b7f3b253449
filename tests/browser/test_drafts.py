"""Drafts, as on WhatsApp: each chat keeps what was typed in it and not sent."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from chat_app.services import direct_chats
from tests.browser.helpers import message, open_as, person, say

# WhatsApp's green for the "Draft:" label, the light theme's --wa-accent-strong.
DRAFT_GREEN = "rgb(0, 128, 105)"


def _row(page: Page, name: str):
    return page.get_by_role("list", name="Chats").get_by_role("listitem").filter(has_text=name)


def _open(page: Page, viewport: str, name: str, chat_id: int) -> None:
    """Go to another chat as a person would: a click in the list beside the open chat
    on a desktop; back to the list and a tap on a phone."""
    if viewport == "phone" and "/chat/" in page.url:
        page.get_by_role("link", name="Back to chats").click()
    _row(page, name).get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/chat/{chat_id}/?$"))
    expect(page.get_by_role("banner").get_by_text(name)).to_be_visible()


def test_each_chat_keeps_its_own_draft(browser: Browser, app_url: str, viewport: str) -> None:
    alice_name, alice_id = person("alice", "Alice Adams")
    bob_name, bob_id = person("bob", "Bob Brown")
    _, carol_id = person("carol", "Carol Cole")
    with_bob = direct_chats.open_direct_chat(user_id=alice_id, other_user_id=bob_id)
    with_carol = direct_chats.open_direct_chat(user_id=alice_id, other_user_id=carol_id)
    say(with_bob, bob_id, "Dinner on Friday?")
    say(with_carol, carol_id, "Got the tickets")

    alice = open_as(browser, app_url, viewport, alice_name)
    box = alice.get_by_role("textbox", name="Type a message")
    _open(alice, viewport, "Bob Brown", with_bob)
    box.fill("Friday works, see you at")

    _open(alice, viewport, "Carol Cole", with_carol)
    expect(box).to_have_value("")  # one Enter away from the wrong person no more
    box.fill("Great, thanks!")
    bob_row = _row(alice, "Bob Brown")
    if viewport == "phone":
        alice.get_by_role("link", name="Back to chats").click()
    expect(bob_row).to_contain_text("Draft: Friday works, see you at")
    expect(bob_row).not_to_contain_text("Dinner on Friday?")
    expect(bob_row.get_by_text("Draft:", exact=True)).to_have_css("color", DRAFT_GREEN)
    expect(_row(alice, "Carol Cole")).to_contain_text("Draft: Great, thanks!")

    _open(alice, viewport, "Bob Brown", with_bob)
    expect(box).to_have_value("Friday works, see you at")
    alice.reload()
    expect(box).to_have_value("Friday works, see you at")

    # The same person on another device finds the draft where they left it.
    other_device = open_as(browser, app_url, viewport, alice_name)
    expect(_row(other_device, "Bob Brown")).to_contain_text("Draft: Friday works, see you at")
    _open(other_device, viewport, "Carol Cole", with_carol)
    expect(other_device.get_by_role("textbox", name="Type a message")).to_have_value(
        "Great, thanks!"
    )
    other_device.context.close()

    box.press("End")
    box.type(" 8")
    box.press("Enter")
    expect(message(alice, "Friday works, see you at 8")).to_be_visible()
    expect(box).to_have_value("")
    if viewport == "phone":
        alice.get_by_role("link", name="Back to chats").click()
    expect(bob_row).to_contain_text("Friday works, see you at 8")
    expect(bob_row).not_to_contain_text("Draft:")
    expect(_row(alice, "Carol Cole")).to_contain_text("Draft: Great, thanks!")

    bob = open_as(browser, app_url, viewport, bob_name)
    _open(bob, viewport, "Alice Adams", with_bob)
    expect(message(bob, "Friday works, see you at 8")).to_have_count(1)
    expect(bob.get_by_role("textbox", name="Type a message")).to_have_value("")
