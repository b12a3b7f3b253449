"""Using the app with the keyboard alone: Tab order, Esc, Up arrow, and a visible focus ring."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.helpers import (
    HOME_URL,
    direct_chat_saying,
    message,
    message_action,
    open_as,
    person,
)

# Which part of the screen the focused element belongs to, in the words of the layout.
_FOCUSED_REGION_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return "none";
  if (el.closest(".wa-chat-list-pane")) return "list";
  if (el.closest(".wa-composer")) return el.id === "composer" ? "composer box" : "composer";
  if (el.closest(".wa-conversation")) return "conversation";
  return "elsewhere: " + el.outerHTML.slice(0, 120);
}"""
MAX_TABS = 80


def _chat_between(browser: Browser, app_url: str, viewport: str) -> tuple[Page, int]:
    """Ana signed in with a chat with Ben open; two messages from each."""
    ana_name, ana_id = person("ana", "Ana Alves")
    _, ben_id = person("ben", "Ben Brandt")
    chat_id = direct_chat_saying(
        ana_id,
        ben_id,
        [
            (ben_id, "Did you get the tickets?"),
            (ana_id, "Yes, two for Friday"),
            (ben_id, "Great"),
            (ana_id, "See you at eight"),
        ],
    )
    ana = open_as(browser, app_url, viewport, ana_name)
    ana.goto(f"/chat/{chat_id}")
    expect(message(ana, "See you at eight")).to_be_visible()
    return ana, chat_id


def _composer(page: Page):
    return page.get_by_role("textbox", name="Type a message")


def test_tab_goes_through_list_then_conversation_then_composer(
    browser: Browser, app_url: str, viewport: str
) -> None:
    ana, _ = _chat_between(browser, app_url, viewport)
    regions: list[str] = []
    for _ in range(MAX_TABS):
        ana.keyboard.press("Tab")
        region = ana.evaluate(_FOCUSED_REGION_JS)
        if not regions or regions[-1] != region:
            regions.append(region)
        if region == "composer box":
            break
    # The phone shows the open chat alone; the list is off screen and out of the order.
    expected = ["conversation", "composer", "composer box"]
    if viewport == "desktop":
        expected = ["list", *expected]
    assert regions == expected, f"focus went through {regions}"
    expect(_composer(ana)).to_be_focused()
    ana.context.close()


def test_escape_closes_dialogs_and_menus_first(
    browser: Browser, app_url: str, viewport: str
) -> None:
    ana, chat_id = _chat_between(browser, app_url, viewport)
    chat_url = re.compile(rf"/chat/{chat_id}/?$")

    message_action(ana, "See you at eight", "Edit")
    dialog = ana.get_by_role("dialog", name="Edit message")
    expect(dialog).to_be_visible()
    ana.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(ana).to_have_url(chat_url)  # that Esc closed the dialog, nothing more

    item = message(ana, "Great")
    item.hover()
    item.get_by_role("button", name="Message options").click()
    expect(ana.get_by_role("menuitem", name="Reply")).to_be_visible()
    ana.keyboard.press("Escape")
    expect(ana.get_by_role("menuitem", name="Reply")).to_be_hidden()
    expect(ana).to_have_url(chat_url)
    ana.context.close()


def test_escape_goes_back_to_the_list_on_a_phone(browser: Browser, app_url: str) -> None:
    ana, _ = _chat_between(browser, app_url, "phone")
    _composer(ana).click()
    ana.keyboard.press("Escape")
    expect(ana).to_have_url(HOME_URL)
    expect(ana.get_by_role("list", name="Chats")).to_be_visible()
    expect(ana.get_by_role("link", name="Ben Brandt")).to_be_visible()
    ana.context.close()


def test_escape_keeps_the_chat_open_beside_the_list_on_a_desktop(
    browser: Browser, app_url: str
) -> None:
    ana, chat_id = _chat_between(browser, app_url, "desktop")
    _composer(ana).click()
    ana.keyboard.press("Escape")
    ana.keyboard.type("still here")
    ana.keyboard.press("Enter")  # typed into the same chat: Esc did not close it
    expect(message(ana, "still here")).to_be_visible()
    expect(ana).to_have_url(re.compile(rf"/chat/{chat_id}/?$"))
    ana.context.close()


def test_up_arrow_in_the_empty_composer_edits_my_last_message(
    browser: Browser, app_url: str, viewport: str
) -> None:
    ana, _ = _chat_between(browser, app_url, viewport)
    box = _composer(ana)
    box.click()
    box.press("ArrowUp")
    editor = ana.get_by_role("textbox", name="Edited message")
    expect(editor).to_have_value("See you at eight")  # mine, not Ben's later "Great"
    expect(editor).to_be_focused()
    editor.fill("See you at half past eight")
    ana.get_by_role("button", name="Save").click()
    expect(message(ana, "See you at half past eight")).to_contain_text("edited")
    expect(box).to_be_focused()  # back where I was typing

    # With a draft, Up arrow moves the caret as usual and opens nothing.
    box.fill("a draft")
    box.press("ArrowUp")
    box.press("Enter")  # sent after the Up arrow was handled
    expect(message(ana, "a draft")).to_be_visible()
    expect(ana.get_by_role("dialog", name="Edit message")).to_be_hidden()
    ana.context.close()


def test_edit_chosen_from_the_message_menu_takes_the_typing(
    browser: Browser, app_url: str, viewport: str
) -> None:
    ana, _ = _chat_between(browser, app_url, viewport)
    ana.keyboard.press("Tab")
    message(ana, "See you at eight").get_by_role("button", name="Message options").focus()
    ana.keyboard.press("Enter")
    expect(ana.get_by_role("menuitem", name="Edit")).to_be_visible()
    ana.keyboard.press("e")  # the menu's type-ahead: "Edit"
    expect(ana.get_by_role("menuitem", name="Edit")).to_be_focused()
    ana.keyboard.press("Enter")
    expect(ana.get_by_role("dialog", name="Edit message")).to_be_visible()
    ana.keyboard.press("Control+End")
    ana.keyboard.type(" sharp")  # lands in the editor, not on the page behind it
    ana.keyboard.press("Tab")
    ana.keyboard.press("Tab")
    expect(ana.get_by_role("button", name="Save")).to_be_focused()
    ana.keyboard.press("Enter")
    expect(message(ana, "See you at eight sharp")).to_contain_text("edited")
    ana.context.close()


def _contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two computed ``rgb(r, g, b)`` colours."""

    def luminance(colour: str) -> float:
        channels = [int(c) / 255 for c in re.findall(r"\d+", colour)[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# The focused element's ring and the first opaque background behind it.
_RING_JS = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  let node = el.parentElement, background = "rgb(255, 255, 255)";
  while (node) {
    const colour = getComputedStyle(node).backgroundColor;
    const opaque = colour && colour !== "transparent" && !colour.endsWith(", 0)");
    if (opaque) { background = colour; break; }
    node = node.parentElement;
  }
  return {label: el.getAttribute("aria-label"), style: style.outlineStyle,
          width: parseFloat(style.outlineWidth), colour: style.outlineColor, background};
}"""


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_keyboard_focus_shows_a_ring(
    browser: Browser, app_url: str, viewport: str, theme: str
) -> None:
    name, _ = person("ana", "Ana Alves")
    ana = open_as(browser, app_url, viewport, name, color_scheme=theme)
    menu = ana.get_by_role("button", name="Menu")
    menu.focus()
    ana.keyboard.press("Shift+Tab")
    ana.keyboard.press("Tab")  # focus arriving by keyboard, as :focus-visible needs
    expect(menu).to_be_focused()
    ring = ana.evaluate(_RING_JS)
    assert ring["label"] == "Menu"
    assert ring["style"] == "solid", ring
    assert ring["width"] >= 2, ring
    assert _contrast(ring["colour"], ring["background"]) >= 3, ring
    ana.context.close()
