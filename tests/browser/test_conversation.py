"""Two people in two browsers: send, reply, react, edit, delete; who may open a chat."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, expect

from chat_app.services import direct_chats
from tests.browser.helpers import message, message_action, open_as, person, send_message


def test_two_people_talk(browser: Browser, app_url: str, viewport: str) -> None:
    alice_name, alice_id = person("alice", "Alice Adams")
    bob_name, bob_id = person("bob", "Bob Brown")
    chat_id = direct_chats.open_direct_chat(user_id=alice_id, other_user_id=bob_id)

    alice = open_as(browser, app_url, viewport, alice_name)
    alice.goto(f"/chat/{chat_id}")
    expect(alice.get_by_role("banner").get_by_text("Bob Brown")).to_be_visible()
    send_message(alice, "Hello Bob, lunch today?")
    sent = message(alice, "Hello Bob, lunch today?")
    expect(sent.get_by_label("Sent")).to_be_visible()
    expect(alice.get_by_role("textbox", name="Type a message")).to_have_value("")

    bob = open_as(browser, app_url, viewport, bob_name)
    row = bob.get_by_role("listitem").filter(has_text="Alice Adams")
    expect(row).to_contain_text("Hello Bob, lunch today?")
    expect(row.get_by_label("1 unread")).to_be_visible()
    row.get_by_role("link").click()
    expect(bob).to_have_url(re.compile(rf"/chat/{chat_id}/?$"))
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
    message_action(alice, "Oops, wrong chat", "Delete for everyone")
    expect(message(alice, "This message was deleted")).to_be_visible()

    bob.reload()
    expect(message(bob, "Hello Bob, lunch tomorrow?")).to_contain_text("edited")
    expect(message(bob, "Sure, 12:30").get_by_role("button", name="👍 1")).to_be_visible()
    expect(message(bob, "This message was deleted")).to_be_visible()
    expect(bob.get_by_text("Oops, wrong chat")).to_have_count(0)

    bob.context.close()
    alice.context.close()


def test_composer_keeps_text_the_server_refuses(
    browser: Browser, app_url: str, viewport: str
) -> None:
    alice_name, alice_id = person("alice", "Alice")
    _, bob_id = person("bob", "Bob")
    chat_id = direct_chats.open_direct_chat(user_id=alice_id, other_user_id=bob_id)
    alice = open_as(browser, app_url, viewport, alice_name)
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
