"""The open chat: header, message area on the wallpaper, composer, and its dialogs."""

from __future__ import annotations

import reflex as rx

from chat_app.state.chat_list import ChatListState
from chat_app.state.conversation import COMPOSER_ID, NO_LONGER_PARTICIPANT, ConversationState
from chat_app.state.message_actions import MessageActionsState
from chat_app.ui import tokens
from chat_app.ui.components.alert_text import alert_text
from chat_app.ui.components.avatar import avatar
from chat_app.ui.components.composer import composer, composer_outbox
from chat_app.ui.components.confirm_dialog import confirm_dialog
from chat_app.ui.components.conversation_keys import (
    BACK_LINK_ID,
    EDIT_DIALOG_ID,
    INFO_DIALOG_ID,
    conversation_keys,
)
from chat_app.ui.components.dialog_escape import closes_dialog
from chat_app.ui.components.icon_button import icon_button, icon_link
from chat_app.ui.components.message_bubble import message_item, message_menu
from chat_app.ui.components.message_scroller import message_scroller


def _header_skeleton() -> rx.Component:
    """While the chat loads: grey shapes where its picture and name will be, not
    the "?" of a name not known yet."""
    return rx.hstack(
        rx.skeleton(rx.box(width="40px", height="40px"), style={"borderRadius": "50%"}),
        rx.skeleton(rx.box(width="140px", height="16px")),
        align="center",
        spacing="3",
        flex="1",
        role="status",
        aria_label="Loading chat",
        aria_busy="true",
    )


def _header_identity() -> rx.Component:
    return rx.fragment(
        avatar(
            ConversationState.initials,
            url=ConversationState.avatar_url,
            name=ConversationState.name,
            color=ConversationState.avatar_color,
        ),
        rx.vstack(
            rx.text(ConversationState.name, weight="medium", class_name="wa-ellipsis", size="3"),
            rx.cond(
                ChatListState.open_chat_typing != "",
                rx.text(
                    ChatListState.open_chat_typing,
                    size="1",
                    class_name="wa-ellipsis wa-typing",
                    style={"color": tokens.ACCENT_STRONG},
                ),
                rx.text(
                    ConversationState.subtitle,
                    size="1",
                    class_name="wa-ellipsis wa-chat-subtitle",
                    style={"color": tokens.TEXT_SECONDARY},
                ),
            ),
            spacing="0",
            min_width="0",
            flex="1",
        ),
    )


def _header(extra: rx.Component) -> rx.Component:
    return rx.box(
        icon_link(
            "arrow-left",
            label="Back to chats",
            href="/",
            id=BACK_LINK_ID,
            class_name="wa-phone-only",
        ),
        rx.cond(ConversationState.name == "", _header_skeleton(), _header_identity()),
        rx.cond(
            ConversationState.former,
            icon_button(
                "trash-2", label="Delete chat", on_click=ConversationState.ask_delete_chat(True)
            ),
        ),
        extra,
        class_name="wa-conv-header",
        role="banner",
    )


def _messages() -> rx.Component:
    return message_scroller(
        rx.cond(
            ConversationState.has_older,
            rx.center(
                rx.button(
                    "Load earlier messages",
                    variant="soft",
                    size="1",
                    on_click=ConversationState.load_older,
                ),
                padding="8px",
            ),
        ),
        rx.box(
            rx.foreach(ConversationState.messages, message_item),
            composer_outbox(),
            role="list",
            aria_label="Messages",
            # A polite live region: a screen reader reads each message added to
            # the list once it has finished what it was saying, not the whole list.
            aria_live="polite",
            aria_relevant="additions",
            style={"display": "flex", "flexDirection": "column"},
        ),
        scroll_key=ConversationState.scroll_key,
        first_id=ConversationState.first_id,
        last_id=ConversationState.last_id,
        scroll_to_id=ConversationState.scroll_to_id,
        on_reach_top=ConversationState.load_older,
        on_bottom_change=ConversationState.bottom_changed,
        class_name="wa-messages",
    )


def _jump_to_latest() -> rx.Component:
    return rx.cond(
        ~ConversationState.at_bottom | ConversationState.has_newer,
        rx.el.button(
            rx.icon("chevrons-down", size=22),
            type="button",
            aria_label="Jump to latest",
            on_click=ConversationState.jump_to_latest,
            class_name="wa-jump",
        ),
    )


def _action_error() -> rx.Component:
    return rx.cond(
        MessageActionsState.action_error != "",
        rx.callout(
            MessageActionsState.action_error,
            icon="triangle-alert",
            color_scheme="red",
            role="alert",
            style={"margin": "8px 12px"},
            on_click=MessageActionsState.dismiss_error,
        ),
    )


def _back_to_composer() -> rx.event.EventSpec:
    """Where focus goes when a message dialog closes: opened from a menu or the Up arrow,
    it would otherwise fall to the page body and a keyboard user would start over."""
    return rx.set_focus(COMPOSER_ID)


def _edit_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Edit message"),
            rx.form(
                rx.text_area(
                    name="body",
                    default_value=MessageActionsState.editing_text,
                    aria_label="Edited message",
                    auto_focus=True,
                    # Enter saves, Shift+Enter breaks the line: as in the composer.
                    enter_key_submit=True,
                    rows="4",
                ),
                rx.cond(
                    MessageActionsState.edit_error != "",
                    rx.text(
                        MessageActionsState.edit_error, role="alert", color_scheme="red", size="2"
                    ),
                ),
                rx.hstack(
                    rx.dialog.close(
                        rx.button(
                            "Cancel", variant="soft", type="button", custom_attrs=closes_dialog()
                        )
                    ),
                    rx.button("Save", type="submit"),
                    justify="end",
                    spacing="2",
                    margin_top="12px",
                ),
                on_submit=MessageActionsState.save_edit,
                reset_on_submit=False,
            ),
            on_close_auto_focus=_back_to_composer(),
            id=EDIT_DIALOG_ID,
        ),
        open=MessageActionsState.editing_id != 0,
        on_open_change=MessageActionsState.set_edit_open,
    )


def _names(title: str, names: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.text(title, weight="bold", size="2"),
        rx.foreach(names, lambda n: rx.text(n, size="2")),
        rx.cond(names.length() == 0, rx.text("Nobody yet", size="2", color_scheme="gray")),
        spacing="1",
        align="start",
    )


def _info_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Message info"),
            rx.vstack(
                _names("Read by", MessageActionsState.info_read),
                _names("Delivered to", MessageActionsState.info_delivered),
                _names("Not delivered yet", MessageActionsState.info_pending),
                spacing="4",
            ),
            rx.hstack(
                rx.dialog.close(rx.button("Close", variant="soft", custom_attrs=closes_dialog())),
                justify="end",
                margin_top="12px",
            ),
            on_close_auto_focus=_back_to_composer(),
            id=INFO_DIALOG_ID,
        ),
        open=MessageActionsState.info_open,
        on_open_change=MessageActionsState.set_info_open,
    )


def _delete_dialog() -> rx.Component:
    return confirm_dialog(
        "Delete message?",
        description="It will be deleted for everyone in this chat.",
        action="Delete for everyone",
        on_action=MessageActionsState.delete(MessageActionsState.deleting_id),
        open=MessageActionsState.deleting_id != 0,
        on_open_change=MessageActionsState.set_delete_open,
        on_close_auto_focus=_back_to_composer(),
    )


def _no_longer_participant() -> rx.Component:
    """In place of the composer in a group I left or was removed from."""
    return rx.box(
        rx.text(NO_LONGER_PARTICIPANT, size="2", align="center"),
        alert_text(ConversationState.delete_error, align="center"),
        class_name="wa-no-longer-participant",
        role="status",
        style={
            "background": tokens.PANEL,
            "color": tokens.TEXT_SECONDARY,
            "padding": "14px 16px",
        },
    )


def _delete_chat_dialog() -> rx.Component:
    return confirm_dialog(
        'Delete "',
        ConversationState.name,
        '" group?',
        description="It will be deleted from your chats. Its messages stay for its members.",
        action="Delete chat",
        on_action=ConversationState.delete_chat,
        open=ConversationState.confirm_delete,
        on_open_change=ConversationState.ask_delete_chat,
    )


def _missing() -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.icon("message-circle-off", size=48, color=tokens.TEXT_SECONDARY),
            rx.text(ConversationState.missing, align="center"),
            rx.link("Back to chats", href="/"),
            align="center",
            spacing="3",
        ),
        class_name="wa-conversation",
    )


def conversation_pane(*, header_extra: rx.Component, attach: rx.Component) -> rx.Component:
    return rx.cond(
        ConversationState.missing != "",
        _missing(),
        rx.box(
            _header(header_extra),
            _action_error(),
            _messages(),
            _jump_to_latest(),
            rx.cond(ConversationState.former, _no_longer_participant(), composer(attach)),
            _edit_dialog(),
            _delete_chat_dialog(),
            _info_dialog(),
            _delete_dialog(),
            conversation_keys(),
            message_menu(),
            class_name="wa-conversation",
        ),
    )
