"""Sign-up screen."""

from __future__ import annotations

import reflex as rx

from chat_app.state.auth_forms import USERNAME_RULE, SignUpState
from chat_app.ui import tokens
from chat_app.ui.components.auth_card import auth_card, labelled_field, submit_button

ROUTE = "/signup"
TITLE = "Create account · Chat"


def page() -> rx.Component:
    return auth_card(
        "Create your account",
        "Pick a username people can find you by.",
        rx.form(
            rx.vstack(
                labelled_field(
                    name="username",
                    label="Username",
                    error=SignUpState.username_error,
                    auto_complete="username",
                    placeholder="e.g. alice.m",
                    auto_focus=True,
                ),
                rx.text(USERNAME_RULE, size="1", style={"color": tokens.TEXT_SECONDARY}),
                labelled_field(
                    name="display_name",
                    label="Your name",
                    error=SignUpState.display_name_error,
                    auto_complete="name",
                ),
                labelled_field(
                    name="password",
                    label="Password",
                    error=SignUpState.password_error,
                    input_type="password",
                    auto_complete="new-password",
                ),
                submit_button("Create account", busy=SignUpState.busy),
                rx.text(
                    "Already have an account? ",
                    rx.link("Sign in", href="/signin", style={"color": tokens.ACCENT_STRONG}),
                    size="2",
                    style={"color": tokens.TEXT_SECONDARY},
                ),
                spacing="3",
                width="100%",
            ),
            on_submit=SignUpState.submit,
            reset_on_submit=False,
        ),
    )
