"""What a person does, step by step, as a finger or a mouse does it.

Each move leaves the screen as a person would leave it (a menu or dialog they
opened is closed again); what the move changed is for the runner to note.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from tests.browser import helpers
from tests.browser.helpers import message
from tests.soak.world import Member

CHAT_URL = re.compile(r"/chat/(\d+)/?$")
STEP_TIMEOUT_MS = 20_000
ATTACH_DIALOG = "Send photos or documents"


def composer(page: Page) -> Locator:
    return page.get_by_role("textbox", name="Type a message")


def chat_list(page: Page) -> Locator:
    return page.get_by_role("list", name="Chats")


def go_to_list(member: Member) -> None:
    """A phone shows one pane: back from a chat to the list."""
    if member.is_phone and member.chat is not None:
        member.page.get_by_role("link", name="Back to chats").click()
        expect(chat_list(member.page)).to_be_visible()


def open_chat(member: Member, chat_id: int, name: str) -> None:
    """Tap the chat's row in the list (on a phone, after going back to it)."""
    go_to_list(member)
    row = chat_list(member.page).get_by_role("link", name=name, exact=True)
    row.click()
    expect(member.page).to_have_url(re.compile(rf"/chat/{chat_id}/?$"))
    expect(composer(member.page)).to_be_visible()


def type_in_composer(page: Page, text: str) -> None:
    """Type at the end of what the composer holds (as fast as a person types)."""
    box = composer(page)
    box.click()
    box.press("End")
    page.keyboard.type(text)


def press_enter(page: Page) -> None:
    composer(page).press("Enter")


def expect_stored(page: Page, text: str, timeout_ms: int = STEP_TIMEOUT_MS) -> None:
    """The message has its tick (the server has it)."""
    ticked = message(page, text).get_by_label(re.compile(r"^(Sent|Delivered|Read)$"))
    expect(ticked).to_be_visible(timeout=timeout_ms)


def open_message_menu(member: Member, text: str) -> None:
    """A long press on a phone; the chevron beside the bubble with a mouse."""
    message(member.page, text).locator(".wa-body").scroll_into_view_if_needed()
    helpers.open_message_menu(member.page, member.device, text)


def choose(page: Page, item: str) -> None:
    page.get_by_role("menuitem", name=item, exact=True).click()
    expect(page.get_by_role("menu")).to_have_count(0)


def react(member: Member, text: str, emoji: str) -> None:
    open_message_menu(member, text)
    member.page.get_by_role("menuitem", name="React", exact=True).click()
    choose(member.page, f"React {emoji}")


def reply(member: Member, text: str, answer: str) -> None:
    open_message_menu(member, text)
    choose(member.page, "Reply")
    banner = member.page.get_by_role("button", name="Cancel reply").locator("..")
    expect(banner).to_contain_text(text)
    type_in_composer(member.page, answer)
    press_enter(member.page)


def edit(member: Member, text: str, new_text: str) -> None:
    open_message_menu(member, text)
    choose(member.page, "Edit")
    editor = member.page.get_by_role("textbox", name="Edited message")
    editor.fill(new_text)
    editor.press("Enter")
    expect(editor).to_have_count(0)


def delete_for_everyone(member: Member, text: str) -> None:
    open_message_menu(member, text)
    choose(member.page, "Delete for everyone")
    question = member.page.get_by_role("alertdialog", name="Delete message?")
    question.get_by_role("button", name="Delete for everyone").click()
    expect(question).to_have_count(0)


def copy(member: Member, text: str) -> str:
    """Copy from the menu; returns what the clipboard then holds."""
    open_message_menu(member, text)
    choose(member.page, "Copy")
    page = member.page
    held = ""
    for _ in range(50):
        held = page.evaluate("navigator.clipboard.readText()")
        if held == text:
            break
        page.wait_for_timeout(100)
    return held


def attach(member: Member, path: Path, caption: str) -> None:
    """Attach, choose the file, write a caption, Send: the dialog closes."""
    page = member.page
    page.get_by_role("button", name="Attach").click()
    dialog = page.get_by_role("dialog", name=ATTACH_DIALOG)
    expect(dialog).to_be_visible()
    page.locator("#attachments input[type=file]").set_input_files(str(path))
    expect(dialog.get_by_role("list", name="Chosen files")).to_contain_text(path.name)
    dialog.get_by_label("Caption").fill(caption)
    dialog.get_by_role("button", name="Send", exact=True).click()
    expect(dialog).to_have_count(0, timeout=STEP_TIMEOUT_MS)


def look_around(member: Member, what: str) -> None:
    """Open something and close it again, the way people do: Esc or Cancel."""
    page = member.page
    if what == "emoji":
        page.get_by_role("button", name="Emoji").click()
        pizza = page.get_by_role("button", name="🍕")
        expect(pizza).to_be_visible()
        page.keyboard.press("Escape")
        expect(pizza).to_be_hidden()
    elif what == "info":
        page.get_by_role("button", name="Chat info").click()
        info = page.get_by_role("dialog", name=re.compile("^(Contact|Group) info$"))
        expect(info).to_be_visible()
        page.keyboard.press("Escape")
        expect(info).to_have_count(0)
    elif what == "attach":
        page.get_by_role("button", name="Attach").click()
        dialog = page.get_by_role("dialog", name=ATTACH_DIALOG)
        expect(dialog).to_be_visible()
        dialog.get_by_role("button", name="Cancel").click()
        expect(dialog).to_have_count(0)
    elif what == "menu":
        page.get_by_role("button", name="Menu").first.click()
        expect(page.get_by_role("menu")).to_be_visible()
        page.keyboard.press("Escape")
        expect(page.get_by_role("menu")).to_have_count(0)
    else:
        raise ValueError(what)


def start_direct_chat(member: Member, name: str) -> int:
    """New chat → search → tap the person: their chat opens."""
    page = member.page
    go_to_list(member)
    before = page.url
    page.get_by_role("button", name="New chat").click()
    dialog = page.get_by_role("dialog", name="New chat")
    dialog.get_by_label("Search people").fill(name)
    dialog.get_by_role("button", name=name).click()
    return _new_chat_opened(page, before)


def _new_chat_opened(page: Page, before: str) -> int:
    page.wait_for_url(lambda url: url != before and CHAT_URL.search(url) is not None)
    found = CHAT_URL.search(page.url)
    assert found is not None
    expect(composer(page)).to_be_visible()
    return int(found.group(1))


def create_group(member: Member, title: str, others: list[str]) -> int:
    """New chat → New group → pick people → name it → Create group."""
    page = member.page
    go_to_list(member)
    before = page.url
    page.get_by_role("button", name="New chat").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="New group").click()
    for name in others:
        dialog.get_by_label("Search people").fill(name)
        pick = dialog.get_by_role("checkbox", name=name)
        pick.click()
        expect(pick).to_be_checked()
    dialog.get_by_role("button", name="Next").click()
    dialog.get_by_label("Group name").fill(title)
    dialog.get_by_role("button", name="Create group").click()
    return _new_chat_opened(page, before)


def _group_info(page: Page) -> Locator:
    page.get_by_role("button", name="Chat info").click()
    info = page.get_by_role("dialog", name="Group info")
    expect(info).to_be_visible()
    return info


def add_to_group(member: Member, name: str) -> None:
    page = member.page
    info = _group_info(page)
    info.get_by_role("button", name="Add members").click()
    info.get_by_label("Search people to add").fill(name)
    pick = info.get_by_role("checkbox", name=name)
    pick.click()
    expect(pick).to_be_checked()
    info.get_by_role("button", name="Add to group").click()
    members = info.get_by_role("list", name="Members")
    expect(members.get_by_role("listitem", name=name)).to_be_visible()
    page.keyboard.press("Escape")
    expect(info).to_have_count(0)


def remove_from_group(member: Member, name: str) -> None:
    page = member.page
    info = _group_info(page)
    info.get_by_role("button", name=f"Remove {name} from the group").click()
    question = page.get_by_role("alertdialog")
    question.get_by_role("button", name="Remove").click()
    # Until the question is gone the panel behind it is hidden from the reader.
    expect(question).to_have_count(0)
    members = info.get_by_role("list", name="Members")
    expect(members.get_by_role("listitem", name=name)).to_have_count(0)
    page.keyboard.press("Escape")
    expect(info).to_have_count(0)
