"""The ⋮ menu in the list header: profile, theme choice and sign-out."""

from __future__ import annotations

import reflex as rx
from reflex.style import set_color_mode

from chat_app.state.profile import ProfileState
from chat_app.state.session import SessionState
from chat_app.ui.components.icon_button import icon_button


def account_menu() -> rx.Component:
    return rx.menu.root(
        rx.menu.trigger(icon_button("ellipsis-vertical", label="Menu")),
        rx.menu.content(
            rx.menu.item("Profile", on_select=ProfileState.open_panel),
            rx.menu.separator(),
            rx.menu.item("Light theme", on_select=set_color_mode("light")),
            rx.menu.item("Dark theme", on_select=set_color_mode("dark")),
            rx.menu.item("System theme", on_select=set_color_mode("system")),
            rx.menu.separator(),
            rx.menu.item("Sign out", on_select=SessionState.sign_out),
        ),
    )
