"""Sign-in screen."""

from __future__ import annotations

import reflex as rx

from chat_app.state.auth_forms import SignInState
from chat_app.ui import tokens
from chat_app.ui.components.auth_card import auth_card, labelled_field, submit_button

ROUTE = "/signin"
TITLE = "Sign in · Chat"


def page() -> rx.Component:
    return auth_card(
        "Sign in",
        "Welcome back. Sign in to see your chats.",
        rx.form(
            rx.vstack(
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
                rx.cond(
                    SignInState.form_error != "",
                    rx.callout(
                        SignInState.form_error, icon="clock", color_scheme="red", role="alert"
                    ),
                ),
                submit_button("Sign in", busy=SignInState.busy),
                rx.text(
                    "New here? ",
                    rx.link(
                        "Create an account", href="/signup", style={"color": tokens.ACCENT_STRONG}
                    ),
                    size="2",
                    style={"color": tokens.TEXT_SECONDARY},
                ),
                spacing="3",
                width="100%",
            ),
            on_submit=SignInState.submit,
            reset_on_submit=False,
        ),
    )
