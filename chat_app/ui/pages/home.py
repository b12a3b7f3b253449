"""The signed-in home: the chat list (and, on a desktop, a calm placeholder beside it)."""

from __future__ import annotations

import reflex as rx

from chat_app.routes import HOME
from chat_app.state.chat_list import ChatListState
from chat_app.ui.components.conversation_placeholder import conversation_placeholder
from chat_app.ui.components.shell import shell

ROUTE = HOME
# The tab title counts the chats with unread messages: "(3) Chat".
TITLE = ChatListState.page_title


def page() -> rx.Component:
    return shell(conversation_placeholder(), chat_open=False)
