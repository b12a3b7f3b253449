"""Any address the app does not know: says so and leads back to the chats."""

from __future__ import annotations

import reflex as rx

from chat_app.routes import NOT_FOUND
from chat_app.ui import tokens
from chat_app.ui.components.auth_card import auth_card

ROUTE = NOT_FOUND
TITLE = "Page not found · Chat"


def page() -> rx.Component:
    return auth_card(
        "Page not found",
        "Nothing lives at this address. The link may be old or mistyped.",
        rx.link("Go to your chats", href="/", style={"color": tokens.ACCENT_STRONG}),
    )
