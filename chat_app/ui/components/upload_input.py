"""Upload controls: the hidden file input, and upload requests that carry the session.

Keeps the file input that ``rx.upload.root`` builds inside itself away from screen readers.

Reflex creates that ``<input type="file">`` (react-dropzone's hidden input,
out of the tab order) and takes no props for it. Screen readers still found
it: an unnamed field, or, once named, a second button beside the visible one.
The visible button or drop zone is the control; the input is hidden from
assistive technology, as it already is from the eye and the keyboard.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from chat_app.state.session import SessionState


def hide_file_input(upload_root: rx.Component) -> rx.Component:
    zone = upload_root.children[0]
    file_input = zone.children[0] if zone.children else None
    if getattr(file_input, "tag", None) != "input":
        raise TypeError("rx.upload.root no longer opens with its file input; hide it elsewhere")
    file_input.custom_attrs["aria-hidden"] = "true"
    return upload_root


def signed_in_upload(upload_id: str, on_upload_progress: Any) -> Any:
    """``rx.upload_files`` that says who is sending: the upload request carries the
    tab's session token, which the backend checks before reading the body
    (``api/upload_guard.py``). The token is the one the page already holds in
    its state (from localStorage), never text a person typed."""
    return rx.upload_files(
        upload_id=upload_id,
        on_upload_progress=on_upload_progress,
        extra_headers={"Authorization": "Bearer " + SessionState.token},
    )
