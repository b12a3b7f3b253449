"""An open chat; the URL names it, so links and the back button work."""

from __future__ import annotations

import reflex as rx

from chat_app.routes import CHAT_PAGE
from chat_app.state.chat_list import ChatListState
from chat_app.ui.components.attach_dialog import attach_button, attach_dialog
from chat_app.ui.components.chat_info_button import chat_info_button
from chat_app.ui.components.conversation_pane import conversation_pane
from chat_app.ui.components.shell import shell

ROUTE = CHAT_PAGE
# The tab title counts the chats with unread messages: "(3) Chat".
TITLE = ChatListState.page_title


def page() -> rx.Component:
    return shell(
        conversation_pane(
            header_extra=chat_info_button(), attach=rx.fragment(attach_button(), attach_dialog())
        ),
        chat_open=True,
    )
