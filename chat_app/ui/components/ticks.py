"""✓ sent, ✓✓ delivered, blue ✓✓ read."""

from __future__ import annotations

import reflex as rx

from chat_app.ui import tokens


def ticks(status: rx.Var[str], *, size: int = 16) -> rx.Component:
    return rx.match(
        status,
        (
            "read",
            rx.icon("check-check", size=size, color="var(--wa-ticks-read)", aria_label="Read"),
        ),
        (
            "delivered",
            rx.icon("check-check", size=size, color=tokens.TEXT_SECONDARY, aria_label="Delivered"),
        ),
        ("sent", rx.icon("check", size=size, color=tokens.TEXT_SECONDARY, aria_label="Sent")),
        rx.fragment(),
    )
