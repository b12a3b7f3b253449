"""Icon-only buttons and links: always labelled for screen readers, always a 44 px tap target."""

from __future__ import annotations

import reflex as rx

from chat_app.ui import tokens

_ICON_CONTROL_STYLE = {
    "width": tokens.TAP_TARGET,
    "height": tokens.TAP_TARGET,
    "minWidth": tokens.TAP_TARGET,
    "display": "flex",
    "alignItems": "center",
    "justifyContent": "center",
    "borderRadius": "50%",
    "border": "none",
    "background": "transparent",
    "color": tokens.TEXT_SECONDARY,
    "cursor": "pointer",
}


def icon_button(icon: str, *, label: str, **props) -> rx.Component:
    return rx.el.button(
        rx.icon(icon, size=22),
        aria_label=label,
        title=label,
        type="button",
        style=_ICON_CONTROL_STYLE,
        **props,
    )


def icon_link(icon: str, *, label: str, href: str, **props) -> rx.Component:
    """An icon that navigates: a link, not a button inside a link (one control, one name)."""
    return rx.link(
        rx.icon(icon, size=22),
        href=href,
        aria_label=label,
        title=label,
        style=_ICON_CONTROL_STYLE,
        **props,
    )


def menu_chevron(*, label: str, class_name: str) -> rx.Component:
    """The chevron that opens a shared menu (assets/anchored_menu.jsx) for its
    message or row; the menu marks it expanded while open. Sized by its class."""
    return rx.el.button(
        rx.icon("chevron-down", size=18),
        aria_label=label,
        aria_haspopup="menu",
        aria_expanded="false",
        type="button",
        class_name=class_name,
    )
