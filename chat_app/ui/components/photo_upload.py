"""A "Change photo" button that uploads one picture at once, for any PhotoUploadMixin state.

The picture goes up as soon as it is chosen (or dropped on the button), with
a progress bar while it travels and the service's refusal right under the
button, where the person is looking.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from chat_app.ui import tokens
from chat_app.ui.components.alert_text import alert_text
from chat_app.ui.components.upload_input import hide_file_input, signed_in_upload

# What the picker offers; the service still decides from the bytes.
IMAGES = {
    "image/jpeg": [".jpg", ".jpeg"],
    "image/png": [".png"],
    "image/gif": [".gif"],
    "image/webp": [".webp"],
}


def photo_upload(
    state: Any, *, upload_id: str, label: str, error: rx.Var | None = None
) -> rx.Component:
    """``error`` replaces ``state.photo_error`` where it needs a condition first."""
    error = state.photo_error if error is None else error
    error_id = f"{upload_id}-error"
    return rx.vstack(
        hide_file_input(
            rx.upload.root(
                rx.button(
                    rx.icon("camera", size=18),
                    label,
                    type="button",
                    variant="soft",
                    size="3",
                    loading=state.photo_uploading,
                    aria_describedby=error_id,
                    style={"minHeight": tokens.TAP_TARGET, "cursor": "pointer"},
                ),
                id=upload_id,
                accept=IMAGES,
                multiple=False,
                max_files=1,
                # The button inside takes the keyboard; the drop zone itself is no tab stop.
                no_keyboard=True,
                disabled=state.photo_uploading,
                on_drop=state.upload_photo(signed_in_upload(upload_id, state.track_photo_progress)),
                on_drop_rejected=state.photo_rejected,
            ),
        ),
        rx.cond(
            state.photo_uploading,
            rx.progress(
                value=state.photo_progress, max=100, width="160px", aria_label="Upload progress"
            ),
        ),
        alert_text(error, error_id, align="center"),
        align="center",
        spacing="2",
    )
