"""The left pane (the whole screen on a phone): header, search, filters, chat list."""

from __future__ import annotations

import reflex as rx

from chat_app.state.chat_list import ChatListState
from chat_app.state.new_chat import NewChatState
from chat_app.state.people_rows import PersonRow
from chat_app.state.profile import ProfileState
from chat_app.state.session import SessionState
from chat_app.ui import tokens
from chat_app.ui.components.account_menu import account_menu
from chat_app.ui.components.avatar import avatar
from chat_app.ui.components.chat_notifications import notification_prompt
from chat_app.ui.components.chat_row import chat_row, chat_row_menu
from chat_app.ui.components.icon_button import icon_button
from chat_app.ui.components.people_picker import ROW_STYLE, person_lines

FILTERS = ("All", "Unread", "Groups")


def _profile_button() -> rx.Component:
    return rx.el.button(
        avatar(
            SessionState.initials,
            url=SessionState.avatar_url,
            name=SessionState.display_name,
        ),
        type="button",
        aria_label="Your profile",
        title="Your profile",
        on_click=ProfileState.open_panel,
        style={
            "padding": "2px",
            "border": "none",
            "borderRadius": "50%",
            "background": "transparent",
            "cursor": "pointer",
        },
    )


def _desktop_header() -> rx.Component:
    return rx.hstack(
        _profile_button(),
        rx.spacer(),
        icon_button("message-square-plus", label="New chat", on_click=NewChatState.open_dialog),
        account_menu(),
        class_name="wa-desktop-only",
        align="center",
        style={
            "background": tokens.PANEL,
            "padding": f"{tokens.SPACE_2} {tokens.SPACE_4}",
            "minHeight": "59px",
        },
    )


def _phone_header() -> rx.Component:
    return rx.hstack(
        rx.heading("Chat", size="6", style={"color": tokens.ACCENT_STRONG}),
        rx.spacer(),
        account_menu(),
        class_name="wa-phone-only",
        align="center",
        style={"padding": f"{tokens.SPACE_2} {tokens.SPACE_4}", "minHeight": "56px"},
    )


def _search() -> rx.Component:
    return rx.box(
        rx.input(
            rx.input.slot(rx.icon("search", size=16)),
            placeholder="Search or start a new chat",
            aria_label="Search chats",
            value=ChatListState.query,
            on_change=ChatListState.set_query,
            size="2",
            radius="large",
            style={"background": tokens.PANEL, "border": "none"},
        ),
        style={"padding": f"{tokens.SPACE_2} {tokens.SPACE_3}"},
    )


def _filter_chip(label: str) -> rx.Component:
    selected = ChatListState.active_filter == label.lower()
    return rx.el.button(
        label,
        type="button",
        aria_pressed=rx.cond(selected, "true", "false"),
        on_click=ChatListState.choose_filter(label.lower()),
        style={
            "border": "none",
            "borderRadius": tokens.RADIUS_PILL,
            "padding": f"{tokens.SPACE_1} {tokens.SPACE_3}",
            "minHeight": "32px",
            "fontSize": "14px",
            "cursor": "pointer",
            "background": rx.cond(selected, "var(--wa-bubble-own)", tokens.PANEL),
            "color": rx.cond(selected, tokens.TEXT, tokens.TEXT_SECONDARY),
        },
    )


def _filters() -> rx.Component:
    return rx.hstack(
        *[_filter_chip(label) for label in FILTERS],
        spacing="2",
        style={"padding": f"0 {tokens.SPACE_3} {tokens.SPACE_2}"},
    )


def _archived_entry() -> rx.Component:
    """The first row of the list, as on WhatsApp: a list item holding the button."""
    return rx.cond(
        (ChatListState.archived_count > 0) | ChatListState.show_archived,
        rx.el.div(_archived_button(), role="listitem"),
    )


def _archived_button() -> rx.Component:
    return rx.el.button(
        # Two fixed icons, not one named by a Var: a Var name makes the build ship
        # lucide's loader for every icon on the first load.
        rx.cond(
            ChatListState.show_archived,
            rx.icon("arrow-left", size=20),
            rx.icon("archive", size=20),
        ),
        rx.text(rx.cond(ChatListState.show_archived, "Back to chats", "Archived"), size="3"),
        rx.spacer(),
        rx.cond(~ChatListState.show_archived, rx.text(ChatListState.archived_count, size="2")),
        type="button",
        on_click=ChatListState.toggle_archived_view,
        class_name="wa-list-row",
        style={
            "display": "flex",
            "alignItems": "center",
            "gap": tokens.SPACE_4,
            "width": "100%",
            "minHeight": "52px",
            "padding": f"0 {tokens.SPACE_6}",
            "border": "none",
            "background": "transparent",
            "color": tokens.ACCENT_STRONG,
            "cursor": "pointer",
        },
    )


def _empty_title() -> rx.Var:
    """What is empty: the archive, a search, a filter (as WhatsApp words them), or all."""
    return rx.cond(
        ChatListState.show_archived,
        "No archived chats",
        rx.cond(
            ChatListState.query != "",
            "No chats match your search",
            rx.match(
                ChatListState.active_filter,
                ("unread", "No unread chats"),
                ("groups", "No groups yet"),
                "No chats yet",
            ),
        ),
    )


def _empty_list() -> rx.Component:
    filtered = (ChatListState.active_filter != "all") & ~ChatListState.show_archived
    return rx.vstack(
        rx.icon("messages-square", size=40, color=tokens.TEXT_SECONDARY),
        rx.text(_empty_title(), weight="medium", style={"color": tokens.TEXT}),
        rx.cond(
            filtered,
            rx.button(
                "View all chats",
                variant="ghost",
                on_click=ChatListState.choose_filter("all"),
                style={"color": tokens.ACCENT_STRONG, "minHeight": tokens.TAP_TARGET},
            ),
            rx.text(
                "Start a conversation with the new chat button.",
                size="2",
                align="center",
                style={"color": tokens.TEXT_SECONDARY},
            ),
        ),
        align="center",
        spacing="2",
        style={"padding": tokens.SPACE_6, "marginTop": tokens.SPACE_6},
    )


def _section_heading(text: str) -> rx.Component:
    return rx.heading(
        text,
        as_="h2",
        size="2",
        weight="medium",
        style={
            "color": tokens.ACCENT_STRONG,
            "padding": f"{tokens.SPACE_4} {tokens.SPACE_6} {tokens.SPACE_2}",
        },
    )


def _person(person: PersonRow) -> rx.Component:
    return rx.el.div(
        rx.el.button(
            person_lines(person),
            type="button",
            aria_label=person.label,
            on_click=ChatListState.open_person(person.id),
            class_name="wa-list-row",
            style=ROW_STYLE,
        ),
        role="listitem",
    )


def _people_found() -> rx.Component:
    """Under the matching chats, as on WhatsApp: people I have no chat with yet;
    tapping one opens (creates) the direct chat."""
    return rx.cond(
        ChatListState.people_found.length() > 0,
        rx.el.section(
            _section_heading("People"),
            rx.cond(
                ChatListState.error != "",
                rx.text(
                    ChatListState.error,
                    role="alert",
                    size="2",
                    style={"color": tokens.DANGER, "padding": f"0 {tokens.SPACE_6}"},
                ),
            ),
            rx.box(
                rx.foreach(ChatListState.people_found, _person), role="list", aria_label="People"
            ),
            aria_label="People",
        ),
    )


def _new_chat_fab() -> rx.Component:
    return rx.el.button(
        rx.icon("message-square-plus", size=24),
        aria_label="New chat",
        type="button",
        on_click=NewChatState.open_dialog,
        class_name="wa-phone-only",
        style={
            "position": "fixed",
            "right": "calc(16px + env(safe-area-inset-right))",
            "bottom": "calc(16px + env(safe-area-inset-bottom))",
            "width": "56px",
            "height": "56px",
            "borderRadius": tokens.RADIUS_M,
            "border": "none",
            "background": tokens.ACCENT_STRONG,
            "color": tokens.ON_ACCENT,
            "boxShadow": "0 2px 6px rgba(11, 20, 26, 0.3)",
            "alignItems": "center",
            "justifyContent": "center",
            "cursor": "pointer",
        },
    )


def chat_list_pane() -> rx.Component:
    return rx.box(
        _desktop_header(),
        _phone_header(),
        notification_prompt(),
        _search(),
        _filters(),
        rx.box(
            rx.cond(
                (ChatListState.people_found.length() > 0)
                & (ChatListState.visible_rows.length() > 0),
                _section_heading("Chats"),
            ),
            rx.box(
                _archived_entry(),
                rx.foreach(ChatListState.visible_rows, chat_row),
                rx.cond(
                    ChatListState.loaded
                    & (ChatListState.visible_rows.length() == 0)
                    & (ChatListState.people_found.length() == 0),
                    _empty_list(),
                ),
                role="list",
                aria_label="Chats",
            ),
            _people_found(),
            style={"flex": "1", "overflowY": "auto", "paddingBottom": "88px"},
        ),
        _new_chat_fab(),
        chat_row_menu(),
        style={
            "display": "flex",
            "flexDirection": "column",
            "background": tokens.SIDEBAR,
            "height": "100%",
            "width": "100%",
            "borderRight": f"1px solid {tokens.DIVIDER}",
        },
        class_name="wa-chat-list-pane",
    )
