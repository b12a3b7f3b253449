"""A message in the conversation: bubble, quote, attachments, time, ticks, reactions, menu."""

from __future__ import annotations

import reflex as rx
from reflex.event import passthrough_event_spec

from chat_app.state.conversation import ConversationState
from chat_app.state.message_actions import MessageActionsState
from chat_app.state.message_rows import AttachmentRow, MessageRow, ReactionRow
from chat_app.ui import tokens
from chat_app.ui.backend_url import backend_href
from chat_app.ui.components.icon_button import menu_chevron
from chat_app.ui.components.ticks import ticks

QUICK_REACTIONS = ("👍", "❤️", "😂", "😮", "😢", "🙏")


def _pill(text: rx.Var, *, extra_class: str = "", **props) -> rx.Component:
    return rx.center(
        rx.box(text, class_name=f"wa-pill {extra_class}".strip(), **props), width="100%"
    )


def _reply_quote(row: MessageRow) -> rx.Component:
    return rx.el.button(
        rx.text(row.reply_name, size="1", weight="bold", style={"color": tokens.ACCENT_STRONG}),
        rx.text(row.reply_snippet, size="2", class_name="wa-ellipsis"),
        type="button",
        aria_label="Show the quoted message",
        on_click=ConversationState.show_message(row.reply_id),
        class_name="wa-quote",
    )


def _attachment(item: AttachmentRow) -> rx.Component:
    return rx.cond(
        item.is_image,
        rx.link(
            rx.image(
                src=backend_href(item.url),
                alt=item.name,
                class_name="wa-thumb",
                loading="lazy",
                # The box is the picture's before it loads (its proportions from the
                # attributes, its width from the stored size, scaled in theme.css),
                # so loading it moves nothing in the conversation.
                custom_attrs={"width": item.width, "height": item.height},
                style={"--wa-photo-width": item.width.to_string() + "px"},
            ),
            href=backend_href(item.url),
            is_external=True,
            aria_label="Open " + item.name,
        ),
        rx.link(
            rx.hstack(
                rx.icon("file-text", size=28, color=tokens.TEXT_SECONDARY),
                rx.vstack(
                    rx.text(item.name, size="2", weight="medium", class_name="wa-ellipsis"),
                    rx.text(item.size_label + " · " + item.type_label, size="1"),
                    spacing="0",
                    min_width="0",
                ),
                rx.icon("download", size=20, color=tokens.TEXT_SECONDARY),
                align="center",
                spacing="2",
                class_name="wa-doc",
            ),
            href=backend_href(item.url),
            is_external=True,
            underline="none",
            aria_label="Download " + item.name,
            style={"color": "inherit"},
        ),
    )


def _reaction(row: MessageRow, reaction: ReactionRow) -> rx.Component:
    return rx.el.button(
        reaction.emoji,
        rx.cond(reaction.count > 1, rx.text.span(" ", reaction.count)),
        type="button",
        aria_pressed=rx.cond(reaction.mine, "true", "false"),
        aria_label=reaction.emoji + " " + reaction.count.to_string(),
        on_click=MessageActionsState.react(row.id, reaction.emoji),
        class_name="wa-reaction",
    )


class MessageMenu(rx.Component):
    """The one menu of every message in the open chat (assets/message_menu.jsx),
    opened from a message's chevron, a right click or a long press on its bubble."""

    library = "$/public/message_menu.jsx"
    tag = "MessageMenu"

    reactions: rx.Var[list[str]]
    participant: rx.Var[bool]
    is_group: rx.Var[bool]
    on_react: rx.EventHandler[passthrough_event_spec(int, str)]
    on_reply: rx.EventHandler[passthrough_event_spec(int)]
    on_edit: rx.EventHandler[passthrough_event_spec(int)]
    on_info: rx.EventHandler[passthrough_event_spec(int)]
    on_delete: rx.EventHandler[passthrough_event_spec(int)]


def message_menu() -> rx.Component:
    # A group I am no longer in is read-only: only copying is left.
    return MessageMenu.create(
        reactions=list(QUICK_REACTIONS),
        participant=~ConversationState.former,
        is_group=ConversationState.is_group,
        on_react=MessageActionsState.react,
        on_reply=ConversationState.reply_to,
        on_edit=MessageActionsState.start_edit,
        on_info=MessageActionsState.show_info,
        on_delete=MessageActionsState.ask_delete,
    )


def _bubble_box(row: MessageRow) -> rx.Component:
    return rx.box(
        rx.cond(
            row.show_sender,
            rx.text(row.sender_name, size="1", weight="bold", style={"color": row.sender_color}),
        ),
        rx.cond(row.has_reply, _reply_quote(row)),
        rx.foreach(row.attachments, _attachment),
        rx.cond(
            row.deleted,
            rx.text(
                rx.icon("ban", size=14, style={"display": "inline", "verticalAlign": "-2px"}),
                " ",
                row.body,
                class_name="wa-body wa-deleted",
            ),
            rx.cond(row.body != "", rx.text(row.body, class_name="wa-body")),
        ),
        rx.hstack(
            rx.cond(row.edited, rx.text("edited", size="1")),
            rx.text(row.time_label, size="1"),
            rx.cond(row.is_mine, ticks(row.status)),
            spacing="1",
            align="center",
            class_name="wa-meta",
        ),
        # For a pointer: shown on hover beside the bubble (theme.css), never over
        # its text; on touch a long press opens the menu instead.
        rx.cond(~row.deleted, menu_chevron(label="Message options", class_name="wa-bubble-menu")),
        class_name=rx.cond(row.is_mine, "wa-bubble wa-own", "wa-bubble wa-other")
        + rx.cond(row.first_in_run, " wa-tail", ""),
    )


def message_item(row: MessageRow) -> rx.Component:
    return rx.box(
        rx.cond(row.day_label != "", _pill(row.day_label)),
        rx.cond(
            row.unread_divider != "",
            _pill(row.unread_divider, data_unread_divider="true", extra_class="wa-unread"),
        ),
        rx.cond(
            row.is_system,
            _pill(row.body, role="note"),
            rx.box(
                _bubble_box(row),
                rx.cond(
                    row.reactions.length() > 0,
                    rx.hstack(
                        rx.foreach(row.reactions, lambda r: _reaction(row, r)),
                        spacing="1",
                        class_name="wa-reactions",
                    ),
                ),
                class_name=rx.cond(row.is_mine, "wa-msg wa-msg-own", "wa-msg wa-msg-other"),
            ),
        ),
        id=row.dom_id,
        # What the message's menu (message_menu.jsx) offers for it.
        custom_attrs={
            "data-message-id": row.id,
            "data-mine": row.is_mine,
            "data-can-edit": row.can_edit,
            "data-deleted": row.deleted,
        },
        # Keyed by message, not position: older history loaded above is inserted
        # there, and the rows already on screen are left as they are.
        key=row.dom_id,
        role="listitem",
        class_name=rx.cond(row.first_in_run, "wa-item wa-run-start", "wa-item"),
    )
