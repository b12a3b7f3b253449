"""Sharing a photo: progress while it uploads, a thumbnail on both sides, members only."""

from __future__ import annotations

import re
import urllib.request
import uuid

from playwright.sync_api import Browser, expect

from chat_app.services import attachments, direct_chats, history
from tests.browser.helpers import (
    DirectChat,
    alice_and_bob,
    message,
    open_as,
    person,
    say,
    slow_uploads,
)
from tests.sample_files import noise_png


def test_photo_reaches_the_other_side(
    browser: Browser, app_url: str, viewport: str, tmp_path
) -> None:
    alice_name, alice_id = person("alice", "Alice Photo")
    bob_name, bob_id = person("bob", "Bob Photo")
    carol_name, _ = person("carol", "Carol Outsider")
    chat_id = direct_chats.open_direct_chat(user_id=alice_id, other_user_id=bob_id)
    photo = tmp_path / "holiday.png"
    photo.write_bytes(noise_png())

    alice = open_as(browser, app_url, viewport, alice_name)
    alice.goto(f"/chat/{chat_id}")
    alice.get_by_role("button", name="Attach").click()
    alice.locator("#attachments input[type=file]").set_input_files(str(photo))
    expect(alice.get_by_role("list", name="Chosen files")).to_contain_text("holiday.png")
    alice.get_by_label("Caption").fill("Beach day")
    slow_uploads(alice, 300_000)  # ~1 MB takes a few seconds: long enough to see progress
    alice.get_by_role("button", name="Send", exact=True).click()
    expect(alice.get_by_label("Total upload progress")).to_be_visible()
    thumb = message(alice, "Beach day").get_by_role("img", name="holiday.png")
    expect(thumb).to_be_visible()

    bob = open_as(browser, app_url, viewport, bob_name)
    row = bob.get_by_role("listitem").filter(has_text="Alice Photo")
    expect(row).to_contain_text("📷 Beach day")
    bob.goto(f"/chat/{chat_id}")
    bob_thumb = message(bob, "Beach day").get_by_role("img", name="holiday.png")
    expect(bob_thumb).to_be_visible()
    # The photo's box is laid out before it loads: wait for the picture itself.
    natural_width = bob_thumb.evaluate("img => img.decode().then(() => img.naturalWidth)")
    assert natural_width == 640  # the real picture loaded, not a broken image

    # The link Bob's browser got is his alone: a stranger replaying it gets nothing.
    src = bob_thumb.get_attribute("src")
    assert src is not None
    with urllib.request.urlopen(src) as response:
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    carol = open_as(browser, app_url, viewport, carol_name)
    tampered = re.sub(r"u=\d+", "u=999999", src)
    forbidden = carol.request.get(tampered)
    assert forbidden.status == 403

    for page in (alice, bob, carol):
        page.context.close()


# Where a photo stands in the conversation once every picture named has loaded: the
# pictures load after the page is laid out, so this waits for them before measuring.
PHOTO_PLACE_JS = """async (names) => {
    const list = document.querySelector('[role="list"][aria-label="Messages"]');
    const scroller = list.parentElement;
    const find = (name) => [...list.querySelectorAll("img")].find((img) => img.alt === name);
    await new Promise((resolve) => {
        const loaded = () => names.every((name) => find(name)?.complete && find(name).naturalWidth);
        const check = () => (loaded() ? resolve() : setTimeout(check, 50));
        check();
    });
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    const view = scroller.getBoundingClientRect();
    const photo = find(names[names.length - 1]).getBoundingClientRect();
    return {
        fullyInView: photo.top >= view.top && photo.bottom <= view.bottom,
        belowTheEnd: Math.round(scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight),
    };
}"""


def _history(pair: DirectChat, count: int = 30) -> None:
    """Enough read messages that the conversation scrolls."""
    for n in range(count):
        say(pair.chat_id, pair.bob_id if n % 2 else pair.alice_id, f"Earlier message {n}")


def _photo(pair: DirectChat, name: str, size: tuple[int, int]) -> int:
    """Bob sends a photo through the service, as from his own browser; its message id."""
    sent = attachments.send_attachment(
        user_id=pair.bob_id,
        chat_id=pair.chat_id,
        filename=name,
        data=noise_png(size),
        caption="",
        client_msg_id=uuid.uuid4().hex,
    )
    return sent.message_id


def test_a_sent_photo_ends_the_conversation_in_view(
    browser: Browser, app_url: str, viewport: str, tmp_path
) -> None:
    pair = alice_and_bob()
    _history(pair)
    photo = tmp_path / "sunset.png"
    photo.write_bytes(noise_png((480, 640)))  # upright: taller than wide
    alice = open_as(browser, app_url, viewport, pair.alice)
    alice.goto(f"/chat/{pair.chat_id}")
    expect(message(alice, "Earlier message 29")).to_be_visible()

    alice.get_by_role("button", name="Attach").click()
    alice.locator("#attachments input[type=file]").set_input_files(str(photo))
    alice.get_by_role("button", name="Send", exact=True).click()
    expect(
        alice.get_by_role("list", name="Messages").get_by_role("img", name="sunset.png")
    ).to_be_visible()

    place = alice.evaluate(PHOTO_PLACE_JS, ["sunset.png"])
    assert place == {"fullyInView": True, "belowTheEnd": 0}


def test_a_chat_opened_at_the_unread_divider_shows_the_unread_photo_whole(
    browser: Browser, app_url: str, viewport: str
) -> None:
    pair = alice_and_bob()
    _history(pair)
    read_up_to = _photo(pair, "seen-before.png", (640, 480))
    history.mark_read(user_id=pair.alice_id, chat_id=pair.chat_id, up_to_message_id=read_up_to)
    _photo(pair, "new-photo.png", (480, 640))

    alice = open_as(browser, app_url, viewport, pair.alice)
    alice.goto(f"/chat/{pair.chat_id}")
    expect(alice.get_by_text("1 unread message")).to_be_visible()

    place = alice.evaluate(PHOTO_PLACE_JS, ["seen-before.png", "new-photo.png"])
    assert place["fullyInView"]
    expect(alice.get_by_text("1 unread message")).to_be_in_viewport()
