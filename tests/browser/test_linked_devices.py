"""Linked devices: where I am signed in, and logging another device out from here."""

from __future__ import annotations

import contextlib

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect
from playwright.sync_api import Error as PlaywrightError

from chat_app.services import sessions
from tests.browser.conftest import person_context
from tests.browser.helpers import SIGN_IN_URL, open_profile, person, sign_in

PHONE_CHROME = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)
WINDOWS_FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0"


@pytest.fixture
def two_browsers(
    browser: Browser, app_url: str, viewport: str
) -> tuple[BrowserContext, BrowserContext]:
    phone, laptop = (
        person_context(browser, app_url, viewport, user_agent=agent)
        for agent in (PHONE_CHROME, WINDOWS_FIREFOX)
    )
    return phone, laptop


def _signed_in(context: BrowserContext, username: str) -> Page:
    page = context.new_page()
    sign_in(page, username)
    expect(page.get_by_role("list", name="Chats")).to_be_visible()
    return page


def _same_person_twice(
    two_browsers: tuple[BrowserContext, BrowserContext], prefix: str, name: str
) -> tuple[Page, Page]:
    """One person signed in on a phone and on a laptop (and nowhere else)."""
    username, user_id = person(prefix, name)
    sessions.revoke_others(user_id=user_id, current_session_id=0)  # the sign-up's own
    phone_context, laptop_context = two_browsers
    return _signed_in(phone_context, username), _signed_in(laptop_context, username)


def _lands_on_sign_in(page: Page) -> None:
    """The logged-out device's next action meets the ended session and goes to sign-in
    (its realtime socket, closed with 4401 within seconds, may send it there first)."""
    search = page.get_by_role("textbox", name="Search chats")
    with contextlib.suppress(PlaywrightError):
        search.fill("x", timeout=3_000)
    expect(page).to_have_url(SIGN_IN_URL)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    page.reload()  # the token is gone from the browser too
    expect(page).to_have_url(SIGN_IN_URL)


def _devices(panel: Locator) -> Locator:
    return panel.get_by_role("list", name="Linked devices").get_by_role("listitem")


def test_log_out_another_device_from_linked_devices(
    two_browsers: tuple[BrowserContext, BrowserContext], viewport: str
) -> None:
    phone, laptop = _same_person_twice(two_browsers, "gina", "Gina Green")

    panel = open_profile(phone, viewport)
    devices = _devices(panel)
    expect(devices).to_have_count(2)
    this_one = devices.filter(has_text="This device")
    expect(this_one).to_have_count(1)
    expect(this_one).to_contain_text("Chrome on Android")
    expect(this_one.get_by_role("button", name="Log out")).to_have_count(0)
    other = devices.filter(has_text="Firefox on Windows")
    expect(other).to_contain_text("Signed in today at")
    expect(other).to_contain_text("Last active today at")
    expect(panel.get_by_role("button", name="Log out of all other sessions")).to_be_visible()

    other.get_by_role("button", name="Log out Firefox on Windows").click()

    expect(devices).to_have_count(1)
    expect(panel.get_by_role("button", name="Log out of all other sessions")).to_have_count(0)
    _lands_on_sign_in(laptop)
    # The phone carries on.
    panel.get_by_role("button", name="Close").click()
    phone.get_by_role("textbox", name="Search chats").fill("g")
    expect(phone).not_to_have_url(SIGN_IN_URL)
    expect(phone.get_by_role("list", name="Chats")).to_be_visible()


def test_log_out_of_all_other_sessions(
    two_browsers: tuple[BrowserContext, BrowserContext], viewport: str
) -> None:
    phone, laptop = _same_person_twice(two_browsers, "hank", "Hank Hill")
    second_laptop_tab = laptop.context.new_page()
    second_laptop_tab.goto("/")
    expect(second_laptop_tab.get_by_role("list", name="Chats")).to_be_visible()

    panel = open_profile(phone, viewport)
    expect(_devices(panel)).to_have_count(2)  # the laptop's tabs share one sign-in
    panel.get_by_role("button", name="Log out of all other sessions").click()

    expect(_devices(panel)).to_have_count(1)
    for page in (laptop, second_laptop_tab):
        _lands_on_sign_in(page)
