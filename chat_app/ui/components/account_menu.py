"""The ⋮ menu in the list header: profile, theme choice and sign-out."""

from __future__ import annotations

import reflex as rx
from reflex.style import set_color_mode

from chat_app.state.profile import ProfileState
from chat_app.state.session import SessionState
from chat_app.ui.components.icon_button import icon_button
from chat_app.ui.components.profile_panel import THEMES


def _theme_item(mode: str, label: str) -> rx.Component:
    """One theme choice, checked when it is the one in force (the browser's own
    colour mode, "system" included), as a radio item in the menu."""
    chosen = rx.color_mode == mode
    return rx.menu.item(
        label,
        rx.icon("check", size=16, style={"visibility": rx.cond(chosen, "visible", "hidden")}),
        on_select=set_color_mode(mode),
        custom_attrs={"role": "menuitemradio"},  # a plain role= would become a style
        aria_checked=rx.cond(chosen, "true", "false"),
        style={"justifyContent": "space-between", "gap": "12px"},
    )


def account_menu() -> rx.Component:
    return rx.menu.root(
        rx.menu.trigger(icon_button("ellipsis-vertical", label="Menu")),
        rx.menu.content(
            rx.menu.item("Profile", on_select=ProfileState.open_panel),
            rx.menu.separator(),
            *[_theme_item(mode, f"{label} theme") for mode, label in THEMES],
            rx.menu.separator(),
            rx.menu.item("Sign out", on_select=SessionState.sign_out),
        ),
    )
