"""axe-core finds nothing serious on sign-in, the chat list and conversations, light and dark."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from chat_app.services import chat_list, groups
from tests.browser.accessibility_audit import blocking_findings, report
from tests.browser.conftest import VIEWPORTS
from tests.browser.helpers import (
    direct_chat_saying,
    message,
    message_action,
    open_as,
    person,
    say,
)

THEMES = ["light", "dark"]


def assert_no_blocking_findings(page: Page, where: str) -> None:
    findings = blocking_findings(page)
    assert not findings, f"axe on {where}:\n{report(findings)}"


@pytest.mark.parametrize("theme", THEMES)
def test_sign_in_page(browser: Browser, app_url: str, viewport: str, theme: str) -> None:
    context = browser.new_context(
        viewport=VIEWPORTS[viewport], base_url=app_url, color_scheme=theme
    )
    page = context.new_page()
    page.goto("/signin")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    assert_no_blocking_findings(page, f"sign-in ({viewport}, {theme})")
    page.get_by_role("button", name="Sign in").click()  # the errors shown next to empty fields
    expect(page.locator("[aria-invalid=true]").first).to_be_visible()
    assert_no_blocking_findings(page, f"sign-in with errors ({viewport}, {theme})")
    context.close()


@pytest.mark.parametrize("theme", THEMES)
def test_chat_list_and_conversations(
    browser: Browser, app_url: str, viewport: str, theme: str
) -> None:
    alice_name, alice_id = person("alice", "Alice Adams")
    _, bob_id = person("bob", "Bob Brown")
    _, carol_id = person("carol", "Carol Chen")
    group = groups.create_group(
        user_id=alice_id, title="Hiking club", member_ids=[bob_id, carol_id]
    )
    lunch = [
        (bob_id, "Are we still on for lunch?"),
        (alice_id, "Yes, 12:30 at the usual place"),
        (bob_id, "Great, see you there"),
    ]
    direct = direct_chat_saying(alice_id, bob_id, lunch)
    say(group, carol_id, "Who brings the map?")
    say(group, bob_id, "I will")

    alice = open_as(browser, app_url, viewport, alice_name, color_scheme=theme)
    expect(alice.get_by_role("listitem").filter(has_text="Hiking club")).to_be_visible()
    assert_no_blocking_findings(alice, f"chat list ({viewport}, {theme})")

    alice.get_by_role("button", name="New chat").click()
    expect(alice.get_by_role("dialog")).to_be_visible()
    assert_no_blocking_findings(alice, f"new chat dialog ({viewport}, {theme})")
    alice.keyboard.press("Escape")
    expect(alice.get_by_role("dialog")).to_be_hidden()

    alice.get_by_role("link", name="Bob Brown", exact=True).click()
    expect(alice).to_have_url(re.compile(rf"/chat/{direct}/?$"))
    expect(message(alice, "Great, see you there")).to_be_visible()
    assert_no_blocking_findings(alice, f"direct conversation ({viewport}, {theme})")

    alice.goto(f"/chat/{group}")
    expect(message(alice, "I will")).to_be_visible()
    assert_no_blocking_findings(alice, f"group conversation ({viewport}, {theme})")

    alice.get_by_role("button", name="Chat info").click()
    expect(alice.get_by_role("dialog")).to_contain_text("Carol Chen")
    assert_no_blocking_findings(alice, f"group info panel ({viewport}, {theme})")
    alice.get_by_role("button", name="Add members").click()
    expect(alice.get_by_role("button", name="Add to group")).to_be_visible()
    assert_no_blocking_findings(alice, f"adding group members ({viewport}, {theme})")
    alice.context.close()


@pytest.mark.parametrize("theme", THEMES)
def test_profile_attachments_archive_and_unknown_address(
    browser: Browser, app_url: str, viewport: str, theme: str
) -> None:
    alice_name, alice_id = person("alice", "Alice Adams")
    _, bob_id = person("bob", "Bob Brown")
    _, carol_id = person("carol", "Carol Chen")
    direct = direct_chat_saying(
        alice_id, bob_id, [(bob_id, "Here are the photos"), (alice_id, "Thanks, lovely")]
    )
    archived = direct_chat_saying(alice_id, carol_id, [(carol_id, "Old news")])
    chat_list.set_chat_flags(user_id=alice_id, chat_id=archived, archived=True)
    alice = open_as(browser, app_url, viewport, alice_name, color_scheme=theme)

    alice.get_by_role("button", name="Menu").click()
    alice.get_by_role("menuitem", name="Profile").click()
    expect(alice.get_by_role("switch", name="Message notifications")).to_be_visible()
    assert_no_blocking_findings(alice, f"profile panel ({viewport}, {theme})")
    alice.keyboard.press("Escape")
    expect(alice.get_by_role("dialog")).to_be_hidden()

    alice.get_by_role("button", name=re.compile(r"^Archived")).click()
    expect(alice.get_by_role("listitem").filter(has_text="Carol Chen")).to_be_visible()
    assert_no_blocking_findings(alice, f"archived chats ({viewport}, {theme})")

    alice.goto(f"/chat/{direct}")
    expect(message(alice, "Here are the photos")).to_be_visible()
    alice.get_by_role("button", name="Attach").click()
    expect(alice.get_by_role("dialog")).to_be_visible()
    assert_no_blocking_findings(alice, f"attach dialog ({viewport}, {theme})")
    alice.keyboard.press("Escape")
    expect(alice.get_by_role("dialog")).to_be_hidden()
    message_action(alice, "Thanks, lovely", "Edit")
    expect(alice.get_by_role("dialog", name="Edit message")).to_be_visible()
    assert_no_blocking_findings(alice, f"edit dialog ({viewport}, {theme})")
    alice.keyboard.press("Escape")

    alice.goto("/no/such/page")
    expect(alice.get_by_role("heading", name="Page not found")).to_be_visible()
    assert_no_blocking_findings(alice, f"unknown address ({viewport}, {theme})")
    alice.context.close()


# Each batch of message rows put into the list, with the list's live setting as
# assistive technology reads it: once the change is made, in the same task.
WATCH_LIVE_REGION = """() => {
  const list = document.querySelector('[role="list"][aria-label="Messages"]');
  window.__liveBatches = [];
  new MutationObserver((records) => {
    const rows = records
      .flatMap((record) => [...record.addedNodes])
      .filter((node) => node.nodeType === 1 && node.getAttribute("role") === "listitem");
    if (rows.length === 0) return;
    window.__liveBatches.push({
      live: list.getAttribute("aria-live"),
      texts: rows.map((row) => row.textContent),
    });
  }).observe(list, { childList: true, subtree: true });
}"""


def test_the_live_region_reads_new_messages_not_older_history(
    browser: Browser, app_url: str, viewport: str
) -> None:
    alice_name, alice_id = person("alice", "Alice Adams")
    _, bob_id = person("bob", "Bob Brown")
    history = [(bob_id, f"Old message {number:02d}") for number in range(1, 61)]
    chat_id = direct_chat_saying(alice_id, bob_id, history)
    alice = open_as(browser, app_url, viewport, alice_name)
    alice.goto(f"/chat/{chat_id}")
    expect(message(alice, "Old message 60")).to_be_visible()
    messages = alice.get_by_role("list", name="Messages")
    expect(messages).to_have_attribute("aria-live", "polite")  # the opening rows went in quietly
    alice.evaluate(WATCH_LIVE_REGION)

    alice.get_by_role("button", name="Load earlier messages").click()
    expect(message(alice, "Old message 01")).to_be_attached()
    expect(messages).to_have_attribute("aria-live", "polite")
    say(chat_id, bob_id, "Fresh news")
    expect(message(alice, "Fresh news")).to_be_visible()

    batches = alice.evaluate("window.__liveBatches")
    older = [batch for batch in batches if any("Old message" in text for text in batch["texts"])]
    fresh = [batch for batch in batches if any("Fresh news" in text for text in batch["texts"])]
    assert older, "the older messages were never added"
    # Rows are keyed by message: the older ones are inserted, the rest left alone.
    inserted = [re.search(r"Old message \d\d", text) for batch in older for text in batch["texts"]]
    assert sorted(match.group() for match in inserted if match) == [
        f"Old message {number:02d}" for number in range(1, 11)
    ], f"rows rewritten rather than inserted: {older}"
    assert {batch["live"] for batch in older} == {"off"}, f"older history announced: {older}"
    assert [batch["live"] for batch in fresh] == ["polite"], f"new message: {fresh}"
    alice.context.close()
