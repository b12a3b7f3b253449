"""Drafts, as on WhatsApp: each chat keeps what was typed in it and not sent."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from chat_app.services import direct_chats
from tests.browser.helpers import HeldReplies, message, open_as, person, say

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


def _alice_bob_and_carol() -> tuple[str, str, int, int]:
    """Alice's and Bob's usernames, and her chats with Bob and with Carol, one
    message in each."""
    alice_name, alice_id = person("alice", "Alice Adams")
    bob_name, bob_id = person("bob", "Bob Brown")
    _, carol_id = person("carol", "Carol Cole")
    with_bob = direct_chats.open_direct_chat(user_id=alice_id, other_user_id=bob_id)
    with_carol = direct_chats.open_direct_chat(user_id=alice_id, other_user_id=carol_id)
    say(with_bob, bob_id, "Dinner on Friday?")
    say(with_carol, carol_id, "Got the tickets")
    return alice_name, bob_name, with_bob, with_carol


def test_each_chat_keeps_its_own_draft(browser: Browser, app_url: str, viewport: str) -> None:
    alice_name, bob_name, with_bob, with_carol = _alice_bob_and_carol()

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


def _alice_in_bobs_chat_on_a_held_socket(
    browser: Browser, app_url: str, viewport: str
) -> tuple[Page, HeldReplies, int, int]:
    """Alice in her chat with Bob, on a page whose socket replies can be held back;
    also her chat with Carol."""
    alice_name, _, with_bob, with_carol = _alice_bob_and_carol()
    alice = open_as(browser, app_url, viewport, alice_name)
    replies = HeldReplies(alice)
    alice.goto(f"/chat/{with_bob}")  # a new page load: its socket goes through the route
    expect(message(alice, "Dinner on Friday?")).to_be_visible()
    return alice, replies, with_bob, with_carol


def _draft_left_with_bob(
    browser: Browser, app_url: str, viewport: str, text: str
) -> tuple[Page, HeldReplies, int, int]:
    """Alice on a held socket, who typed ``text`` in her chat with Bob and went on
    to her chat with Carol."""
    alice, replies, with_bob, with_carol = _alice_in_bobs_chat_on_a_held_socket(
        browser, app_url, viewport
    )
    alice.get_by_role("textbox", name="Type a message").fill(text)
    _open(alice, viewport, "Carol Cole", with_carol)
    expect(message(alice, "Got the tickets")).to_be_visible()
    return alice, replies, with_bob, with_carol


def test_what_is_typed_as_a_chat_opens_goes_to_that_chat(
    browser: Browser, app_url: str, viewport: str
) -> None:
    """The chat tapped is the one typed in, even while it is still loading: its
    composer at once, and Enter sends there, not to the chat left a moment ago."""
    alice, replies, with_bob, with_carol = _alice_in_bobs_chat_on_a_held_socket(
        browser, app_url, viewport
    )
    box = alice.get_by_role("textbox", name="Type a message")
    box.fill("Friday works, see you at")
    if viewport == "phone":
        alice.get_by_role("link", name="Back to chats").click()
        expect(_row(alice, "Carol Cole")).to_be_visible()

    replies.holding = True  # Carol's chat loads slowly
    _row(alice, "Carol Cole").get_by_role("link").click()
    expect(alice).to_have_url(re.compile(rf"/chat/{with_carol}/?$"))
    expect(box).to_have_value("")
    box.type("Hi Carol")
    box.press("Enter")
    replies.release()

    expect(message(alice, "Got the tickets")).to_be_visible()
    expect(message(alice, "Hi Carol")).to_have_count(1)
    expect(box).to_have_value("")
    _open(alice, viewport, "Bob Brown", with_bob)
    expect(message(alice, "Dinner on Friday?")).to_be_visible()
    expect(message(alice, "Hi Carol")).to_have_count(0)
    expect(box).to_have_value("Friday works, see you at")


def test_a_draft_is_there_to_finish_the_moment_its_chat_opens(
    browser: Browser, app_url: str, viewport: str
) -> None:
    """Back in a chat with a draft, the draft is in the composer at once, so what
    is typed while the chat still loads finishes it (the soak lost one so)."""
    alice, replies, with_bob, _ = _draft_left_with_bob(browser, app_url, viewport, "Friday works,")
    box = alice.get_by_role("textbox", name="Type a message")
    if viewport == "phone":
        alice.get_by_role("link", name="Back to chats").click()
    expect(_row(alice, "Bob Brown")).to_contain_text("Draft: Friday works,")

    replies.holding = True  # Bob's chat loads slowly
    _row(alice, "Bob Brown").get_by_role("link").click()
    expect(alice).to_have_url(re.compile(rf"/chat/{with_bob}/?$"))
    expect(box).to_have_value("Friday works,")
    box.press("End")
    box.type(" see you at 8")
    box.press("Enter")
    replies.release()

    expect(message(alice, "Friday works, see you at 8")).to_have_count(1)
    expect(box).to_have_value("")
    expect(message(alice, "Dinner on Friday?")).to_be_visible()


def test_text_typed_before_a_kept_draft_arrives_goes_after_it(
    browser: Browser, app_url: str, viewport: str
) -> None:
    """A draft kept earlier is not lost to text typed in its chat before it reached
    the page, even when the person leaves at once (the soak lost one so on a busy
    machine: typed after a reload, then another chat tapped)."""
    alice, replies, with_bob, with_carol = _draft_left_with_bob(
        browser, app_url, viewport, "Wait — "
    )
    box = alice.get_by_role("textbox", name="Type a message")
    alice.reload()  # a new page: it knows no draft until one arrives
    expect(message(alice, "Got the tickets")).to_be_visible()
    if viewport == "phone":
        alice.get_by_role("link", name="Back to chats").click()
    expect(_row(alice, "Bob Brown")).to_contain_text("Draft: Wait —")

    replies.holding = True  # Bob's chat, and its draft, load slowly
    _row(alice, "Bob Brown").get_by_role("link").click()
    expect(alice).to_have_url(re.compile(rf"/chat/{with_bob}/?$"))
    box.type("Also, ")
    if viewport == "phone":
        alice.get_by_role("link", name="Back to chats").click()
    _row(alice, "Carol Cole").get_by_role("link").click()
    expect(alice).to_have_url(re.compile(rf"/chat/{with_carol}/?$"))
    replies.release()

    expect(message(alice, "Got the tickets")).to_be_visible()
    _open(alice, viewport, "Bob Brown", with_bob)
    expect(box).to_have_value("Wait — Also, ")
