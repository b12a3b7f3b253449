"""The attach dialog used as people use it: again and again, cancelled halfway, left by
a reload or a sign-out, and each time it opens clean and can be closed."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, Locator, Page, expect

from tests.browser.helpers import (
    SIGN_IN_URL,
    DirectChat,
    alice_and_bob,
    open_as,
    sign_in,
    sign_out,
    slow_uploads,
)
from tests.sample_files import noise_png, pdf

DIALOG = "Send photos or documents"
UPLOAD = "/_upload"
MEGABYTE = 1024 * 1024
# About 1 MB at this rate takes a few seconds: the upload is still going when
# the person cancels, reloads or signs out, and its progress keeps being reported.
SLOW_BYTES_PER_SECOND = 200_000
# A photo sent whole on that connection, on a busy machine.
SENT_WITHIN_MS = 60_000


def _file(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def _alice_in_her_chat(browser: Browser, app_url: str, viewport: str) -> tuple[DirectChat, Page]:
    """Alice with her chat with Bob open, on a connection slow to upload."""
    pair = alice_and_bob()
    page = open_as(browser, app_url, viewport, pair.alice)
    page.goto(f"/chat/{pair.chat_id}")
    expect(page.get_by_role("textbox", name="Type a message")).to_be_visible()
    slow_uploads(page, SLOW_BYTES_PER_SECOND)
    return pair, page


def _open_clean_dialog(page: Page) -> Locator:
    """Attach opens the dialog fresh: nothing chosen, no progress, Send ready."""
    page.get_by_role("button", name="Attach").click()
    dialog = page.get_by_role("dialog", name=DIALOG)
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Send", exact=True)).to_be_enabled()
    expect(dialog.get_by_label("Total upload progress")).to_have_count(0)
    expect(dialog.get_by_role("list", name="Chosen files").get_by_role("listitem")).to_have_count(0)
    expect(dialog.get_by_role("alert")).to_have_count(0)
    return dialog


def _choose_and_send(page: Page, dialog: Locator, path: Path) -> None:
    page.locator("#attachments input[type=file]").set_input_files(str(path))
    expect(dialog.get_by_role("list", name="Chosen files")).to_contain_text(path.name)
    dialog.get_by_role("button", name="Send", exact=True).click()


def _start_slow_upload(page: Page, path: Path) -> Locator:
    """A photo halfway up the wire: the dialog shows its progress."""
    dialog = _open_clean_dialog(page)
    _choose_and_send(page, dialog, path)
    expect(dialog.get_by_label("Total upload progress")).to_be_visible()
    return dialog


def _sent(page: Page, name: str) -> Locator:
    link = page.get_by_role("img", name=name).or_(page.get_by_role("link", name=f"Download {name}"))
    return page.get_by_role("list", name="Messages").locator(link)


def test_cancel_is_named_cancel(browser: Browser, app_url: str, viewport: str) -> None:
    """A screen reader announces the button as it reads: "Cancel", not "Close"."""
    _, page = _alice_in_her_chat(browser, app_url, viewport)
    page.get_by_role("button", name="Attach").click()
    dialog = page.get_by_role("dialog", name=DIALOG)
    cancel = dialog.get_by_role("button", name="Cancel", exact=True)
    expect(cancel).to_be_visible()
    expect(dialog.get_by_role("button", name="Close")).to_have_count(0)
    cancel.click()
    expect(dialog).to_be_hidden()


def test_the_dialog_closes_mid_upload_and_works_every_time(
    browser: Browser, app_url: str, viewport: str, tmp_path: Path
) -> None:
    _, page = _alice_in_her_chat(browser, app_url, viewport)

    # Esc, then Cancel, while a photo is still uploading: the dialog goes away
    # at once and the photo is not sent.
    dialog = _start_slow_upload(page, _file(tmp_path, "changed-my-mind.png", noise_png()))
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    dialog = _start_slow_upload(page, _file(tmp_path, "not-this-one.png", noise_png()))
    dialog.get_by_role("button", name="Cancel", exact=True).click()
    expect(dialog).to_be_hidden()

    # A photo, a document, another photo: each goes out and the next Attach is fresh.
    for path in (
        _file(tmp_path, "first.png", noise_png()),
        _file(tmp_path, "minutes.pdf", pdf()),
        _file(tmp_path, "second.png", noise_png()),
    ):
        dialog = _open_clean_dialog(page)
        _choose_and_send(page, dialog, path)
        expect(dialog).to_be_hidden(timeout=SENT_WITHIN_MS)
        expect(_sent(page, path.name)).to_be_visible()
    _open_clean_dialog(page)

    messages = page.get_by_role("list", name="Messages")
    expect(messages.get_by_role("listitem")).to_have_count(3)
    expect(messages).not_to_contain_text("changed-my-mind.png")
    expect(messages).not_to_contain_text("not-this-one.png")


def test_the_dialog_does_not_outlive_a_reload_or_a_sign_out(
    browser: Browser, app_url: str, viewport: str, tmp_path: Path
) -> None:
    pair, page = _alice_in_her_chat(browser, app_url, viewport)
    dialog = page.get_by_role("dialog", name=DIALOG)

    _start_slow_upload(page, _file(tmp_path, "reloaded.png", noise_png()))
    page.reload()
    expect(page.get_by_role("textbox", name="Type a message")).to_be_visible()
    expect(dialog).to_be_hidden()

    # Signing out in another tab signs this one out too, upload or not.
    _start_slow_upload(page, _file(tmp_path, "signed-out.png", noise_png()))
    other_tab = page.context.new_page()
    other_tab.goto("/")
    sign_out(other_tab)
    expect(page).to_have_url(SIGN_IN_URL)
    sign_in(page, pair.alice)
    expect(page.get_by_role("list", name="Chats")).to_be_visible()
    page.goto(f"/chat/{pair.chat_id}")
    expect(page.get_by_role("textbox", name="Type a message")).to_be_visible()
    expect(dialog).to_be_hidden()

    slow_uploads(page, SLOW_BYTES_PER_SECOND)
    after = _file(tmp_path, "after.png", noise_png())
    dialog = _open_clean_dialog(page)
    _choose_and_send(page, dialog, after)
    expect(dialog).to_be_hidden(timeout=SENT_WITHIN_MS)
    expect(_sent(page, after.name)).to_be_visible()


def test_files_too_large_or_too_many_are_refused_before_uploading(
    browser: Browser, app_url: str, viewport: str, tmp_path: Path
) -> None:
    _, page = _alice_in_her_chat(browser, app_url, viewport)
    uploads: list[str] = []
    page.on(
        "request", lambda request: uploads.append(request.url) if UPLOAD in request.url else None
    )
    chooser = page.locator("#attachments input[type=file]")
    dialog = _open_clean_dialog(page)
    refusal = dialog.get_by_role("alert")
    chosen = dialog.get_by_role("list", name="Chosen files").get_by_role("listitem")

    # Over the 25 MB limit (MAX_UPLOAD_BYTES): refused at once, with the reason and the limit.
    for name in ("big.bin", "scan.pdf"):
        with (tmp_path / name).open("wb") as big:
            big.truncate(27 * MEGABYTE)
        chooser.set_input_files(str(tmp_path / name))
        expect(refusal).to_have_text(f"{name} is 27 MB; files can be up to 25 MB.")
        expect(chosen).to_have_count(0)

    notes = [_file(tmp_path, f"note-{n}.pdf", pdf()) for n in range(11)]
    chooser.set_input_files([str(path) for path in notes])
    expect(refusal).to_have_text("11 files chosen; send up to 10 at once.")
    expect(chosen).to_have_count(0)

    # Ten are fine, and they go out; only then did anything reach the server.
    assert uploads == []
    chooser.set_input_files([str(path) for path in notes[:10]])
    expect(chosen).to_have_count(10)
    dialog.get_by_role("button", name="Send", exact=True).click()
    expect(dialog).to_be_hidden()
    expect(_sent(page, "note-9.pdf")).to_be_visible()
    assert len(uploads) == 1
