"""Round avatars: the person's or group's picture, or their initials on a colour.

Every list, header and panel draws avatars through :func:`avatar`, so a
picture looks the same everywhere and shows up everywhere once it is set.
"""

from __future__ import annotations

import reflex as rx

from chat_app.ui import tokens
from chat_app.ui.backend_url import backend_href


def _circle(size: str) -> dict[str, str]:
    return {"width": size, "height": size, "minWidth": size, "borderRadius": "50%"}


def avatar(
    initials: rx.Var | str,
    *,
    url: rx.Var | str = "",
    name: rx.Var | str = "",
    size: str = "40px",
    color: rx.Var | str = tokens.AVATAR,
) -> rx.Component:
    """``url`` is a signed backend path from the state ("" for none); ``name`` is what
    a screen reader says for either form (the picture's alt text)."""
    label = name if isinstance(name, rx.Var) else (name or None)
    initials_circle = rx.box(
        rx.text(initials, weight="medium", style={"fontSize": "calc(" + size + " * 0.4)"}),
        aria_label=label,
        role="img" if label is not None else None,
        style={
            **_circle(size),
            "display": "flex",
            "alignItems": "center",
            "justifyContent": "center",
            "background": color,
            "color": "#FFFFFF",
            "userSelect": "none",
        },
    )
    if isinstance(url, str) and not url:
        return initials_circle
    url_var = url if isinstance(url, rx.Var) else rx.Var.create(url)
    picture = rx.image(
        src=backend_href(url_var),
        alt=name,
        class_name="wa-avatar-img",
        loading="lazy",  # a long chat list fetches only the pictures on screen
        style={**_circle(size), "objectFit": "cover", "display": "block"},
    )
    return rx.cond(url_var != "", picture, initials_circle)
