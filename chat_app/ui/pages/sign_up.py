"""Sign-up screen."""

from __future__ import annotations

import reflex as rx

from chat_app.routes import SIGN_IN, SIGN_UP
from chat_app.state.auth_forms import USERNAME_RULE, SignUpState
from chat_app.ui.components.auth_card import auth_card, auth_form
from chat_app.ui.components.labelled_field import labelled_field

ROUTE = SIGN_UP
TITLE = "Create account · Chat"


def page() -> rx.Component:
    return auth_card(
        "Create your account",
        "Pick a username people can find you by.",
        auth_form(
            labelled_field(
                name="username",
                label="Username",
                error=SignUpState.username_error,
                auto_complete="username",
                placeholder="e.g. alice.m",
                auto_focus=True,
                hint=USERNAME_RULE,
            ),
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
            state=SignUpState,
            submit_label="Create account",
            switch_prompt="Already have an account?",
            switch_label="Sign in",
            switch_href=SIGN_IN,
        ),
    )
