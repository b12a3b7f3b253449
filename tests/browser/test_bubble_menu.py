"""A message's menu never covers its text: a chevron on hover for a pointer, a long
press on a touch screen, and the menu's actions work either way."""

from __future__ import annotations

from playwright.sync_api import Browser, Locator, Page, expect

from tests.browser.helpers import (
    alice_and_bob,
    expect_clipboard,
    message,
    on_device,
    open_message_menu,
    say,
)

# Short bubbles, as people write them: ending in "?", in an emoji, in a word.
THEIRS = ("Who's in for Saturday?", "🎉", "I'll bring the tea")
MINE = ("Me?", "ok 👍", "Lovely")

# The controls a person could see or tap, and the rectangles the text of the
# message's body takes on screen (a Range over its text, so only the glyphs).
COVERING_CONTROLS = """(body) => {
    const range = document.createRange();
    range.selectNodeContents(body);
    const glyphs = Array.from(range.getClientRects()).filter((r) => r.width > 0);
    const controls = document.querySelectorAll(
        "button, a, input, textarea, [role=button], [role=menuitem], [tabindex]"
    );
    const covering = [];
    for (const control of controls) {
        const style = getComputedStyle(control);
        if (style.display === "none" || style.visibility === "hidden") continue;
        for (const box of control.getClientRects()) {
            const overlaps = glyphs.some((g) =>
                box.left < g.right && g.left < box.right && box.top < g.bottom && g.top < box.bottom
            );
            if (overlaps && box.width > 0 && box.height > 0) {
                covering.push(control.getAttribute("aria-label") || control.tagName);
            }
        }
    }
    return covering;
}"""


def _chat_of_short_bubbles(browser: Browser, app_url: str, viewport: str) -> Page:
    pair = alice_and_bob()
    for theirs, mine in zip(THEIRS, MINE, strict=True):
        say(pair.chat_id, pair.bob_id, theirs)
        say(pair.chat_id, pair.alice_id, mine)
    page = on_device(browser, app_url, viewport, pair.alice)
    page.goto(f"/chat/{pair.chat_id}")
    expect(message(page, MINE[-1])).to_be_visible()
    return page


def _body(page: Page, text: str) -> Locator:
    return message(page, text).locator(".wa-body")


def test_no_control_covers_a_short_bubble(browser: Browser, app_url: str, viewport: str) -> None:
    page = _chat_of_short_bubbles(browser, app_url, viewport)
    for text in THEIRS + MINE:
        body = _body(page, text)
        expect(body).to_have_text(text)
        assert body.evaluate(COVERING_CONTROLS) == [], f"{text!r} is covered at rest"
        if viewport == "desktop":
            message(page, text).locator(".wa-bubble").hover()
            chevron = message(page, text).get_by_role("button", name="Message options")
            expect(chevron).to_have_css("opacity", "1")
            assert body.evaluate(COVERING_CONTROLS) == [], f"{text!r} is covered on hover"
        else:
            expect(message(page, text).get_by_role("button", name="Message options")).to_be_hidden()


def test_the_message_menu_opens_and_acts(browser: Browser, app_url: str, viewport: str) -> None:
    page = _chat_of_short_bubbles(browser, app_url, viewport)
    menu = page.get_by_role("menu")

    open_message_menu(page, viewport, THEIRS[0])
    page.get_by_role("menuitem", name="Reply").click()
    expect(menu).to_have_count(0)
    banner = page.get_by_role("button", name="Cancel reply").locator("..")
    expect(banner).to_contain_text(THEIRS[0])

    open_message_menu(page, viewport, THEIRS[2])
    page.get_by_role("menuitem", name="Copy").click()
    expect(menu).to_have_count(0)
    expect_clipboard(page, THEIRS[2])

    open_message_menu(page, viewport, MINE[0])
    page.get_by_role("menuitem", name="React").click()
    page.get_by_role("menuitem", name="React ❤️").click()
    expect(message(page, MINE[0]).get_by_role("button", name="❤️ 1")).to_be_visible()
