"""Esc closes the dialog in front (assets/dialog_escape.jsx), as a component.

Mount it once per page that has dialogs; give each dialog's close control
``custom_attrs=closes_dialog()`` so the key knows what to press.
"""

from __future__ import annotations

import reflex as rx


def closes_dialog() -> dict[str, str]:
    """Custom attributes of a dialog's own close control (its X, Cancel or Close).

    A new dict for every control: Reflex stores a control's ``aria_label`` into
    the ``custom_attrs`` dict it is given, so one shared dict carried the X
    button's "Close" onto every Cancel button as its accessible name.
    """
    return {"data-closes-dialog": "true"}


class DialogEscape(rx.Component):
    library = "$/public/dialog_escape.jsx"
    tag = "DialogEscape"


def dialog_escape() -> rx.Component:
    return DialogEscape.create()
