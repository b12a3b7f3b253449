"""axe-core finds nothing serious on sign-in, the chat list and conversations, light and dark."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from chat_app.services import groups
from tests.browser.accessibility_audit import blocking_findings, report
from tests.browser.conftest import VIEWPORTS
from tests.browser.helpers import direct_chat_saying, message, open_as, person, say

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
    alice.context.close()
