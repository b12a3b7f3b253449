"""Keeps the file input that ``rx.upload.root`` builds inside itself away from screen readers.

Reflex creates that ``<input type="file">`` (react-dropzone's hidden input,
out of the tab order) and takes no props for it. Screen readers still found
it: an unnamed field, or, once named, a second button beside the visible one.
The visible button or drop zone is the control; the input is hidden from
assistive technology, as it already is from the eye and the keyboard.
"""

from __future__ import annotations

import reflex as rx


def hide_file_input(upload_root: rx.Component) -> rx.Component:
    zone = upload_root.children[0]
    file_input = zone.children[0] if zone.children else None
    if getattr(file_input, "tag", None) != "input":
        raise TypeError("rx.upload.root no longer opens with its file input; hide it elsewhere")
    file_input.custom_attrs["aria-hidden"] = "true"
    return upload_root
