"""The frame of the app's dialogs and side panels: full screen on a phone.

From 768 px a dialog is either centred ("center") or a full-height panel on the
right ("right", like WhatsApp Web's info and profile panels). Radix gives focus
trapping and Esc-to-close; ``on_open_change`` receives False on Esc, outside
clicks and the close button alike.
"""

from __future__ import annotations

from typing import Any, Literal

import reflex as rx

from chat_app.ui import tokens
from chat_app.ui.components.dialog_escape import closes_dialog
from chat_app.ui.components.icon_button import icon_button

DESKTOP = f"@media (min-width: {tokens.PHONE_BREAKPOINT_PX}px)"

_PHONE = {
    "position": "fixed",
    "inset": "0",
    "width": "100vw",
    "maxWidth": "100vw",
    "height": "100dvh",
    "maxHeight": "100dvh",
    "margin": "0",
    "padding": "env(safe-area-inset-top) env(safe-area-inset-right) "
    "env(safe-area-inset-bottom) env(safe-area-inset-left)",
    "borderRadius": "0",
    "display": "flex",
    "flexDirection": "column",
    "overflow": "hidden",
    "background": tokens.SIDEBAR,
    "color": tokens.TEXT,
}

_DESKTOP = {
    "center": {
        "position": "relative",
        "inset": "auto",
        "width": "440px",
        "maxWidth": "calc(100vw - 48px)",
        "height": "min(640px, 85vh)",
        "margin": "auto",
        "padding": "0",
        "borderRadius": tokens.RADIUS_M,
    },
    "right": {
        "inset": "0 0 0 auto",
        "width": "min(420px, 40vw)",
        "minWidth": "340px",
        "padding": "0",
        "boxShadow": "-2px 0 8px rgba(11, 20, 26, 0.2)",
    },
}


_HIDDEN = {
    "position": "absolute",
    "width": "1px",
    "height": "1px",
    "overflow": "hidden",
    "clip": "rect(0 0 0 0)",
    "whiteSpace": "nowrap",
}


def panel_header(
    title: rx.Var | str, *, on_close: Any, back: rx.Component | None = None
) -> rx.Component:
    """Title bar: an optional back button, the dialog's title, and Close."""
    return rx.hstack(
        back if back is not None else rx.fragment(),
        rx.dialog.title(
            title,
            as_="h2",
            size="4",
            weight="medium",
            margin="0",
            class_name="wa-ellipsis",
            style={"flex": "1", "color": tokens.TEXT},
        ),
        icon_button("x", label="Close", on_click=on_close, custom_attrs=closes_dialog()),
        align="center",
        spacing="2",
        style={
            "background": tokens.PANEL,
            "padding": f"{tokens.SPACE_2} {tokens.SPACE_3}",
            "minHeight": "59px",
            "flexShrink": "0",
        },
    )


def panel_body(*children: rx.Component, **props) -> rx.Component:
    """The scrolling middle of a dialog."""
    return rx.box(
        *children,
        style={"flex": "1", "overflowY": "auto", "overflowX": "hidden", "minHeight": "0"},
        **props,
    )


def panel_dialog(
    header: rx.Component,
    *children: rx.Component,
    is_open: rx.Var,
    on_open_change: Any,
    layout: Literal["center", "right"] = "center",
    description: str = "",
) -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            header,
            # Radix wants a description; screen readers read it after the title.
            rx.dialog.description(description, style=_HIDDEN),
            *children,
            style={**_PHONE, DESKTOP: _DESKTOP[layout]},
        ),
        open=is_open,
        on_open_change=on_open_change,
    )
