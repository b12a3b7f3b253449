"""Sign-up, sign-out, sign-in as a person does it, on a phone and on a desktop."""

from __future__ import annotations

import re
import time

from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy import text

from chat_app import access_tokens
from chat_app.database import get_engine
from chat_app.state.session import TOKEN_STORAGE_KEY
from tests.browser.helpers import (
    HOME_URL,
    PASSWORD,
    SIGN_IN_URL,
    SIGN_UP_URL,
    alice_and_bob,
    expect_shell,
    message,
    say,
    sign_in,
    sign_out,
    sign_up,
    unique_username,
)

# A signed-out person who opened a chat's link: sign-in remembers the chat.
SIGN_IN_URL_FOR_A_CHAT = re.compile(r"/signin/?\?chat=\d+$")


def test_sign_up_sign_out_sign_in_and_reload(page: Page, viewport: str) -> None:
    username = unique_username("alice")
    sign_up(page, username, "Alice Example")
    expect_shell(page, viewport)

    sign_out(page)
    expect(page).to_have_url(SIGN_IN_URL)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()

    sign_in(page, username.upper())  # usernames are case-insensitive
    expect_shell(page, viewport)

    page.reload()
    expect_shell(page, viewport)


def test_wrong_password_is_shown_next_to_the_field(page: Page, viewport: str) -> None:
    username = unique_username("bob")
    sign_up(page, username, "Bob")
    expect_shell(page, viewport)
    sign_out(page)

    sign_in(page, username, "not the password at all")
    error = page.locator("#password-error")
    expect(error).to_have_text("Wrong username or password.")
    expect(page).to_have_url(SIGN_IN_URL)
    expect(page.get_by_label("Password")).to_have_attribute("aria-invalid", "true")


def test_sign_up_refusals_say_what_is_wrong(page: Page, viewport: str) -> None:
    sign_up(page, unique_username("carol"), "Carol", password="short")
    expect(page.locator("#password-error")).to_contain_text("at least 8 characters")
    expect(page).to_have_url(SIGN_UP_URL)

    taken = unique_username("dave")
    sign_up(page, taken, "Dave")
    expect_shell(page, viewport)
    sign_out(page)
    sign_up(page, taken.upper(), "Another Dave")
    expect(page.locator("#username-error")).to_have_text("This username is taken.")


def test_sign_up_explains_why_a_password_is_too_easy_to_guess(page: Page, viewport: str) -> None:
    username = unique_username("carol")
    sign_up(page, username, "Carol Liddell", password="carol123")
    error = page.locator("#password-error")
    expect(error).to_contain_text("This password is too easy to guess.")
    expect(error).to_contain_text("Common names and surnames are easy to guess.")
    expect(page).to_have_url(SIGN_UP_URL)

    sign_up(page, username, "Carol Liddell", password="Carol Liddell")  # her own name
    expect(error).to_contain_text("This password is too easy to guess.")

    sign_up(page, username, "Carol Liddell", password="violet-otter-harbour-42")
    expect_shell(page, viewport)


def test_shell_without_a_valid_token_goes_to_sign_in(
    context: BrowserContext, page: Page, app_url: str
) -> None:
    page.goto("/")
    expect(page).to_have_url(SIGN_IN_URL)

    expired = access_tokens.issue_token(1, 1, now=time.time() - 30 * 24 * 3600)
    page.evaluate(
        "([key, value]) => localStorage.setItem(key, value)", [TOKEN_STORAGE_KEY, expired]
    )
    page.goto("/")
    expect(page).to_have_url(SIGN_IN_URL)

    page.evaluate(
        "([key, value]) => localStorage.setItem(key, value)",
        [TOKEN_STORAGE_KEY, "forged.token.value"],
    )
    page.goto("/")
    expect(page).to_have_url(SIGN_IN_URL)


def test_signing_out_in_one_tab_signs_out_the_other(
    context: BrowserContext, page: Page, viewport: str
) -> None:
    sign_up(page, unique_username("erin"), "Erin")
    expect_shell(page, viewport)
    other_tab = context.new_page()
    other_tab.goto("/")
    expect_shell(other_tab, viewport)

    sign_out(page)
    expect(other_tab).to_have_url(SIGN_IN_URL)
    other_tab.goto("/")
    expect(other_tab).to_have_url(SIGN_IN_URL)
    expect(page).not_to_have_url(HOME_URL)


def test_repeated_wrong_passwords_are_slowed_down(page: Page, viewport: str) -> None:
    username = unique_username("frank")
    sign_up(page, username, "Frank")
    expect_shell(page, viewport)
    sign_out(page)

    for attempt in range(1, 6):
        sign_in(page, username, "wrong guess 123")
        expect(page.locator("#password-error")).to_have_text("Wrong username or password.")
        _wait_until_recorded(username, attempt)  # before the next page load cuts it short
    sign_in(page, username)  # even the right password waits now
    expect(page.get_by_role("alert").filter(has_text="Too many failed attempts")).to_be_visible()
    expect(page).to_have_url(SIGN_IN_URL)


def _wait_until_recorded(username: str, failures: int, timeout_s: float = 10) -> None:
    deadline = time.monotonic() + timeout_s
    query = text("SELECT count(*) FROM rate_limit_hits WHERE bucket = :bucket")
    bucket = f"sign-in:account:{username.lower()}"
    while time.monotonic() < deadline:
        with get_engine().connect() as connection:
            if connection.execute(query, {"bucket": bucket}).scalar_one() >= failures:
                return
        time.sleep(0.05)
    raise AssertionError(f"{failures} failed sign-ins were not recorded for {username}")


def test_a_chat_link_opened_signed_out_opens_that_chat_after_signing_in(
    page: Page, viewport: str
) -> None:
    pair = alice_and_bob()
    say(pair.chat_id, pair.bob_id, "the link you were sent")

    page.goto(f"/chat/{pair.chat_id}")
    expect(page).to_have_url(SIGN_IN_URL_FOR_A_CHAT)
    page.get_by_label("Username").fill(pair.alice)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(re.compile(rf"/chat/{pair.chat_id}/?$"))
    expect(message(page, "the link you were sent")).to_be_visible()
