"""A message in the conversation: bubble, quote, attachments, time, ticks, reactions, menu."""

from __future__ import annotations

from typing import Any

import reflex as rx

from chat_app.state.conversation import ConversationState
from chat_app.state.message_actions import MessageActionsState
from chat_app.state.message_rows import AttachmentRow, MessageRow, ReactionRow
from chat_app.ui import tokens
from chat_app.ui.backend_url import backend_href
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


class MessageCopy(rx.Component):
    """Copies a message's text in the browser (assets/message_copy.jsx): the "Copy"
    item names its message and the text is read from the bubble on screen."""

    library = "$/public/message_copy.jsx"
    tag = "MessageCopy"


def _menu_items(row: MessageRow, menu: Any) -> list[rx.Component]:
    """What can be done to a message, for either of its menus (``menu`` is the
    Radix namespace, ``rx.menu`` or ``rx.context_menu``): both list the same."""
    return [
        menu.sub(
            menu.sub_trigger("React"),
            menu.sub_content(
                *[
                    menu.item(
                        emoji,
                        on_select=MessageActionsState.react(row.id, emoji),
                        aria_label="React " + emoji,
                        style={"fontSize": "20px"},
                    )
                    for emoji in QUICK_REACTIONS
                ],
            ),
        ),
        menu.separator(),
        menu.item("Reply", on_select=ConversationState.reply_to(row.id)),
        menu.item("Copy", custom_attrs={"data-copy-message": row.dom_id}),
        rx.cond(row.can_edit, menu.item("Edit", on_select=MessageActionsState.start_edit(row.id))),
        rx.cond(
            row.is_mine & ConversationState.is_group,
            menu.item("Message info", on_select=MessageActionsState.show_info(row.id)),
        ),
        rx.cond(
            row.is_mine,
            menu.item(
                "Delete for everyone",
                color="red",
                on_select=MessageActionsState.ask_delete(row.id),
            ),
        ),
    ]


def _menu(row: MessageRow) -> rx.Component:
    """The chevron's menu, for a pointer: the chevron shows on hover beside the
    bubble (assets/theme.css), never over its text, and not at all on touch."""
    return rx.menu.root(
        rx.menu.trigger(
            rx.el.button(
                rx.icon("chevron-down", size=18),
                type="button",
                aria_label="Message options",
                class_name="wa-bubble-menu",
            )
        ),
        rx.menu.content(*_menu_items(row, rx.menu)),
    )


def _pressable(row: MessageRow, bubble: rx.Component) -> rx.Component:
    """The bubble opens the same menu on a long press (touch) or a right click,
    as WhatsApp's phone app does with no chevron to tap."""
    return rx.context_menu.root(
        rx.context_menu.trigger(bubble, disabled=row.deleted),
        rx.context_menu.content(*_menu_items(row, rx.context_menu)),
    )


def _bubble(row: MessageRow) -> rx.Component:
    return _pressable(row, _bubble_box(row))


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
        rx.cond(~row.deleted, _menu(row)),
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
                _bubble(row),
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
        # Keyed by message, not position: older history loaded above is inserted
        # there, and the rows already on screen are left as they are.
        key=row.dom_id,
        role="listitem",
        class_name=rx.cond(row.first_in_run, "wa-item wa-run-start", "wa-item"),
    )
