"""The signed-in frame shared by the home and chat pages: list column + right pane."""

from __future__ import annotations

import reflex as rx

from chat_app.routes import SIGN_IN, SIGN_IN_FOR_A_CHAT
from chat_app.state.chat_list import ChatListState
from chat_app.state.session import SessionState
from chat_app.ui import tokens
from chat_app.ui.components.chat_list_pane import chat_list_pane
from chat_app.ui.components.chat_notifications import chat_notifier
from chat_app.ui.components.dialog_escape import dialog_escape
from chat_app.ui.components.new_chat_dialog import new_chat_dialog
from chat_app.ui.components.profile_panel import profile_panel
from chat_app.ui.components.realtime_socket import realtime_socket


class WideOnly(rx.Fragment):
    """Its children only on a two-pane screen (assets/wide_only.jsx)."""

    library = "$/public/wide_only.jsx"
    tag = "WideOnly"


def _leaving(chat_open: bool) -> rx.Component:
    """Shown for the moment between losing the token (even in another tab) and the
    redirect; a chat's page names the chat, so signing in goes back to it (the
    server reads only a whole number from it: ``routes.chat_id_in_query``)."""
    target = SIGN_IN_FOR_A_CHAT + rx.State.chat_id if chat_open else SIGN_IN
    return rx.center(
        rx.spinner(size="3"),
        on_mount=rx.redirect(target, replace=True),
        class_name="wa-page",
        style={"height": "100dvh"},
    )


def shell(right_pane: rx.Component, *, chat_open: bool) -> rx.Component:
    """Two panes from 768 px; on a phone the list, or the open chat alone."""
    list_column = rx.box(
        chat_list_pane(),
        class_name="wa-list-column" + (" wa-desktop-only" if chat_open else ""),
    )
    frame = rx.box(
        WideOnly.create(list_column) if chat_open else list_column,
        right_pane,
        # Dialogs render in a portal; placed once here, they serve every signed-in page.
        new_chat_dialog(),
        profile_panel(),
        realtime_socket(),
        chat_notifier(),
        dialog_escape(),
        class_name="wa-page wa-shell wa-safe-area",
        style={
            "display": "flex",
            "height": "100dvh",
            "width": "100vw",
            "overflow": "hidden",
            "background": tokens.PANEL,
        },
    )
    # Before hydration the token is not known yet: wait rather than redirect,
    # under the app's loading screen (pwa_support.jsx), which nothing here covers.
    # Signed in, the frame waits for the list: it then mounts with what it
    # shows, instead of empty and then again as each part arrives, which on a
    # slow phone is most of the load's work.
    return rx.cond(
        SessionState.signed_in,
        rx.cond(ChatListState.loaded | (ChatListState.error != ""), frame, rx.fragment()),
        rx.cond(rx.State.is_hydrated, _leaving(chat_open), rx.fragment()),
    )
