"""Esc closes the dialog in front (assets/dialog_escape.jsx), as a component.

Mount it once per page that has dialogs; give each dialog's close control
``CLOSES_DIALOG`` so the key knows what to press.
"""

from __future__ import annotations

import reflex as rx

# Custom attributes of a dialog's own close control (its X, Cancel or Close).
CLOSES_DIALOG = {"data-closes-dialog": "true"}


class DialogEscape(rx.Component):
    library = "$/public/dialog_escape.jsx"
    tag = "DialogEscape"


def dialog_escape() -> rx.Component:
    return DialogEscape.create()
