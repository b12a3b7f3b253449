"""Two people in two browsers: send, reply, react, edit, delete; who may open a chat."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from chat_app.services import auth, direct_chats
from tests.browser.conftest import VIEWPORTS
from tests.browser.helpers import PASSWORD, sign_in, unique_username


def _person(prefix: str, name: str) -> tuple[str, int]:
    username = unique_username(prefix)
    signed = auth.sign_up(username=username, display_name=name, password=PASSWORD)
    return username, signed.user.id


def _open_as(browser: Browser, app_url: str, viewport: str, username: str) -> Page:
    context = browser.new_context(viewport=VIEWPORTS[viewport], base_url=app_url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    sign_in(page, username)
    expect(page.get_by_role("list", name="Chats")).to_be_visible()
    return page


def _message(page: Page, text: str):
    """The message whose own text (not a quote of it) contains ``text``."""
    items = page.get_by_role("list", name="Messages").get_by_role("listitem")
    return items.filter(has=page.locator(".wa-body", has_text=text))


def _send(page: Page, text: str) -> None:
    box = page.get_by_role("textbox", name="Type a message")
    box.fill(text)
    box.press("Enter")


def _message_action(page: Page, text: str, action: str) -> None:
    item = _message(page, text)
    item.hover()
    item.get_by_role("button", name="Message options").click()
    page.get_by_role("menuitem", name=action).click()


def test_two_people_talk(browser: Browser, app_url: str, viewport: str) -> None:
    alice_name, alice_id = _person("alice", "Alice Adams")
    bob_name, bob_id = _person("bob", "Bob Brown")
    chat_id = direct_chats.open_direct_chat(user_id=alice_id, other_user_id=bob_id)

    alice = _open_as(browser, app_url, viewport, alice_name)
    alice.goto(f"/chat/{chat_id}")
    expect(alice.get_by_role("banner").get_by_text("Bob Brown")).to_be_visible()
    _send(alice, "Hello Bob, lunch today?")
    sent = _message(alice, "Hello Bob, lunch today?")
    expect(sent.get_by_label("Sent")).to_be_visible()
    expect(alice.get_by_role("textbox", name="Type a message")).to_have_value("")

    bob = _open_as(browser, app_url, viewport, bob_name)
    row = bob.get_by_role("listitem").filter(has_text="Alice Adams")
    expect(row).to_contain_text("Hello Bob, lunch today?")
    expect(row.get_by_label("1 unread")).to_be_visible()
    row.get_by_role("link").click()
    expect(bob).to_have_url(re.compile(rf"/chat/{chat_id}/?$"))
    expect(bob.get_by_text("1 unread message")).to_be_visible()
    _message_action(bob, "Hello Bob, lunch today?", "Reply")
    _send(bob, "Sure, 12:30 at the usual place")
    reply = _message(bob, "Sure, 12:30 at the usual place")
    expect(reply.get_by_role("button", name="Show the quoted message")).to_contain_text(
        "Hello Bob, lunch today?"
    )

    alice.reload()  # no realtime yet: reopening shows what happened meanwhile
    expect(_message(alice, "Sure, 12:30")).to_be_visible()
    expect(_message(alice, "Hello Bob, lunch today?").get_by_label("Read")).to_be_visible()

    _message_action(alice, "Sure, 12:30", "React")
    alice.get_by_role("menuitem", name="React 👍").click()
    expect(_message(alice, "Sure, 12:30").get_by_role("button", name="👍 1")).to_be_visible()

    _message_action(alice, "Hello Bob, lunch today?", "Edit")
    editor = alice.get_by_role("textbox", name="Edited message")
    editor.fill("Hello Bob, lunch tomorrow?")
    alice.get_by_role("button", name="Save").click()
    edited = _message(alice, "Hello Bob, lunch tomorrow?")
    expect(edited).to_contain_text("edited")

    _send(alice, "Oops, wrong chat")
    _message_action(alice, "Oops, wrong chat", "Delete for everyone")
    expect(_message(alice, "This message was deleted")).to_be_visible()

    bob.reload()
    expect(_message(bob, "Hello Bob, lunch tomorrow?")).to_contain_text("edited")
    expect(_message(bob, "Sure, 12:30").get_by_role("button", name="👍 1")).to_be_visible()
    expect(_message(bob, "This message was deleted")).to_be_visible()
    expect(bob.get_by_text("Oops, wrong chat")).to_have_count(0)

    bob.context.close()
    alice.context.close()


def test_composer_keeps_text_the_server_refuses(
    browser: Browser, app_url: str, viewport: str
) -> None:
    alice_name, alice_id = _person("alice", "Alice")
    _, bob_id = _person("bob", "Bob")
    chat_id = direct_chats.open_direct_chat(user_id=alice_id, other_user_id=bob_id)
    alice = _open_as(browser, app_url, viewport, alice_name)
    alice.goto(f"/chat/{chat_id}")

    too_long = "x" * 4097
    _send(alice, too_long)
    expect(alice.get_by_role("alert")).to_contain_text("at most 4,096 characters")
    expect(alice.get_by_role("textbox", name="Type a message")).to_have_value(too_long)

    box = alice.get_by_role("textbox", name="Type a message")
    box.fill("first line")
    box.press("Shift+Enter")
    box.type("second line")
    box.press("Enter")
    expect(_message(alice, "first line")).to_contain_text("second line")
    alice.context.close()


def test_a_stranger_cannot_open_a_chat_by_its_url(
    browser: Browser, app_url: str, viewport: str
) -> None:
    _, alice_id = _person("alice", "Alice")
    _, bob_id = _person("bob", "Bob")
    carol_name, _ = _person("carol", "Carol")
    chat_id = direct_chats.open_direct_chat(user_id=alice_id, other_user_id=bob_id)

    carol = _open_as(browser, app_url, viewport, carol_name)
    carol.goto(f"/chat/{chat_id}")
    expect(carol.get_by_text("This chat does not exist or you are not in it.")).to_be_visible()
    expect(carol.get_by_role("textbox", name="Type a message")).to_have_count(0)
    carol.context.close()


def test_back_returns_to_the_list(browser: Browser, app_url: str, viewport: str) -> None:
    alice_name, alice_id = _person("alice", "Alice")
    _, bob_id = _person("bob", "Bob Back")
    chat_id = direct_chats.open_direct_chat(user_id=alice_id, other_user_id=bob_id)
    alice = _open_as(browser, app_url, viewport, alice_name)
    alice.get_by_role("listitem").filter(has_text="Bob Back").get_by_role("link").click()
    expect(alice).to_have_url(re.compile(rf"/chat/{chat_id}/?$"))
    alice.go_back()
    expect(alice).to_have_url(re.compile(r"^https?://[^/]+/?$"))
    expect(alice.get_by_role("list", name="Chats")).to_be_visible()
    alice.context.close()
