"""New-message notifications, the favicon badge and the prompt that asks for permission
(``assets/chat_notifications.jsx``), wired to their controllers."""

from __future__ import annotations

import reflex as rx
from reflex.event import passthrough_event_spec

from chat_app.state.chat_list import ChatListState
from chat_app.state.notifications import Notice, NotificationState
from chat_app.ui import tokens
from chat_app.ui.components.icon_button import icon_button

LIBRARY = "$/public/chat_notifications.jsx"


class ChatNotifier(rx.Component):
    library = LIBRARY
    tag = "ChatNotifier"

    unread: rx.Var[int]
    notice: rx.Var[Notice]

    on_open: rx.EventHandler[passthrough_event_spec(dict)]


class NotificationPrompt(rx.Component):
    library = LIBRARY
    tag = "NotificationPrompt"


class NotificationSetting(rx.Component):
    """The on/off switch for the profile panel; its state is the browser's."""

    library = LIBRARY
    tag = "NotificationSetting"


def chat_notifier() -> rx.Component:
    """Renders nothing; place once in the signed-in shell."""
    return ChatNotifier.create(
        unread=ChatListState.unread_chats,
        notice=NotificationState.notice,
        on_open=NotificationState.open_chat,
    )


def notification_prompt() -> rx.Component:
    """WhatsApp Web's banner at the top of the chat list, until answered or dismissed."""
    return NotificationPrompt.create(_prompt_body())


def _prompt_body() -> rx.Component:
    return rx.hstack(
        rx.center(
            rx.icon("bell-off", size=24, color=tokens.ON_ACCENT),
            aria_hidden="true",
            style={
                "width": "48px",
                "height": "48px",
                "flexShrink": "0",
                "borderRadius": "50%",
                "background": tokens.ACCENT,
            },
        ),
        rx.vstack(
            rx.text("Get notified of new messages", size="3", style={"color": tokens.TEXT}),
            rx.el.button(
                "Turn on notifications",
                rx.icon("chevron-right", size=16),
                type="button",
                data_notifications="enable",
                style={
                    "display": "flex",
                    "alignItems": "center",
                    "gap": tokens.SPACE_1,
                    "minHeight": tokens.TAP_TARGET,
                    "padding": "0",
                    "border": "none",
                    "background": "transparent",
                    "color": tokens.TEXT_SECONDARY,
                    "fontSize": "14px",
                    "cursor": "pointer",
                },
            ),
            spacing="0",
            style={"flex": "1", "minWidth": "0"},
        ),
        icon_button("x", label="Dismiss", data_notifications="dismiss"),
        role="region",
        aria_label="Turn on notifications",
        align="center",
        spacing="4",
        # The own-bubble surface, with the secondary text that reads on it.
        class_name="wa-own",
        style={"padding": f"{tokens.SPACE_3} {tokens.SPACE_4}"},
    )
