"""A labelled input with its error right under it, as every form here shows one."""

from __future__ import annotations

import reflex as rx

from chat_app.ui import tokens


def labelled_field(
    *,
    name: str,
    label: str,
    error: rx.Var,
    input_type: str = "text",
    field_id: str | None = None,
    hint: str = "",
    **props,
) -> rx.Component:
    """A label, an input named ``name`` and the error about that input right under it.
    A ``hint`` (what the field takes) sits in the same place while there is no
    error; an error takes its place rather than repeating it."""
    field_id = field_id or name
    error_id = f"{field_id}-error"
    below = rx.text(
        error,
        id=error_id,
        role="alert",
        size="2",
        style={"color": tokens.DANGER, "minHeight": "1.25em"},
    )
    if hint:
        below = rx.cond(
            error != "",
            below,
            rx.text(hint, id=error_id, size="1", style={"color": tokens.TEXT_SECONDARY}),
        )
    return rx.vstack(
        rx.el.label(
            label, html_for=field_id, style={"fontSize": "14px", "color": tokens.TEXT_SECONDARY}
        ),
        rx.input(
            id=field_id,
            name=name,
            type=input_type,
            size="3",
            width="100%",
            aria_invalid=rx.cond(error != "", "true", "false"),
            aria_describedby=error_id,
            **props,
        ),
        below,
        spacing="1",
        width="100%",
    )
