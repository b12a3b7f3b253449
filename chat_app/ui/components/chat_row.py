"""One row of the chat list, laid out like WhatsApp's."""

from __future__ import annotations

import reflex as rx
from reflex.event import passthrough_event_spec

from chat_app.state.chat_list import ChatListState, ChatRow
from chat_app.ui import tokens
from chat_app.ui.components.avatar import avatar
from chat_app.ui.components.icon_button import menu_chevron
from chat_app.ui.components.ticks import ticks


class ChatRowMenu(rx.Component):
    """The one options menu of every row (assets/chat_row_menu.jsx), opened from
    a row's chevron: pin, mute, archive."""

    library = "$/public/chat_row_menu.jsx"
    tag = "ChatRowMenu"

    on_flag: rx.EventHandler[passthrough_event_spec(int, str, bool)]


def chat_row_menu() -> rx.Component:
    return ChatRowMenu.create(on_flag=ChatListState.set_flag)


def chat_row(row: ChatRow) -> rx.Component:
    return rx.box(
        _row_link(row),
        menu_chevron(label="Chat options", class_name="wa-row-menu"),
        # Keyed by chat: a chat that moves to the top moves, the others stay put.
        key=row.chat_id,
        role="listitem",
        class_name="wa-list-row",
        data_active=rx.cond(ChatListState.active_chat_id == row.chat_id, "true", "false"),
        # What the options menu (chat_row_menu.jsx) offers for this chat.
        custom_attrs={
            "data-chat-id": row.chat_id,
            "data-pinned": row.pinned,
            "data-muted": row.muted,
            "data-archived": row.archived,
        },
        style={"position": "relative"},
    )


def _last_message(row: ChatRow) -> rx.Component:
    """My unsent draft ("Draft:" in green, as on WhatsApp), else the last message."""
    return rx.cond(
        row.draft != "",
        rx.text(
            rx.el.span(
                "Draft: ", class_name="wa-draft-label", style={"color": tokens.ACCENT_STRONG}
            ),
            row.draft,
            size="2",
            class_name="wa-ellipsis",
            style={"color": tokens.TEXT_SECONDARY, "flex": "1"},
        ),
        rx.fragment(
            rx.cond(row.status != "", ticks(row.status)),
            rx.text(
                row.preview,
                size="2",
                class_name="wa-ellipsis",
                style={"color": tokens.TEXT_SECONDARY, "flex": "1"},
            ),
        ),
    )


def _preview(row: ChatRow) -> rx.Component:
    """ "typing…" in green while someone types (as on WhatsApp), else draft or last message."""
    typing = ChatListState.typing.get(row.chat_id.to_string(), "")
    return rx.cond(
        typing != "",
        rx.text(
            typing,
            size="2",
            class_name="wa-ellipsis wa-typing",
            style={"color": tokens.ACCENT_STRONG, "flex": "1"},
        ),
        _last_message(row),
    )


def _row_part_id(row: ChatRow, part: str) -> rx.Var:
    return "chat-" + row.chat_id.to_string() + "-" + part


def _state_icon(icon: str, label: str) -> rx.Component:
    """A mute or pin mark that a screen reader names, as the eye reads the icon."""
    return rx.box(
        rx.icon(icon, size=16, color=tokens.TEXT_SECONDARY),
        role="img",
        aria_label=label,
        style={"display": "flex"},
    )


def _row_link(row: ChatRow) -> rx.Component:
    unread = row.unread > 0
    return rx.link(
        rx.hstack(
            avatar(
                row.initials,
                url=row.avatar_url,
                name=row.name,
                size="48px",
                color=row.avatar_color,
            ),
            rx.vstack(
                rx.hstack(
                    rx.text(
                        row.name,
                        weight=rx.cond(unread, "bold", "regular"),
                        class_name="wa-ellipsis",
                        style={"color": tokens.TEXT, "flex": "1", "fontSize": "16px"},
                    ),
                    rx.text(
                        row.time_label,
                        id=_row_part_id(row, "time"),
                        size="1",
                        style={
                            "color": rx.cond(unread, tokens.ACCENT_STRONG, tokens.TEXT_SECONDARY)
                        },
                    ),
                    width="100%",
                    align="center",
                ),
                rx.hstack(
                    _preview(row),
                    rx.cond(row.muted, _state_icon("bell-off", "Muted")),
                    rx.cond(row.pinned, _state_icon("pin", "Pinned")),
                    rx.cond(
                        unread,
                        rx.box(
                            row.unread_label,
                            aria_label=row.unread_label + " unread",
                            class_name=rx.cond(
                                row.muted, "wa-unread-pill wa-unread-muted", "wa-unread-pill"
                            ),
                        ),
                    ),
                    rx.box(width="28px", min_width="28px"),  # room for the options button
                    id=_row_part_id(row, "summary"),
                    width="100%",
                    align="center",
                    spacing="1",
                ),
                spacing="0",
                width="100%",
                min_width="0",
                style={"borderBottom": f"1px solid {tokens.DIVIDER}", "padding": "10px 0"},
            ),
            align="center",
            spacing="3",
            style={"padding": "0 12px"},
        ),
        href=row.href,
        aria_label=row.name,
        # Named by the chat alone; the time, preview and marks follow as its description.
        aria_describedby=_row_part_id(row, "time") + " " + _row_part_id(row, "summary"),
        underline="none",
        style={"display": "block", "color": "inherit", "minHeight": "72px"},
    )
