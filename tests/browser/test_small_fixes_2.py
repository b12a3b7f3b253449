"""More small things a person notices in daily use: a friend's new picture and name
showing without a reload, people in the main search, one focus ring, the
username rule said once, a reaction chip and names never hidden, emoji in
colour, and a chat link that survives choosing "Sign up"."""

from __future__ import annotations

import io
import re
import uuid

from PIL import Image
from playwright.sync_api import Browser, Locator, Page, expect

from chat_app.services import auth, direct_chats, groups, people
from chat_app.services.access import CHAT_NOT_FOUND
from tests.browser.accessibility_audit import blocking_findings, report
from tests.browser.helpers import (
    HOME_URL,
    PASSWORD,
    HeldReplies,
    alice_and_bob,
    message,
    on_device,
    open_as,
    open_message_menu,
    person,
    say,
    unique_username,
)


def _row(page: Page, name: str) -> Locator:
    return page.get_by_role("list", name="Chats").get_by_role("listitem").filter(has_text=name)


def _picture() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 40, 90)).save(buffer, "PNG")
    return buffer.getvalue()


def _shows_picture(place: Locator, name: str) -> None:
    picture = place.get_by_role("img", name=name)
    expect(picture).to_have_attribute("src", re.compile(r"/avatars/"))
    assert picture.evaluate("img => img.decode().then(() => img.naturalWidth)") == 64


# --- 1: a new picture or name reaches the others live --------------------------------------


def test_a_new_profile_photo_and_name_reach_others_without_a_reload(
    browser: Browser, app_url: str, viewport: str
) -> None:
    pair = alice_and_bob()
    say(pair.chat_id, pair.alice_id, "Hello Bob")
    group = groups.create_group(user_id=pair.alice_id, title="Trio", member_ids=[pair.bob_id])
    say(group, pair.alice_id, "Welcome to the group")
    bob = open_as(browser, app_url, viewport, pair.bob)
    expect(_row(bob, "Alice Adams").get_by_role("img", name="Alice Adams")).to_have_text("AA")

    # In another browser Alice picks a photo: Bob's list shows it as it is.
    people.set_profile_photo(user_id=pair.alice_id, data=_picture())
    _shows_picture(_row(bob, "Alice Adams"), "Alice Adams")

    bob.goto(f"/chat/{pair.chat_id}")
    header = bob.get_by_role("banner")
    _shows_picture(header, "Alice Adams")
    people.update_profile(user_id=pair.alice_id, display_name="Alice Zed", about="")
    expect(header.get_by_text("Alice Zed", exact=True)).to_be_visible()
    people.remove_avatar(user_id=pair.alice_id)
    expect(header.get_by_role("img", name="Alice Zed")).to_have_text("AZ")
    expect(header.locator("img")).to_have_count(0)
    if viewport == "desktop":
        expect(_row(bob, "Alice Zed").get_by_role("img", name="Alice Zed")).to_have_text("AZ")

    # In a group, the names on her messages follow too.
    bob.goto(f"/chat/{group}")
    expect(message(bob, "Welcome to the group")).to_contain_text("Alice Zed")
    people.update_profile(user_id=pair.alice_id, display_name="Alice Young", about="")
    expect(message(bob, "Welcome to the group")).to_contain_text("Alice Young")
    expect(bob.get_by_role("banner")).to_contain_text("Alice Young")


# --- 2: the main search finds people -------------------------------------------------------


def test_the_search_box_finds_chats_then_people_to_start_one_with(
    browser: Browser, app_url: str, viewport: str
) -> None:
    alice, alice_id = person("alice", "Alice Adams")
    # A word nobody else's name starts with, so the search finds these two only.
    word = "Zq" + uuid.uuid4().hex[:6]
    _, cara_id = person("cara", f"{word} Cara")
    _, dora_id = person("dora", f"{word} Dora")
    chat_with_cara = direct_chats.open_direct_chat(user_id=alice_id, other_user_id=cara_id)
    say(chat_with_cara, cara_id, "Lunch?")
    page = open_as(browser, app_url, viewport, alice)

    page.get_by_role("textbox", name="Search chats").fill(word.lower())
    chats = page.get_by_role("list", name="Chats")
    found = page.get_by_role("list", name="People")
    expect(found.get_by_role("button", name=re.compile(f"^{word} Dora, @dora_"))).to_be_visible()
    expect(chats.get_by_role("listitem")).to_have_count(1)
    expect(_row(page, f"{word} Cara")).to_be_visible()
    # Cara has a chat: she shows once, as that chat, not again among the people.
    expect(found.get_by_role("listitem")).to_have_count(1)
    people_heading = page.get_by_role("heading", name="People")
    expect(people_heading).to_be_visible()
    chats_box, heading_box = chats.bounding_box(), people_heading.bounding_box()
    assert chats_box is not None
    assert heading_box is not None
    assert chats_box["y"] + chats_box["height"] <= heading_box["y"], "chats come first"
    findings = blocking_findings(page)
    assert not findings, report(findings)

    found.get_by_role("button", name=re.compile(f"^{word} Dora")).click()
    expect(page).to_have_url(re.compile(r"/chat/\d+/?$"))
    expect(page.get_by_role("banner").get_by_text(f"{word} Dora", exact=True)).to_be_visible()
    chat_id = int(re.findall(r"/chat/(\d+)", page.url)[0])
    assert chat_id == direct_chats.open_direct_chat(user_id=alice_id, other_user_id=dora_id)


# --- 3: one focus ring ---------------------------------------------------------------------

# How many of the field and the boxes around it (up to ``stop``) change their
# outline or shadow when the field takes focus: each one is a ring.
RINGS = """(input, stop) => {
    const chain = [];
    for (let e = input; e && !e.matches(stop); e = e.parentElement) chain.push(e);
    const look = () => chain.map((e) => {
        const s = getComputedStyle(e);
        const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0
            ? `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}` : "";
        return `${outline} | ${s.boxShadow}`;
    });
    input.focus();
    const focused = look();
    input.blur();
    const rest = look();
    input.focus();
    return chain.filter((_, i) => focused[i] !== rest[i]).length;
}"""


def test_search_fields_show_one_focus_ring(browser: Browser, app_url: str, viewport: str) -> None:
    alice, _ = person("alice", "Alice Adams")
    page = open_as(browser, app_url, viewport, alice)

    page.get_by_role("button", name="New chat").click()
    field = page.get_by_role("dialog", name="New chat").get_by_role("textbox", name="Search people")
    expect(field).to_be_focused()
    assert field.evaluate(RINGS, "[role=dialog]") == 1

    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)
    search = page.get_by_role("textbox", name="Search chats")
    assert search.evaluate(RINGS, ".wa-chat-list-pane") == 1


# --- 4: the username rule, said once -------------------------------------------------------


def test_the_username_rule_and_its_error_are_not_both_shown(page: Page, viewport: str) -> None:
    page.goto("/signup")
    rule = page.get_by_text(auth.USERNAME_RULE)
    expect(rule).to_have_count(1)
    page.get_by_label("Username").fill("x")
    page.get_by_label("Your name").fill("Xena Short")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("alert").filter(has_text="Usernames are")).to_be_visible()
    expect(rule).to_have_count(1)

    page.get_by_label("Username").fill("")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("alert").filter(has_text="Enter a username.")).to_be_visible()
    expect(rule).to_have_count(0)


# --- 5: a reaction chip on the last message stays in view ------------------------------------


def test_a_reaction_on_the_last_message_shows_above_the_composer(
    browser: Browser, app_url: str, viewport: str
) -> None:
    pair = alice_and_bob()
    for number in range(30):
        say(pair.chat_id, pair.bob_id if number % 2 else pair.alice_id, f"Line {number}")
    say(pair.chat_id, pair.bob_id, "The last word")
    page = on_device(browser, app_url, viewport, pair.alice)
    page.goto(f"/chat/{pair.chat_id}")
    expect(message(page, "The last word")).to_be_in_viewport()

    open_message_menu(page, viewport, "The last word")
    page.get_by_role("menuitem", name="React").click()
    page.get_by_role("menuitem", name="React 👍").click()
    chip = message(page, "The last word").get_by_role("button", name="👍 1")
    expect(chip).to_be_visible()
    composer = page.locator(".wa-composer")
    # The view settles after the row grows: wait until the chip is in full view.
    expect(chip).to_be_in_viewport(ratio=1)
    chip_box, composer_box = chip.bounding_box(), composer.bounding_box()
    assert chip_box is not None
    assert composer_box is not None
    assert chip_box["y"] + chip_box["height"] <= composer_box["y"], (chip_box, composer_box)


# --- 6: the offline notice covers no text --------------------------------------------------

# The visible text the notice lies on: every stretch of text that is hit-tested
# at its middle (so not clipped away by a scrolling box) together with the notice.
COVERED_TEXT = """(notice) => {
    const covered = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.textContent.trim() || notice.contains(node)) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const r of range.getClientRects()) {
            if (r.width === 0 || r.height === 0) continue;
            const here = document.elementsFromPoint(r.left + r.width / 2, r.top + r.height / 2);
            if (here.includes(node.parentElement) && here.some((e) => notice.contains(e))) {
                covered.push(node.textContent.trim());
            }
        }
    }
    return covered;
}"""


def test_the_offline_notice_covers_no_text(browser: Browser, app_url: str, viewport: str) -> None:
    pair = alice_and_bob()
    say(pair.chat_id, pair.bob_id, "Are you there?")
    page = open_as(browser, app_url, viewport, pair.alice)
    page.goto(f"/chat/{pair.chat_id}")
    name = page.get_by_role("banner").get_by_text("Bob Brown", exact=True)
    expect(name).to_be_visible()

    page.context.set_offline(True)
    notice = page.get_by_role("status").filter(has_text="Offline — reconnecting…")
    expect(notice).to_be_visible()
    assert notice.evaluate(COVERED_TEXT) == []
    expect(name).to_be_in_viewport(ratio=1)
    expect(page.get_by_role("textbox", name="Type a message")).to_be_in_viewport(ratio=1)
    page.context.set_offline(False)


# --- 7: emoji in colour --------------------------------------------------------------------

COLOUR_EMOJI_FONTS = ("Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji")
GENERIC_FAMILIES = ("system-ui", "sans-serif", "ui-sans-serif", "serif")


def _fonts_drawing(page: Page, target: Locator) -> dict[str, int]:
    """The fonts Chromium drew ``target``'s text with, and how many glyphs each."""
    target.evaluate("e => e.setAttribute('data-font-probe', '')")
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "[data-font-probe]"})
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
    return {font["familyName"]: font["glyphCount"] for font in fonts}


def test_emoji_are_drawn_in_colour(browser: Browser, app_url: str, viewport: str) -> None:
    pair = alice_and_bob()
    say(pair.chat_id, pair.bob_id, "Party 😀 at 12")
    page = open_as(browser, app_url, viewport, pair.alice)
    page.goto(f"/chat/{pair.chat_id}")
    body = message(page, "Party").locator(".wa-body")
    expect(body).to_have_text("Party 😀 at 12")

    stack = [
        family.strip().strip("\"'")
        for family in body.evaluate("e => getComputedStyle(e).fontFamily").split(",")
    ]
    first_generic = min(stack.index(family) for family in GENERIC_FAMILIES if family in stack)
    for font in COLOUR_EMOJI_FONTS:
        assert font in stack[:first_generic], f"{font} is not before {stack[first_generic]}"
    page.evaluate("document.fonts.ready.then(() => true)")
    drawn = _fonts_drawing(page, body)
    # The emoji from the colour font (installed by scripts/setup --dev), and only
    # the emoji: the digits and letters stay in the text font.
    assert drawn.get("Noto Color Emoji") == 1, drawn


# --- 8: signing up from a chat's link ------------------------------------------------------


def test_signing_up_from_a_chat_link_keeps_the_chat_and_lands_on_the_list(
    page: Page, viewport: str
) -> None:
    pair = alice_and_bob()
    say(pair.chat_id, pair.alice_id, "Not for strangers")

    # The link names the chat from the address, before the server has said anything.
    replies = HeldReplies(page)
    replies.holding = True
    page.goto(f"/signin?chat={pair.chat_id}")
    expect(page.get_by_role("link", name="Create an account")).to_have_attribute(
        "href", f"/signup?chat={pair.chat_id}"
    )
    replies.release()

    page.goto(f"/chat/{pair.chat_id}")
    expect(page).to_have_url(re.compile(rf"/signin/?\?chat={pair.chat_id}$"))
    page.get_by_role("link", name="Create an account").click()
    expect(page).to_have_url(re.compile(rf"/signup/?\?chat={pair.chat_id}$"))
    expect(page.get_by_role("link", name="Sign in")).to_have_attribute(
        "href", f"/signin?chat={pair.chat_id}"
    )

    page.get_by_label("Username").fill(unique_username("newcomer"))
    page.get_by_label("Your name").fill("Nell Newcomer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    # Not a member of that chat: the list, as after any sign-up, and no error.
    expect(page).to_have_url(HOME_URL)
    expect(page.get_by_role("list", name="Chats")).to_be_visible()
    expect(page.get_by_text("No chats yet")).to_be_visible()
    expect(page.get_by_text(CHAT_NOT_FOUND)).to_have_count(0)


# --- mute and unmute close the row's menu --------------------------------------------------


def _press(viewport: str, target: Locator) -> None:
    """A finger's tap on a phone, a mouse's click (after hovering) on a desktop."""
    if viewport == "phone":
        target.tap()
    else:
        target.hover()
        target.click()


def test_mute_and_unmute_close_the_chat_rows_menu(
    browser: Browser, app_url: str, viewport: str
) -> None:
    pair = alice_and_bob()
    say(pair.chat_id, pair.bob_id, "Noisy")
    page = on_device(browser, app_url, viewport, pair.alice)
    row = _row(page, "Bob Brown")

    def press(target: Locator) -> None:
        _press(viewport, target)

    for choice, then in (
        ("Mute notifications", "Unmute notifications"),
        ("Unmute notifications", "Mute notifications"),
    ):
        row.hover()
        press(row.get_by_role("button", name="Chat options"))
        press(page.get_by_role("menuitem", name=choice))
        expect(page.get_by_role("menu")).to_have_count(0)
        row.hover()
        press(row.get_by_role("button", name="Chat options"))
        expect(page.get_by_role("menuitem", name=then)).to_be_visible()
        page.keyboard.press("Escape")
        expect(page.get_by_role("menu")).to_have_count(0)


def test_each_rows_menu_pins_and_archives_its_own_chat(
    browser: Browser, app_url: str, viewport: str
) -> None:
    """One options menu serves every row: it must act on the row it was opened from."""
    pair = alice_and_bob()
    _, carol_id = person("carol", "Carol Day")
    say(pair.chat_id, pair.bob_id, "From Bob")
    carol_chat = direct_chats.open_direct_chat(user_id=pair.alice_id, other_user_id=carol_id)
    say(carol_chat, carol_id, "From Carol")  # the newer: Carol's row is on top
    page = on_device(browser, app_url, viewport, pair.alice)
    rows = page.get_by_role("list", name="Chats").get_by_role("listitem")
    expect(rows.first).to_contain_text("Carol Day")

    def choose(name: str, item: str) -> None:
        row = _row(page, name)
        row.hover()
        _press(viewport, row.get_by_role("button", name="Chat options"))
        _press(viewport, page.get_by_role("menuitem", name=item))
        expect(page.get_by_role("menu")).to_have_count(0)

    choose("Bob Brown", "Pin chat")
    expect(rows.first).to_contain_text("Bob Brown")
    expect(_row(page, "Bob Brown").get_by_role("img", name="Pinned")).to_be_visible()
    expect(_row(page, "Carol Day").get_by_role("img", name="Pinned")).to_have_count(0)

    choose("Carol Day", "Archive chat")
    expect(_row(page, "Carol Day")).to_have_count(0)
    expect(_row(page, "Bob Brown")).to_be_visible()
    page.get_by_role("button", name=re.compile(r"^Archived")).click()
    choose("Carol Day", "Unarchive chat")
    expect(_row(page, "Carol Day")).to_have_count(0)  # gone from the archived view
