"""The right pane on a desktop while no chat is open."""

from __future__ import annotations

import reflex as rx

from chat_app.ui import tokens


def conversation_placeholder() -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.icon("message-circle", size=64, color=tokens.TEXT_SECONDARY),
            rx.heading("Chat for the web", size="7", weight="light", style={"color": tokens.TEXT}),
            rx.text(
                "Pick a chat on the left, or start a new one, to send and receive messages.",
                align="center",
                style={"color": tokens.TEXT_SECONDARY, "maxWidth": "420px"},
            ),
            rx.hstack(
                rx.icon("lock", size=14),
                rx.text("Your messages stay on your own server.", size="1"),
                spacing="1",
                align="center",
                style={"color": tokens.TEXT_SECONDARY, "marginTop": tokens.SPACE_6},
            ),
            align="center",
            spacing="3",
        ),
        class_name="wa-desktop-only",
        style={
            "flex": "1",
            "height": "100%",
            "background": tokens.PANEL,
            "borderBottom": f"6px solid {tokens.ACCENT}",
        },
    )
