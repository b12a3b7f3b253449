"""An accessible name for the file input that ``rx.upload.root`` builds inside itself.

Reflex creates that ``<input type="file">`` (react-dropzone's hidden input)
and takes no props for it, yet screen readers still reach it and announce an
unnamed field. The drop zone's own control (a button, or the zone) stays the
one people use; the input is named after it.
"""

from __future__ import annotations

import reflex as rx


def name_file_input(upload_root: rx.Component, label: str) -> rx.Component:
    zone = upload_root.children[0]
    file_input = zone.children[0] if zone.children else None
    if getattr(file_input, "tag", None) != "input":
        raise TypeError("rx.upload.root no longer opens with its file input; name it elsewhere")
    file_input.custom_attrs["aria-label"] = label
    return upload_root
