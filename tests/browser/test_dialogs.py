"""New chat, chat info and profile, as a person uses them, on a phone and on a desktop."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import person_context
from tests.browser.helpers import expect_shell, sign_up, unique_username

CHAT_URL = re.compile(r"/chat/\d+/?$")


@pytest.fixture
def other_page(browser: Browser, viewport: str, app_url: str) -> Page:
    """A second person, in a browser context of their own (their own localStorage)."""
    return person_context(browser, app_url, viewport).new_page()


def _sign_up_pair(page: Page, other_page: Page, viewport: str) -> tuple[str, str]:
    """Sign up B (in its own context) and A (in ``page``); returns their display names."""
    suffix = unique_username("")[-6:]
    a_name, b_name = f"Ann {suffix}", f"Bea {suffix}"
    sign_up(other_page, unique_username("bea"), b_name)
    expect_shell(other_page, viewport)
    sign_up(page, unique_username("ann"), a_name)
    expect_shell(page, viewport)
    return a_name, b_name


def _open_new_chat(page: Page) -> None:
    page.get_by_role("button", name="New chat").click()
    expect(page.get_by_role("dialog", name="New chat")).to_be_visible()


def _header(page: Page):
    return page.get_by_role("banner")


def test_new_chat_opens_a_direct_chat_found_by_name(
    page: Page, other_page: Page, viewport: str
) -> None:
    _, b_name = _sign_up_pair(page, other_page, viewport)

    _open_new_chat(page)
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    _open_new_chat(page)
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text("Type the first letters")).to_be_visible()
    dialog.get_by_label("Search people").fill("zzqx no such person")
    expect(dialog.get_by_text("No one matches that")).to_be_visible()
    dialog.get_by_label("Search people").fill(b_name[:6])
    dialog.get_by_role("button", name=b_name).click()

    expect(page).to_have_url(CHAT_URL)
    expect(page.get_by_role("dialog")).to_be_hidden()
    expect(_header(page).get_by_text(b_name)).to_be_visible()

    page.get_by_role("button", name="Chat info").click()
    info = page.get_by_role("dialog", name="Contact info")
    expect(info.get_by_role("heading", name=b_name)).to_be_visible()
    expect(info.get_by_text("No about yet.")).to_be_visible()
    page.keyboard.press("Escape")
    expect(info).to_be_hidden()


def test_group_is_created_renamed_and_left(page: Page, other_page: Page, viewport: str) -> None:
    _, b_name = _sign_up_pair(page, other_page, viewport)

    _open_new_chat(page)
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="New group").click()
    expect(page.get_by_role("dialog", name="Add group members")).to_be_visible()
    dialog.get_by_role("button", name="Back").click()
    expect(page.get_by_role("dialog", name="New chat")).to_be_visible()
    dialog.get_by_role("button", name="New group").click()
    dialog.get_by_role("button", name="Next").click()
    expect(dialog.get_by_text("Pick at least one person")).to_be_visible()

    dialog.get_by_label("Search people").fill(b_name[:5])
    pick = dialog.get_by_role("checkbox", name=b_name)
    pick.click()  # the server confirms the pick, so wait for it rather than assume it
    expect(pick).to_be_checked()
    expect(dialog.get_by_role("button", name=f"Remove {b_name}")).to_be_visible()
    dialog.get_by_role("button", name="Next").click()

    expect(page.get_by_role("dialog", name="New group")).to_be_visible()
    dialog.get_by_role("button", name="Create group").click()
    expect(dialog.get_by_text("Give the group a name.")).to_be_visible()
    dialog.get_by_label("Group name").fill("Hiking crew")
    dialog.get_by_role("button", name="Create group").click()

    expect(page).to_have_url(CHAT_URL)
    expect(_header(page).get_by_text("Hiking crew")).to_be_visible()
    messages = page.get_by_role("list", name="Messages")
    expect(messages.get_by_text('You created group "Hiking crew"')).to_be_visible()

    page.get_by_role("button", name="Chat info").click()
    info = page.get_by_role("dialog", name="Group info")
    members = info.get_by_role("list", name="Members")
    expect(members.get_by_role("listitem")).to_have_count(2)
    expect(members.get_by_role("listitem", name="You").get_by_text("Admin")).to_be_visible()
    expect(info.get_by_role("button", name=f"Make {b_name} an admin")).to_be_visible()

    info.get_by_role("button", name="Edit group name").click()
    info.get_by_label("Group name", exact=True).fill("Summit crew")
    info.get_by_role("button", name="Save").click()
    expect(info.get_by_role("heading", name="Summit crew")).to_be_visible()
    page.keyboard.press("Escape")
    expect(info).to_be_hidden()
    expect(_header(page).get_by_text("Summit crew")).to_be_visible()
    expect(messages.get_by_text('You renamed the group to "Summit crew"')).to_be_visible()

    # B, a plain member, sees the group but none of the admin actions.
    other_page.goto(page.url)
    expect(_header(other_page).get_by_text("Summit crew")).to_be_visible()
    other_page.get_by_role("button", name="Chat info").click()
    b_info = other_page.get_by_role("dialog", name="Group info")
    expect(b_info.get_by_role("list", name="Members").get_by_role("listitem")).to_have_count(2)
    expect(b_info.get_by_role("button", name="Leave group")).to_be_visible()
    for admin_only in ("Edit group name", "Add members", "Make", "Remove"):
        expect(b_info.get_by_role("button", name=admin_only)).to_have_count(0)

    page.get_by_role("button", name="Chat info").click()
    b_row = members.get_by_role("listitem", name=b_name)
    info.get_by_role("button", name=f"Make {b_name} an admin").click()
    expect(b_row.get_by_text("Admin")).to_be_visible()
    info.get_by_role("button", name=f"Remove {b_name} from the group").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Remove").click()
    expect(members.get_by_role("listitem")).to_have_count(1)
    page.keyboard.press("Escape")
    expect(messages.get_by_text(f"You removed {b_name}")).to_be_visible()

    page.get_by_role("button", name="Chat info").click()
    info.get_by_role("button", name="Add members").click()
    info.get_by_label("Search people to add").fill(b_name[:5])
    pick = info.get_by_role("checkbox", name=b_name)
    pick.click()
    expect(pick).to_be_checked()
    info.get_by_role("button", name="Add to group").click()
    expect(members.get_by_role("listitem")).to_have_count(2)

    info.get_by_role("button", name="Leave group").click()
    info.get_by_role("button", name="Leave", exact=True).click()
    # As in WhatsApp the group stays open, read-only (tests/browser/test_removed_member.py).
    expect(info).to_be_hidden()
    expect(page.get_by_text("You're no longer a participant in this group.")).to_be_visible()
    expect(messages.get_by_text("You left")).to_be_visible()
    expect(page).to_have_url(CHAT_URL)


def test_profile_name_and_theme(page: Page, viewport: str) -> None:
    sign_up(page, unique_username("cy"), "Cy Young")
    expect_shell(page, viewport)

    if viewport == "desktop":
        expect(page.get_by_role("button", name="Your profile")).to_have_text("CY")
        page.get_by_role("button", name="Your profile").click()
    else:
        page.get_by_role("button", name="Menu").click()
        page.get_by_role("menuitem", name="Profile").click()
    panel = page.get_by_role("dialog", name="Profile")
    expect(panel.get_by_label("Your name")).to_have_value("Cy Young")

    panel.get_by_label("Your name").fill("   ")
    panel.get_by_role("button", name="Save").click()
    expect(panel.locator("#profile-display_name-error")).to_have_text(
        "Enter the name people will see."
    )
    expect(panel.get_by_label("Your name")).to_have_attribute("aria-invalid", "true")

    panel.get_by_label("Your name").fill("Dee Marsh")
    panel.get_by_label("About").fill("Out hiking")
    panel.get_by_role("button", name="Save").click()
    expect(panel.get_by_role("status")).to_have_text("Saved.")
    expect(panel.get_by_role("img", name="Your profile picture")).to_have_text("DM")

    panel.get_by_role("radio", name="Dark").click()
    expect(panel.get_by_role("radio", name="Dark")).to_be_checked()
    expect(page.locator("html")).to_have_class(re.compile(r"\bdark\b"))
    panel.get_by_role("radio", name="Light").click()
    expect(page.locator("html")).not_to_have_class(re.compile(r"\bdark\b"))

    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    if viewport == "desktop":
        expect(page.get_by_role("button", name="Your profile")).to_have_text("DM")

    page.reload()  # the new name and about were saved, not just shown
    if viewport == "desktop":
        expect(page.get_by_role("button", name="Your profile")).to_have_text("DM")
        page.get_by_role("button", name="Your profile").click()
    else:
        page.get_by_role("button", name="Menu").click()
        page.get_by_role("menuitem", name="Profile").click()
    expect(panel.get_by_label("About")).to_have_value("Out hiking")
    expect(panel.get_by_role("radio", name="Light")).to_be_checked()
