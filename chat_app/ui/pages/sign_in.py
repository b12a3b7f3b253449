"""Sign-in screen."""

from __future__ import annotations

import reflex as rx

from chat_app.routes import SIGN_IN, SIGN_UP
from chat_app.state.auth_forms import SignInState
from chat_app.ui.components.auth_card import auth_card, auth_form
from chat_app.ui.components.labelled_field import labelled_field

ROUTE = SIGN_IN
TITLE = "Sign in · Chat"


def page() -> rx.Component:
    return auth_card(
        "Sign in",
        "Welcome back. Sign in to see your chats.",
        auth_form(
            labelled_field(
                name="username",
                label="Username",
                error=SignInState.username_error,
                auto_complete="username",
                auto_focus=True,
            ),
            labelled_field(
                name="password",
                label="Password",
                error=SignInState.password_error,
                input_type="password",
                auto_complete="current-password",
            ),
            state=SignInState,
            submit_label="Sign in",
            switch_prompt="New here?",
            switch_label="Create an account",
            switch_href=SIGN_UP,
        ),
    )
