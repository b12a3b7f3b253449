"""An error said where it happened: red text announced to screen readers, and
nothing at all (no room taken) while there is nothing to say."""

from __future__ import annotations

from typing import Literal

import reflex as rx

from chat_app.ui import tokens


def alert_text(
    message: rx.Var,
    error_id: str = "",
    *,
    align: Literal["left", "center"] | None = None,
) -> rx.Component:
    """``message`` when it is not empty; ``error_id`` lets a field name it
    (``aria-describedby``)."""
    return rx.cond(
        message != "",
        rx.text(
            message,
            id=error_id or None,
            role="alert",
            size="2",
            align=align,
            style={"color": tokens.DANGER},
        ),
    )
