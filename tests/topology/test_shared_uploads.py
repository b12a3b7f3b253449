"""A file uploaded through one backend is served by every backend: they share one folder."""

from __future__ import annotations

import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import expect

from tests import sample_files
from tests.browser.helpers import message
from tests.stack import Stack
from tests.topology.people import LIVE_TIMEOUT_MS, Conversation


def test_a_photo_uploaded_through_one_backend_is_served_by_the_other(
    stack: Stack, conversation_factory: Callable[[], Conversation], tmp_path: Path
) -> None:
    chat = conversation_factory()
    photo = tmp_path / "harbour.png"
    photo.write_bytes(sample_files.png((320, 240)))

    page = chat.alice.page
    page.get_by_role("button", name="Attach").click()
    page.locator("#attachments input[type=file]").set_input_files(str(photo))
    page.get_by_label("Caption").fill("The harbour")
    page.get_by_role("button", name="Send", exact=True).click()

    seen = message(chat.bob.page, "The harbour").get_by_role("img", name="harbour.png")
    expect(seen).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    assert seen.evaluate("img => img.decode().then(() => img.naturalWidth)") == 320

    # Whichever backend took the upload, each one serves the stored file.
    link = urlsplit(seen.get_attribute("src") or "")
    for backend in stack.backends:
        url = f"http://127.0.0.1:{backend.port}{link.path}?{link.query}"
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.read() == photo.read_bytes(), backend.name
