"""Two people in two browsers: send, reply, react, edit, delete; who may open a chat."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from chat_app.services import direct_chats, history
from tests.browser.helpers import (
    HeldReplies,
    alice_and_bob,
    delete_for_everyone,
    message,
    message_action,
    open_as,
    person,
    say,
    send_message,
)


def test_two_people_talk(browser: Browser, app_url: str, viewport: str) -> None:
    pair = alice_and_bob()

    alice = open_as(browser, app_url, viewport, pair.alice)
    alice.goto(f"/chat/{pair.chat_id}")
    expect(alice.get_by_role("banner").get_by_text("Bob Brown")).to_be_visible()
    send_message(alice, "Hello Bob, lunch today?")
    sent = message(alice, "Hello Bob, lunch today?")
    expect(sent.get_by_label("Sent")).to_be_visible()
    expect(alice.get_by_role("textbox", name="Type a message")).to_have_value("")

    bob = open_as(browser, app_url, viewport, pair.bob)
    row = bob.get_by_role("listitem").filter(has_text="Alice Adams")
    expect(row).to_contain_text("Hello Bob, lunch today?")
    expect(row.get_by_label("1 unread")).to_be_visible()
    row.get_by_role("link").click()
    expect(bob).to_have_url(re.compile(rf"/chat/{pair.chat_id}/?$"))
    expect(bob.get_by_text("1 unread message")).to_be_visible()
    message_action(bob, "Hello Bob, lunch today?", "Reply")
    send_message(bob, "Sure, 12:30 at the usual place")
    reply = message(bob, "Sure, 12:30 at the usual place")
    expect(reply.get_by_role("button", name="Show the quoted message")).to_contain_text(
        "Hello Bob, lunch today?"
    )

    alice.reload()  # what happened is stored: a reload shows it too
    expect(message(alice, "Sure, 12:30")).to_be_visible()
    expect(message(alice, "Hello Bob, lunch today?").get_by_label("Read")).to_be_visible()

    message_action(alice, "Sure, 12:30", "React")
    alice.get_by_role("menuitem", name="React 👍").click()
    expect(message(alice, "Sure, 12:30").get_by_role("button", name="👍 1")).to_be_visible()

    message_action(alice, "Hello Bob, lunch today?", "Edit")
    editor = alice.get_by_role("textbox", name="Edited message")
    editor.fill("Hello Bob, lunch tomorrow?")
    alice.get_by_role("button", name="Save").click()
    edited = message(alice, "Hello Bob, lunch tomorrow?")
    expect(edited).to_contain_text("edited")

    send_message(alice, "Oops, wrong chat")
    delete_for_everyone(alice, "Oops, wrong chat")
    expect(message(alice, "This message was deleted")).to_be_visible()

    bob.reload()
    expect(message(bob, "Hello Bob, lunch tomorrow?")).to_contain_text("edited")
    expect(message(bob, "Sure, 12:30").get_by_role("button", name="👍 1")).to_be_visible()
    expect(message(bob, "This message was deleted")).to_be_visible()
    expect(bob.get_by_text("Oops, wrong chat")).to_have_count(0)

    bob.context.close()
    alice.context.close()


def _alice_with_a_chat(browser: Browser, app_url: str, viewport: str) -> tuple[Page, int, int]:
    """Alice, signed in on the chat list, and her direct chat with Bob: (page, her id, chat id)."""
    alice_name, alice_id = person("alice", "Alice")
    _, bob_id = person("bob", "Bob")
    chat_id = direct_chats.open_direct_chat(user_id=alice_id, other_user_id=bob_id)
    return open_as(browser, app_url, viewport, alice_name), alice_id, chat_id


def test_composer_keeps_text_the_server_refuses(
    browser: Browser, app_url: str, viewport: str
) -> None:
    alice, _, chat_id = _alice_with_a_chat(browser, app_url, viewport)
    alice.goto(f"/chat/{chat_id}")

    too_long = "x" * 4097
    send_message(alice, too_long)
    expect(alice.get_by_role("alert")).to_contain_text("at most 4,096 characters")
    expect(alice.get_by_role("textbox", name="Type a message")).to_have_value(too_long)

    box = alice.get_by_role("textbox", name="Type a message")
    box.fill("first line")
    box.press("Shift+Enter")
    box.type("second line")
    box.press("Enter")
    expect(message(alice, "first line")).to_contain_text("second line")
    alice.context.close()


def test_sending_too_fast_holds_the_message_until_it_may_go(
    browser: Browser, app_url: str, viewport: str
) -> None:
    alice, alice_id, chat_id = _alice_with_a_chat(browser, app_url, viewport)
    for number in range(20):  # as fast as the app's default burst allows
        say(chat_id, alice_id, f"quick {number}")
    alice.goto(f"/chat/{chat_id}")
    expect(message(alice, "quick 19")).to_be_visible()

    send_message(alice, "and one more")

    alert = alice.get_by_role("alert")
    expect(alert).to_contain_text("You're sending messages too fast. Try again in")
    expect(alert).to_have_text(re.compile(r"Try again in \d+ seconds?\.$"))
    expect(alice.get_by_role("textbox", name="Type a message")).to_have_value("")
    expect(message(alice, "and one more").get_by_label("Pending")).to_be_visible()
    # It goes by itself once the limit allows (the burst window is 10 s), once.
    expect(message(alice, "and one more").get_by_label("Sent")).to_be_visible(timeout=30_000)
    expect(message(alice, "and one more")).to_have_count(1)
    expect(alert).to_have_count(0)
    alice.context.close()


def test_a_late_reply_to_a_send_does_not_wipe_the_next_message(
    browser: Browser, app_url: str, viewport: str
) -> None:
    alice, alice_id, chat_id = _alice_with_a_chat(browser, app_url, viewport)
    replies = HeldReplies(alice)
    alice.goto(f"/chat/{chat_id}")  # a new page load: its socket goes through the route
    box = alice.get_by_role("textbox", name="Type a message")
    expect(box).to_be_visible()

    replies.holding = True
    send_message(alice, "Are you coming?")
    for _ in range(100):
        if history.load_newer(user_id=alice_id, chat_id=chat_id, after_id=0):
            break
        alice.wait_for_timeout(100)
    else:
        raise AssertionError("the send never reached the server")
    box.fill("I'll bring the cake")  # typed before the reply to the first send arrives
    replies.release()

    expect(message(alice, "Are you coming?")).to_be_visible()
    alice.wait_for_timeout(500)  # the reply's own follow-ups run after it renders
    expect(box).to_have_value("I'll bring the cake")
    box.press("Enter")
    expect(message(alice, "I'll bring the cake")).to_be_visible()
    expect(box).to_have_value("")
    alice.context.close()


def test_a_stranger_cannot_open_a_chat_by_its_url(
    browser: Browser, app_url: str, viewport: str
) -> None:
    _, alice_id = person("alice", "Alice")
    _, bob_id = person("bob", "Bob")
    carol_name, _ = person("carol", "Carol")
    chat_id = direct_chats.open_direct_chat(user_id=alice_id, other_user_id=bob_id)

    carol = open_as(browser, app_url, viewport, carol_name)
    carol.goto(f"/chat/{chat_id}")
    expect(carol.get_by_text("This chat does not exist or you are not in it.")).to_be_visible()
    expect(carol.get_by_role("textbox", name="Type a message")).to_have_count(0)
    carol.context.close()


def test_back_returns_to_the_list(browser: Browser, app_url: str, viewport: str) -> None:
    alice_name, alice_id = person("alice", "Alice")
    _, bob_id = person("bob", "Bob Back")
    chat_id = direct_chats.open_direct_chat(user_id=alice_id, other_user_id=bob_id)
    alice = open_as(browser, app_url, viewport, alice_name)
    alice.get_by_role("listitem").filter(has_text="Bob Back").get_by_role("link").click()
    expect(alice).to_have_url(re.compile(rf"/chat/{chat_id}/?$"))
    alice.go_back()
    expect(alice).to_have_url(re.compile(r"^https?://[^/]+/?$"))
    expect(alice.get_by_role("list", name="Chats")).to_be_visible()
    alice.context.close()
