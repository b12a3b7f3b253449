"""Sharing a photo: progress while it uploads, a thumbnail on both sides, members only."""

from __future__ import annotations

import re
import urllib.request

from playwright.sync_api import Browser, expect

from chat_app.services import direct_chats
from tests.browser.helpers import message, open_as, person, slow_uploads
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
    natural_width = bob_thumb.evaluate("img => img.naturalWidth")
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
