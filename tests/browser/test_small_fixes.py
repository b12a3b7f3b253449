"""Small things a person notices in the first minutes: empty states that say what
is empty, a mark on what is chosen, a muted badge, Enter in the edit dialog, the
header while a chat opens, sender colours that tell people apart, times in the
locale's clock, "You" in my own group lines."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import Browser, Page, expect

from chat_app.services import chat_list, groups
from tests.browser.conftest import person_context
from tests.browser.helpers import (
    HeldReplies,
    alice_and_bob,
    message,
    message_action,
    open_as,
    person,
    say,
    send_message,
    sign_in,
)

ACCENT_GREEN = "rgb(0, 168, 132)"
MUTED_GREY = "rgb(134, 150, 160)"


def _row(page: Page, name: str):
    return page.get_by_role("list", name="Chats").get_by_role("listitem").filter(has_text=name)


def test_unread_filter_says_no_unread_chats(browser: Browser, app_url: str, viewport: str) -> None:
    pair = alice_and_bob()
    say(pair.chat_id, pair.alice_id, "All read here")
    alice = open_as(browser, app_url, viewport, pair.alice)
    expect(_row(alice, "Bob Brown")).to_be_visible()

    alice.get_by_role("button", name="Unread").click()
    expect(alice.get_by_text("No unread chats")).to_be_visible()
    expect(alice.get_by_text("No chats yet")).to_have_count(0)
    alice.get_by_role("button", name="View all chats").click()
    expect(alice.get_by_role("button", name="All", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(_row(alice, "Bob Brown")).to_be_visible()


def test_a_muted_chats_unread_badge_is_grey(browser: Browser, app_url: str, viewport: str) -> None:
    pair = alice_and_bob()
    _, cy_id = person("cy", "Cy Cole")
    other = groups.create_group(user_id=cy_id, title="Loud group", member_ids=[pair.alice_id])
    say(pair.chat_id, pair.bob_id, "Psst")
    say(other, cy_id, "Hello all")
    chat_list.set_chat_flags(user_id=pair.alice_id, chat_id=pair.chat_id, muted=True)
    alice = open_as(browser, app_url, viewport, pair.alice)

    muted = _row(alice, "Bob Brown").get_by_label("1 unread")
    loud = _row(alice, "Loud group").get_by_label("1 unread")
    expect(loud).to_have_css("background-color", ACCENT_GREEN)
    expect(muted).to_have_css("background-color", MUTED_GREY)


def _theme_choice(page: Page, label: str):
    return page.get_by_role("menuitemradio", name=label)


def test_theme_menu_marks_the_current_choice(browser: Browser, app_url: str, viewport: str) -> None:
    alice_name, _ = person("alice", "Alice Adams")
    alice = open_as(browser, app_url, viewport, alice_name)

    alice.get_by_role("button", name="Menu").click()
    expect(_theme_choice(alice, "System theme")).to_be_checked()
    expect(_theme_choice(alice, "Dark theme")).not_to_be_checked()
    _theme_choice(alice, "Dark theme").click()
    expect(alice.locator("html")).to_have_class(re.compile(r"\bdark\b"))

    alice.get_by_role("button", name="Menu").click()
    expect(_theme_choice(alice, "Dark theme")).to_be_checked()
    expect(_theme_choice(alice, "System theme")).not_to_be_checked()
    expect(_theme_choice(alice, "Light theme")).not_to_be_checked()


def test_enter_saves_the_edit_dialog(browser: Browser, app_url: str, viewport: str) -> None:
    pair = alice_and_bob()
    alice = open_as(browser, app_url, viewport, pair.alice)
    alice.goto(f"/chat/{pair.chat_id}")
    send_message(alice, "See you at eight")
    expect(message(alice, "See you at eight").get_by_label("Sent")).to_be_visible()

    message_action(alice, "See you at eight", "Edit")
    editor = alice.get_by_role("textbox", name="Edited message")
    editor.fill("See you at nine")
    editor.press("Shift+Enter")
    editor.press_sequentially("sharp")
    expect(editor).to_have_value("See you at nine\nsharp")
    expect(alice.get_by_role("dialog", name="Edit message")).to_be_visible()
    editor.press("Enter")
    expect(alice.get_by_role("dialog", name="Edit message")).to_have_count(0)
    expect(message(alice, "See you at nine")).to_contain_text("edited")
    expect(message(alice, "See you at nine").locator(".wa-body")).to_have_text(
        "See you at nine\nsharp"
    )


# Whether the open chat's header ever showed a bare "?" (the initials of a name not
# known yet) and whether it showed the loading skeleton, from the first node parsed.
WATCH_HEADER = """(() => {
    window.headerSeen = { question: false, loading: false };
    const look = () => {
        for (const header of document.querySelectorAll(".wa-conv-header")) {
            const texts = Array.from(header.querySelectorAll("*"), (e) => e.textContent.trim());
            if (texts.includes("?")) window.headerSeen.question = true;
            const busy = header.querySelector('[aria-label="Loading chat"]');
            if (busy) window.headerSeen.loading = true;
        }
    };
    new MutationObserver(look).observe(document, {
        childList: true, subtree: true, characterData: true,
    });
})();"""


def test_the_header_shows_a_skeleton_while_a_chat_opens(
    browser: Browser, app_url: str, viewport: str
) -> None:
    """A chat tapped on a slow network: its header holds a skeleton until the name
    arrives (the server's replies held back, so the wait is there every time),
    and never a bare "?"."""
    pair = alice_and_bob()
    say(pair.chat_id, pair.bob_id, "Hello")
    alice = open_as(browser, app_url, viewport, pair.alice)
    replies = HeldReplies(alice)
    alice.add_init_script(WATCH_HEADER)
    alice.goto("/")  # a new page load: its socket goes through the route, watched from the start
    expect(_row(alice, "Bob Brown")).to_be_visible()
    replies.holding = True
    _row(alice, "Bob Brown").get_by_role("link").click()
    expect(alice).to_have_url(re.compile(rf"/chat/{pair.chat_id}/?$"))
    expect(alice.locator('.wa-conv-header [aria-label="Loading chat"]')).to_be_visible()
    replies.release()
    expect(alice.get_by_role("banner").get_by_text("Bob Brown")).to_be_visible()
    expect(message(alice, "Hello")).to_be_visible()
    seen = alice.evaluate("window.headerSeen")
    assert seen == {"question": False, "loading": True}


def _lab(rgb: str) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of a CSS "rgb(r, g, b)": how far apart two colours look."""
    channels = [int(v) / 255 for v in re.findall(r"\d+", rgb)[:3]]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def _distance(one: str, other: str) -> float:
    return sum((p - q) ** 2 for p, q in zip(_lab(one), _lab(other), strict=True)) ** 0.5


def test_group_members_names_have_distinct_colours(
    browser: Browser, app_url: str, viewport: str
) -> None:
    alice, alice_id = person("alice", "Alice Adams")
    others = [person(f"m{i}", f"Member {chr(65 + i)}")[1] for i in range(9)]
    chat_id = groups.create_group(user_id=alice_id, title="Big table", member_ids=others)
    for index, member_id in enumerate(others):
        say(chat_id, member_id, f"Hello from {chr(65 + index)}")
    page = open_as(browser, app_url, viewport, alice)
    page.goto(f"/chat/{chat_id}")
    colours = {}
    for index in range(len(others)):
        name = message(page, f"Hello from {chr(65 + index)}").get_by_text(
            f"Member {chr(65 + index)}", exact=True
        )
        expect(name).to_be_visible()
        colours[index] = name.evaluate("(e) => getComputedStyle(e).color")
    close = [
        (a, b, round(_distance(colours[a], colours[b]), 1))
        for a, b in itertools.combinations(colours, 2)
        if _distance(colours[a], colours[b]) < 20
    ]
    assert close == [], f"these members' names look alike: {close}"


TWELVE_HOUR = re.compile(r"^(1[0-2]|[1-9]):[0-5]\d (AM|PM)$")
TWENTY_FOUR_HOUR = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def test_times_follow_the_browsers_locale(browser: Browser, app_url: str, viewport: str) -> None:
    pair = alice_and_bob()
    say(pair.chat_id, pair.bob_id, "What time is it?")
    for locale, written in (
        ("en-US", TWELVE_HOUR),
        ("en-GB", TWENTY_FOUR_HOUR),
        ("de-DE", TWENTY_FOUR_HOUR),
    ):
        page = person_context(browser, app_url, viewport, locale=locale).new_page()
        sign_in(page, pair.alice)
        row_time = _row(page, "Bob Brown").locator("[id$='-time']")
        expect(row_time).to_have_text(written)
        page.goto(f"/chat/{pair.chat_id}")
        bubble_time = message(page, "What time is it?").locator(".wa-meta").get_by_text(written)
        expect(bubble_time).to_be_visible()
        page.context.close()


def _clock_times(zone: str, moments: tuple[datetime, ...], hour_format: str) -> list[str]:
    """How the moments read on a clock in ``zone``: either, if a minute turned
    between them ("%H:%M" or "%-I:%M %p")."""
    return sorted({moment.astimezone(ZoneInfo(zone)).strftime(hour_format) for moment in moments})


def test_a_browser_that_moved_or_changed_language_reads_its_new_clock(
    browser: Browser, app_url: str, viewport: str
) -> None:
    """The same browser storage (so what the page kept of the clock comes along),
    opened in Tokyo in British English, then in New York, then in American English."""
    pair = alice_and_bob()
    before = datetime.now(UTC)
    say(pair.chat_id, pair.bob_id, "Landed yet?")
    after = datetime.now(UTC)
    storage = None
    for zone, locale, hour_format in (
        ("Asia/Tokyo", "en-GB", "%H:%M"),
        ("Asia/Tokyo", "en-GB", "%H:%M"),  # again: what was kept is right
        ("America/New_York", "en-GB", "%H:%M"),
        ("America/New_York", "en-US", "%-I:%M %p"),
    ):
        context = person_context(
            browser, app_url, viewport, timezone_id=zone, locale=locale, storage_state=storage
        )
        page = context.new_page()
        if storage is None:
            sign_in(page, pair.alice)
            expect(_row(page, "Bob Brown")).to_be_visible()  # signed in, as a person waits
        page.goto(f"/chat/{pair.chat_id}")
        written = _clock_times(zone, (before, after), hour_format)
        meta = message(page, "Landed yet?").locator(".wa-meta")
        expect(meta).to_contain_text(re.compile("|".join(map(re.escape, written))))
        storage = context.storage_state()
        context.close()


def test_my_own_group_lines_say_you(browser: Browser, app_url: str, viewport: str) -> None:
    carol, carol_id = person("carol", "Carol Díaz")
    dan, dan_id = person("dan", "Dan Day")
    chat_id = groups.create_group(user_id=carol_id, title="Book club", member_ids=[dan_id])

    mine = open_as(browser, app_url, viewport, carol)
    expect(_row(mine, "Book club")).to_contain_text("You added Dan Day")
    mine.goto(f"/chat/{chat_id}")
    lines = mine.get_by_role("list", name="Messages").get_by_role("note")
    expect(lines).to_have_text(['You created group "Book club"', "You added Dan Day"])

    theirs = open_as(browser, app_url, viewport, dan)
    theirs.goto(f"/chat/{chat_id}")
    lines = theirs.get_by_role("list", name="Messages").get_by_role("note")
    expect(lines).to_have_text(['Carol Díaz created group "Book club"', "Carol Díaz added you"])
