"""A question asked before an action that cannot be taken back, as WhatsApp asks it.

A Radix alert dialog: focus starts on Cancel, Esc and Cancel change nothing,
and only the red button acts. What it names (a person, a group) are state
values passed as text children, so they are shown as text and never run.
"""

from __future__ import annotations

import reflex as rx

from chat_app.ui.components.dialog_escape import closes_dialog


def confirm_dialog(
    *title: str | rx.Var,
    description: str,
    action: str,
    on_action: rx.event.EventType,
    open: rx.Var[bool],
    on_open_change: rx.event.EventType,
    **content_props: object,
) -> rx.Component:
    """Asks ``title``; ``action`` (red) runs ``on_action``, and either button closes it."""
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(*title, size="4", style={"overflowWrap": "anywhere"}),
            rx.alert_dialog.description(description, size="2"),
            rx.hstack(
                rx.alert_dialog.cancel(
                    rx.button(
                        "Cancel",
                        variant="soft",
                        color_scheme="gray",
                        custom_attrs=closes_dialog(),
                    )
                ),
                rx.alert_dialog.action(rx.button(action, color_scheme="red", on_click=on_action)),
                justify="end",
                spacing="3",
                margin_top="16px",
                wrap="wrap",
            ),
            max_width="420px",
            **content_props,
        ),
        open=open,
        on_open_change=on_open_change,
    )
