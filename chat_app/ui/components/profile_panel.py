"""The profile panel: my picture, name and about, the theme (light, dark or the
system's), notifications, and Linked devices (where I am signed in, and "Log out")."""

from __future__ import annotations

import reflex as rx
from reflex.style import set_color_mode

from chat_app.state.profile import PHOTO_UPLOAD_ID, DeviceRow, ProfileState
from chat_app.state.session import SessionState
from chat_app.ui import tokens
from chat_app.ui.components.avatar import avatar
from chat_app.ui.components.chat_notifications import NotificationSetting
from chat_app.ui.components.labelled_field import labelled_field
from chat_app.ui.components.panel_dialog import panel_body, panel_dialog, panel_header
from chat_app.ui.components.photo_upload import photo_upload

SECTION = {
    "background": tokens.SIDEBAR,
    "padding": f"{tokens.SPACE_4} {tokens.SPACE_6}",
    "borderBottom": f"8px solid {tokens.PANEL}",
}
THEMES = (("light", "Light"), ("dark", "Dark"), ("system", "System"))


def _red_button(label: str, *, on_click, variant: str = "ghost", **props) -> rx.Component:
    """A destructive action: remove my photo, log a device out."""
    return rx.button(
        label,
        type="button",
        variant=variant,
        color_scheme="red",
        size="3",
        on_click=on_click,
        style={"minHeight": tokens.TAP_TARGET, "cursor": "pointer"},
        **props,
    )


def _picture() -> rx.Component:
    return rx.vstack(
        avatar(
            SessionState.initials,
            url=SessionState.avatar_url,
            name="Your profile picture",
            size="160px",
        ),
        photo_upload(ProfileState, upload_id=PHOTO_UPLOAD_ID, label="Change photo"),
        rx.cond(
            SessionState.avatar_url != "",
            _red_button(
                "Remove photo",
                on_click=ProfileState.remove_photo,
                disabled=ProfileState.photo_uploading,
            ),
        ),
        align="center",
        spacing="3",
        style={**SECTION, "padding": tokens.SPACE_6},
    )


def _details_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            labelled_field(
                name="display_name",
                field_id="profile-display_name",
                label="Your name",
                error=ProfileState.display_name_error,
                default_value=SessionState.display_name,
                on_focus=ProfileState.edited,
            ),
            labelled_field(
                name="about",
                field_id="profile-about",
                label="About",
                error=ProfileState.about_error,
                default_value=ProfileState.about,
                on_focus=ProfileState.edited,
            ),
            rx.text(
                "@" + SessionState.username + " · people find you by your name or username.",
                size="2",
                style={"color": tokens.TEXT_SECONDARY},
            ),
            rx.cond(
                ProfileState.form_error != "",
                rx.text(
                    ProfileState.form_error,
                    role="alert",
                    size="2",
                    style={"color": tokens.DANGER},
                ),
            ),
            rx.hstack(
                rx.text(
                    rx.cond(ProfileState.saved, "Saved.", ""),
                    role="status",
                    size="2",
                    style={"color": tokens.ACCENT_STRONG},
                ),
                rx.spacer(),
                rx.button(
                    "Save",
                    type="submit",
                    size="3",
                    loading=ProfileState.busy,
                    style={
                        "background": tokens.ACCENT_STRONG,
                        "color": tokens.ON_ACCENT,
                        "minHeight": tokens.TAP_TARGET,
                    },
                ),
                align="center",
                width="100%",
            ),
            spacing="2",
            width="100%",
        ),
        on_submit=ProfileState.save,
        reset_on_submit=False,
        style=SECTION,
    )


def _theme_option(value: str, label: str) -> rx.Component:
    return rx.el.label(
        rx.radio_group.item(value=value),
        rx.text(label, size="3"),
        style={
            "display": "flex",
            "alignItems": "center",
            "gap": tokens.SPACE_3,
            "minHeight": tokens.TAP_TARGET,
            "cursor": "pointer",
        },
    )


def _theme() -> rx.Component:
    """Client-side only: the choice lives in the browser, like Reflex's own colour mode."""
    return rx.vstack(
        rx.text("Theme", id="theme-label", size="2", style={"color": tokens.ACCENT_STRONG}),
        rx.radio_group.root(
            *[_theme_option(value, label) for value, label in THEMES],
            value=rx.color_mode,
            on_change=lambda mode: set_color_mode(mode),
            aria_labelledby="theme-label",
            size="3",
        ),
        rx.text(
            "System follows your device's light or dark setting.",
            size="2",
            style={"color": tokens.TEXT_SECONDARY},
        ),
        spacing="2",
        style=SECTION,
    )


def _notifications() -> rx.Component:
    return rx.vstack(
        rx.text("Notifications", size="2", style={"color": tokens.ACCENT_STRONG}),
        NotificationSetting.create(),
        spacing="2",
        style=SECTION,
    )


def _device_icon(tag: str) -> rx.Component:
    return rx.icon(
        tag,
        size=24,
        aria_hidden="true",
        style={"color": tokens.TEXT_SECONDARY, "flexShrink": "0"},
    )


def _device(row: DeviceRow) -> rx.Component:
    return rx.el.li(
        rx.hstack(
            # Two fixed icons, not one icon named at run time: a tag chosen by a Var
            # makes Reflex ship its loader of every icon (~70 KB on every page).
            rx.cond(
                row.device.contains("Android") | row.device.contains("iPhone"),
                _device_icon("smartphone"),
                _device_icon("monitor"),
            ),
            rx.vstack(
                rx.text(row.device, size="3", weight="medium"),
                rx.cond(
                    row.is_current,
                    rx.text("This device", size="2", style={"color": tokens.ACCENT_STRONG}),
                ),
                rx.text(row.signed_in, size="2", style={"color": tokens.TEXT_SECONDARY}),
                rx.text(row.last_active, size="2", style={"color": tokens.TEXT_SECONDARY}),
                spacing="0",
                style={"flex": "1", "minWidth": "0"},
            ),
            rx.cond(
                row.is_current,
                rx.fragment(),
                _red_button(
                    "Log out",
                    on_click=ProfileState.log_out_device(row.id),
                    aria_label="Log out " + row.device,
                ),
            ),
            align="center",
            spacing="3",
            width="100%",
        ),
        style={"listStyle": "none", "padding": f"{tokens.SPACE_2} 0"},
    )


def _linked_devices() -> rx.Component:
    return rx.vstack(
        rx.text(
            "Linked devices", id="devices-label", size="2", style={"color": tokens.ACCENT_STRONG}
        ),
        rx.el.ul(
            rx.foreach(ProfileState.devices, _device),
            aria_labelledby="devices-label",
            style={"margin": "0", "padding": "0", "width": "100%"},
        ),
        rx.cond(
            ProfileState.devices_error != "",
            rx.text(
                ProfileState.devices_error, role="alert", size="2", style={"color": tokens.DANGER}
            ),
        ),
        rx.cond(
            ProfileState.other_device_count > 0,
            _red_button(
                "Log out of all other sessions",
                on_click=ProfileState.log_out_other_devices,
                variant="outline",
            ),
        ),
        spacing="2",
        style=SECTION,
    )


def profile_panel() -> rx.Component:
    return panel_dialog(
        panel_header("Profile", on_close=ProfileState.set_panel_open(False)),
        panel_body(
            rx.cond(
                ProfileState.loading,
                rx.center(rx.spinner(size="3"), style={"padding": tokens.SPACE_6}),
                rx.fragment(
                    _picture(), _details_form(), _theme(), _notifications(), _linked_devices()
                ),
            )
        ),
        is_open=ProfileState.panel_open,
        on_open_change=ProfileState.set_panel_open,
        layout="right",
        description="Your picture, name, about, theme, notifications and linked devices.",
    )
