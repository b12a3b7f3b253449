"""Icon-only buttons: always labelled for screen readers, always a 44 px tap target."""

from __future__ import annotations

import reflex as rx

from chat_app.ui import tokens


def icon_button(icon: str, *, label: str, **props) -> rx.Component:
    return rx.el.button(
        rx.icon(icon, size=22),
        aria_label=label,
        title=label,
        type="button",
        style={
            "width": tokens.TAP_TARGET,
            "height": tokens.TAP_TARGET,
            "display": "flex",
            "alignItems": "center",
            "justifyContent": "center",
            "borderRadius": "50%",
            "border": "none",
            "background": "transparent",
            "color": tokens.TEXT_SECONDARY,
            "cursor": "pointer",
        },
        **props,
    )
