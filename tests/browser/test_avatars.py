"""Profile and group pictures: uploaded once, then seen in every list, header and panel.

Each check waits for the picture itself to load (``img.decode()`` and its
natural width), so a broken or refused link fails the test, not just a
missing element.
"""

from __future__ import annotations

import io
import os
import re
import uuid
from pathlib import Path

from PIL import Image
from playwright.sync_api import Browser, Locator, Page, expect

from chat_app.services import direct_chats, groups, people
from chat_app.services.file_types import NOT_AN_IMAGE
from chat_app.services.message_send import send_message
from tests.browser.helpers import open_as, open_profile, person, slow_uploads

SIDE = 256


def _png(path: Path) -> Path:
    """A real picture of noise, so it does not compress to nothing and takes a moment
    to upload when the network is throttled."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (SIDE, SIDE), os.urandom(SIDE * SIDE * 3)).save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


def _loaded_width(picture: Locator) -> int:
    """The picture's natural width once the browser has it; a broken link throws."""
    expect(picture).to_be_visible()
    expect(picture).to_have_attribute("src", re.compile(r"/avatars/"))
    return picture.evaluate("img => img.decode().then(() => img.naturalWidth)")


def _chat_row(page: Page, name: str) -> Locator:
    return page.get_by_role("list", name="Chats").get_by_role("listitem").filter(has_text=name)


def test_profile_photo_is_uploaded_and_seen_by_others(
    browser: Browser, app_url: str, viewport: str, tmp_path: Path
) -> None:
    alice_name, alice_id = person("alice", "Alice Avatar")
    bob_name, bob_id = person("bob", "Bob Viewer")
    chat_id = direct_chats.open_direct_chat(user_id=alice_id, other_user_id=bob_id)
    # A chat shows in the other person's list once it has a message.
    send_message(user_id=alice_id, chat_id=chat_id, body="Hi Bob", client_msg_id="avatar-hello-1")
    photo = _png(tmp_path / "me.png")
    not_a_picture = tmp_path / "notes.png"
    not_a_picture.write_text("Only pretending to be a picture.")

    alice = open_as(browser, app_url, viewport, alice_name)
    panel = open_profile(alice, viewport)
    expect(panel.get_by_role("img", name="Your profile picture")).to_have_text("AA")
    expect(panel.get_by_role("button", name="Remove photo")).to_have_count(0)
    chooser = alice.locator("#profile-photo input[type=file]")

    chooser.set_input_files(str(not_a_picture))
    error = panel.locator("#profile-photo-error")
    expect(error).to_have_text(NOT_AN_IMAGE)

    slow_uploads(alice, 100_000)  # ~200 KB: long enough to see the progress bar
    with alice.expect_file_chooser() as chosen:  # the button works from the keyboard
        panel.get_by_role("button", name="Change photo").focus()
        alice.keyboard.press("Enter")
    chosen.value.set_files(str(photo))
    expect(panel.get_by_label("Upload progress")).to_be_visible()
    picture = panel.get_by_role("img", name="Your profile picture")
    assert _loaded_width(picture) == SIDE
    expect(error).to_have_count(0)
    expect(panel.get_by_role("button", name="Remove photo")).to_be_visible()
    alice.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    if viewport == "desktop":
        own = alice.get_by_role("button", name="Your profile").locator("img")
        assert _loaded_width(own) == SIDE

    bob = open_as(browser, app_url, viewport, bob_name)
    row = _chat_row(bob, "Alice Avatar")
    assert _loaded_width(row.get_by_role("img", name="Alice Avatar")) == SIDE
    row.get_by_role("link").click()
    expect(bob).to_have_url(re.compile(rf"/chat/{chat_id}/?$"))
    header = bob.get_by_role("banner")
    assert _loaded_width(header.get_by_role("img", name="Alice Avatar")) == SIDE

    # Removing it brings the initials back, for Alice and then for Bob.
    alice.reload()
    panel = open_profile(alice, viewport)
    panel.get_by_role("button", name="Remove photo").click()
    expect(panel.get_by_role("img", name="Your profile picture")).to_have_text("AA")
    expect(panel.get_by_role("button", name="Remove photo")).to_have_count(0)
    alice.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    alice.reload()  # saved, not just shown
    if viewport == "desktop":
        expect(alice.get_by_role("button", name="Your profile")).to_have_text("AA")

    bob.reload()
    expect(header.get_by_role("img", name="Alice Avatar")).to_have_text("AA")
    expect(header.locator("img")).to_have_count(0)

    for page in (alice, bob):
        page.context.close()


def test_group_photo_is_changed_by_admins_only(
    browser: Browser, app_url: str, viewport: str, tmp_path: Path
) -> None:
    tag = uuid.uuid4().hex[:6]  # names are searched for: keep them apart from other runs
    admin, member, title = f"Ann Admin {tag}", f"Ben Member {tag}", f"Photo club {tag}"
    ann_name, ann_id = person("ann", admin)
    ben_name, ben_id = person("ben", member)
    # Ben already has a profile picture: it shows in the group's member list.
    people.set_profile_photo(user_id=ben_id, data=_png(tmp_path / "ben.png").read_bytes())
    chat_id = groups.create_group(user_id=ann_id, title=title, member_ids=[ben_id])
    photo = _png(tmp_path / "club.png")

    ann = open_as(browser, app_url, viewport, ann_name)
    ann.get_by_role("button", name="New chat").click()
    dialog = ann.get_by_role("dialog", name="New chat")
    dialog.get_by_label("Search people").fill(member)
    found = dialog.get_by_role("button", name=member)
    assert _loaded_width(found.locator("img")) == SIDE
    ann.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    ann.goto(f"/chat/{chat_id}")
    expect(ann.get_by_role("banner").get_by_text(title)).to_be_visible()
    ann.get_by_role("button", name="Chat info").click()
    info = ann.get_by_role("dialog", name="Group info")
    members = info.get_by_role("list", name="Members")
    ben_row = members.get_by_role("listitem", name=member)
    assert _loaded_width(ben_row.get_by_role("img", name=member)) == SIDE

    expect(info.get_by_role("button", name="Change group photo")).to_be_visible()
    ann.locator("#group-photo input[type=file]").set_input_files(str(photo))
    assert _loaded_width(info.get_by_role("img", name=title)) == SIDE
    ann.keyboard.press("Escape")
    expect(info).to_be_hidden()
    messages = ann.get_by_role("list", name="Messages")
    # Her own line reads "You …"; the others read her name (below).
    expect(messages.get_by_text("You changed the group picture")).to_be_visible()
    header_picture = ann.get_by_role("banner").get_by_role("img", name=title)
    assert _loaded_width(header_picture) == SIDE

    # Ben, a plain member, sees the new picture but is not offered to change it.
    ben = open_as(browser, app_url, viewport, ben_name)
    row = _chat_row(ben, title)
    assert _loaded_width(row.get_by_role("img", name=title)) == SIDE
    ben.goto(f"/chat/{chat_id}")
    expect(ben.get_by_role("list", name="Messages")).to_contain_text(
        f"{admin} changed the group picture"
    )
    ben.get_by_role("button", name="Chat info").click()
    b_info = ben.get_by_role("dialog", name="Group info")
    expect(b_info.get_by_role("list", name="Members").get_by_role("listitem")).to_have_count(2)
    assert _loaded_width(b_info.get_by_role("img", name=title)) == SIDE
    expect(b_info.get_by_role("button", name="Change group photo")).to_have_count(0)
    expect(ben.locator("#group-photo")).to_have_count(0)

    for page in (ann, ben):
        page.context.close()
