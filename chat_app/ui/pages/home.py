"""The signed-in shell: chat list and conversation pane (one pane on a phone)."""

from __future__ import annotations

import reflex as rx

from chat_app.state.session import SIGN_IN_ROUTE, SessionState
from chat_app.ui import tokens
from chat_app.ui.components.chat_list_pane import chat_list_pane
from chat_app.ui.components.conversation_placeholder import conversation_placeholder

ROUTE = "/"
TITLE = "Chat"


def _shell() -> rx.Component:
    return rx.box(
        rx.box(
            chat_list_pane(),
            style={"width": "100%", "height": "100%"},
            class_name="wa-list-column",
        ),
        conversation_placeholder(),
        class_name="wa-shell wa-safe-area",
        style={
            "display": "flex",
            "height": "100dvh",
            "width": "100vw",
            "overflow": "hidden",
            "background": tokens.PANEL,
        },
    )


def _leaving() -> rx.Component:
    """Shown for the moment between losing the token (even in another tab) and the redirect."""
    return rx.center(
        rx.spinner(size="3"),
        on_mount=rx.redirect(SIGN_IN_ROUTE, replace=True),
        style={"height": "100dvh"},
    )


def page() -> rx.Component:
    # Before hydration the token is not known yet: wait rather than redirect.
    return rx.cond(
        SessionState.signed_in,
        _shell(),
        rx.cond(
            rx.State.is_hydrated,
            _leaving(),
            rx.center(rx.spinner(size="3"), style={"height": "100dvh"}),
        ),
    )
