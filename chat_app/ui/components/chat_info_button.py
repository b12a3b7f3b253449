"""The conversation header's "Chat info" button, with the panel it opens."""

from __future__ import annotations

import reflex as rx

from chat_app.state.chat_info import ChatInfoState
from chat_app.ui.components.chat_info_panel import chat_info_panel
from chat_app.ui.components.icon_button import icon_button


def chat_info_button() -> rx.Component:
    return rx.fragment(
        icon_button(
            "info",
            label="Chat info",
            on_click=ChatInfoState.open_panel,
        ),
        chat_info_panel(),
    )
