"""The frame of the sign-in and sign-up pages and their labelled fields."""

from __future__ import annotations

import reflex as rx

from chat_app.ui import tokens


class KeepChatLink(rx.Component):
    """A link to the other form that keeps the address's ``?chat=7``
    (assets/keep_chat_link.jsx)."""

    library = "$/public/keep_chat_link.jsx"
    tag = "KeepChatLink"
    to: rx.Var[str]


def auth_card(title: str, subtitle: str, *children: rx.Component) -> rx.Component:
    return rx.center(
        rx.box(
            rx.hstack(
                rx.icon("message-circle", size=28, color=tokens.ACCENT),
                rx.heading("Chat", size="6", style={"color": tokens.TEXT}),
                align="center",
                spacing="2",
            ),
            rx.heading(title, size="5", margin_top=tokens.SPACE_4, style={"color": tokens.TEXT}),
            rx.text(subtitle, size="2", style={"color": tokens.TEXT_SECONDARY}),
            rx.box(*children, margin_top=tokens.SPACE_4),
            style={
                "width": "100%",
                "maxWidth": "400px",
                "background": tokens.SIDEBAR,
                "borderRadius": tokens.RADIUS_M,
                "padding": tokens.SPACE_6,
                "boxShadow": "0 1px 3px rgba(11, 20, 26, 0.15)",
            },
        ),
        class_name="wa-page wa-safe-area",
        style={
            "minHeight": "100dvh",
            "padding": tokens.SPACE_4,
            "background": tokens.PANEL,
            "overflowY": "auto",
        },
    )


def auth_form(
    *fields: rx.Component,
    state: type[rx.State],
    submit_label: str,
    switch_prompt: str,
    switch_label: str,
    switch_href: str,
) -> rx.Component:
    """Fields, the form-wide error (throttling), the submit button, the link to the other form."""
    return rx.form(
        rx.vstack(
            *fields,
            rx.cond(
                state.form_error != "",
                rx.callout(state.form_error, icon="clock", color_scheme="red", role="alert"),
            ),
            rx.button(
                submit_label,
                type="submit",
                size="3",
                width="100%",
                loading=state.busy,
                style={
                    "background": tokens.ACCENT_STRONG,
                    "color": tokens.ON_ACCENT,
                    "minHeight": tokens.TAP_TARGET,
                },
            ),
            rx.text(
                switch_prompt + " ",
                # The chat a link brought the person here for goes along (``?chat=7``).
                rx.link(
                    KeepChatLink.create(switch_label, to=switch_href),
                    as_child=True,
                    style={"color": tokens.ACCENT_STRONG},
                ),
                size="2",
                style={"color": tokens.TEXT_SECONDARY},
            ),
            spacing="3",
            width="100%",
        ),
        on_submit=state.submit,
        reset_on_submit=False,
    )
