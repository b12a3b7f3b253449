"""Round avatars: initials on a colour until people upload a picture."""

from __future__ import annotations

import reflex as rx

from chat_app.ui import tokens


def initials_avatar(
    initials: rx.Var | str,
    *,
    size: str = "40px",
    label: str = "",
    color: rx.Var | str = tokens.ACCENT_STRONG,
) -> rx.Component:
    return rx.box(
        rx.text(initials, weight="medium", style={"fontSize": "calc(" + size + " * 0.4)"}),
        aria_label=label or None,
        role="img" if label else None,
        style={
            "width": size,
            "height": size,
            "minWidth": size,
            "borderRadius": "50%",
            "display": "flex",
            "alignItems": "center",
            "justifyContent": "center",
            "background": color,
            "color": "#FFFFFF",
            "userSelect": "none",
        },
    )
