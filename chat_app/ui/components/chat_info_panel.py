"""The chat info panel: a person's profile, or a group's name, members and admin actions."""

from __future__ import annotations

import reflex as rx

from chat_app.state.chat_info import ChatInfoState
from chat_app.state.conversation import NO_LONGER_PARTICIPANT
from chat_app.state.group_photo import GROUP_PHOTO_UPLOAD_ID, GroupPhotoState
from chat_app.state.people_rows import MemberRow
from chat_app.ui import tokens
from chat_app.ui.components import people_picker
from chat_app.ui.components.alert_text import alert_text
from chat_app.ui.components.avatar import avatar
from chat_app.ui.components.confirm_dialog import confirm_dialog
from chat_app.ui.components.icon_button import icon_button
from chat_app.ui.components.panel_dialog import panel_body, panel_dialog, panel_header
from chat_app.ui.components.photo_upload import photo_upload

SECTION = {
    "background": tokens.SIDEBAR,
    "padding": f"{tokens.SPACE_4} {tokens.SPACE_6}",
    "borderBottom": f"8px solid {tokens.PANEL}",
}
SMALL_BUTTON = {"minHeight": tokens.TAP_TARGET, "cursor": "pointer"}


def _secondary(text: rx.Var | str) -> rx.Component:
    return rx.text(text, size="2", style={"color": tokens.TEXT_SECONDARY})


def _title_editor() -> rx.Component:
    return rx.form(
        rx.hstack(
            rx.input(
                id="group-title",
                name="title",
                default_value=ChatInfoState.chat_name,
                aria_label="Group name",
                aria_invalid=rx.cond(ChatInfoState.title_error != "", "true", "false"),
                aria_describedby="group-title-error",
                auto_focus=True,
                size="3",
                style={"flex": "1"},
            ),
            rx.button("Save", type="submit", size="3", style=SMALL_BUTTON),
            rx.button(
                "Cancel",
                type="button",
                variant="soft",
                size="3",
                on_click=ChatInfoState.set_renaming(False),
                style=SMALL_BUTTON,
            ),
            width="100%",
            align="center",
        ),
        alert_text(ChatInfoState.title_error, "group-title-error"),
        on_submit=ChatInfoState.save_title,
        reset_on_submit=False,
        width="100%",
    )


def _title() -> rx.Component:
    shown = rx.hstack(
        rx.heading(
            ChatInfoState.chat_name,
            as_="h3",
            size="5",
            weight="medium",
            style={"overflowWrap": "anywhere"},
        ),
        rx.cond(
            ChatInfoState.is_group & ChatInfoState.am_admin,
            icon_button(
                "pencil", label="Edit group name", on_click=ChatInfoState.set_renaming(True)
            ),
        ),
        align="center",
        justify="center",
    )
    return rx.cond(ChatInfoState.renaming, _title_editor(), shown)


def _group_photo() -> rx.Component:
    return photo_upload(
        GroupPhotoState,
        upload_id=GROUP_PHOTO_UPLOAD_ID,
        label="Change group photo",
        error=rx.cond(
            GroupPhotoState.photo_chat_id == ChatInfoState.chat_id, GroupPhotoState.photo_error, ""
        ),
    )


def _summary() -> rx.Component:
    return rx.vstack(
        avatar(
            ChatInfoState.chat_initials,
            url=ChatInfoState.avatar_url,
            name=ChatInfoState.chat_name,
            size="120px",
            color=ChatInfoState.avatar_color,
        ),
        rx.cond(ChatInfoState.is_group & ChatInfoState.am_admin, _group_photo()),
        _title(),
        _secondary(
            rx.cond(
                ChatInfoState.is_group,
                rx.cond(ChatInfoState.former, "Group", "Group · " + ChatInfoState.members_label),
                ChatInfoState.handle,
            )
        ),
        align="center",
        spacing="3",
        style={**SECTION, "textAlign": "center"},
    )


def _about() -> rx.Component:
    return rx.vstack(
        _secondary("About"),
        rx.text(
            rx.cond(ChatInfoState.about != "", ChatInfoState.about, "No about yet."),
            size="3",
            style={"overflowWrap": "anywhere"},
        ),
        spacing="1",
        style=SECTION,
    )


def _admin_actions(member: MemberRow) -> rx.Component:
    return rx.cond(
        ChatInfoState.am_admin & ~member.is_me,
        rx.hstack(
            rx.cond(
                ~member.is_admin,
                rx.button(
                    "Make admin",
                    variant="soft",
                    size="2",
                    aria_label="Make " + member.name + " an admin",
                    on_click=ChatInfoState.promote(member.user_id),
                    style=SMALL_BUTTON,
                ),
            ),
            rx.button(
                "Remove",
                variant="soft",
                color_scheme="red",
                size="2",
                aria_label="Remove " + member.name + " from the group",
                on_click=ChatInfoState.ask_remove(member.user_id),
                style=SMALL_BUTTON,
            ),
            spacing="2",
        ),
    )


def _member(member: MemberRow) -> rx.Component:
    return rx.box(
        rx.hstack(
            people_picker.identity_lines(
                initials=member.initials,
                avatar_url=member.avatar_url,
                name=member.name,
                handle=member.handle,
                color=member.avatar_color,
            ),
            rx.cond(member.is_admin, rx.badge("Admin", color_scheme="teal", variant="soft")),
            align="center",
            spacing="3",
            width="100%",
        ),
        rx.flex(_admin_actions(member), justify="end", style={"paddingLeft": "56px"}),
        rx.cond(
            ChatInfoState.member_error_id == member.user_id, alert_text(ChatInfoState.member_error)
        ),
        role="listitem",
        aria_label=member.name,
        style={"padding": f"{tokens.SPACE_2} 0", "display": "flex", "flexDirection": "column"},
    )


def _adder() -> rx.Component:
    return rx.vstack(
        people_picker.chips(ChatInfoState),
        people_picker.search_box(
            ChatInfoState, label="Search people to add", input_id="add-search"
        ),
        people_picker.check_list(ChatInfoState, list_label="People to add"),
        alert_text(ChatInfoState.add_error),
        rx.hstack(
            rx.button(
                "Cancel",
                variant="soft",
                size="3",
                on_click=ChatInfoState.set_adding(False),
                style=SMALL_BUTTON,
            ),
            rx.button(
                "Add to group", size="3", on_click=ChatInfoState.add_picked, style=SMALL_BUTTON
            ),
            justify="end",
            width="100%",
        ),
        spacing="2",
        width="100%",
    )


def _members() -> rx.Component:
    return rx.vstack(
        _secondary(ChatInfoState.members_label),
        rx.cond(
            ChatInfoState.am_admin,
            rx.cond(
                ChatInfoState.adding,
                _adder(),
                rx.button(
                    rx.icon("user-plus", size=18),
                    "Add members",
                    variant="ghost",
                    size="3",
                    on_click=ChatInfoState.set_adding(True),
                    style=SMALL_BUTTON,
                ),
            ),
        ),
        rx.box(
            rx.foreach(ChatInfoState.members, _member),
            role="list",
            aria_label="Members",
            width="100%",
        ),
        spacing="2",
        style=SECTION,
    )


def _remove_dialog() -> rx.Component:
    return confirm_dialog(
        "Remove ",
        ChatInfoState.removing_name,
        ' from "',
        ChatInfoState.chat_name,
        '" group?',
        description="They can be added again later.",
        action="Remove",
        on_action=ChatInfoState.remove(ChatInfoState.removing_id),
        open=ChatInfoState.removing_id != 0,
        on_open_change=ChatInfoState.set_remove_open,
    )


def _leave() -> rx.Component:
    ask = rx.button(
        rx.icon("log-out", size=18),
        "Leave group",
        variant="ghost",
        color_scheme="red",
        size="3",
        on_click=ChatInfoState.ask_leave(True),
        style=SMALL_BUTTON,
    )
    confirm = rx.vstack(
        rx.text("Leave this group? You will stop receiving its messages.", size="3"),
        rx.hstack(
            rx.button(
                "Cancel",
                variant="soft",
                size="3",
                on_click=ChatInfoState.ask_leave(False),
                auto_focus=True,
                style=SMALL_BUTTON,
            ),
            rx.button(
                "Leave",
                color_scheme="red",
                size="3",
                on_click=ChatInfoState.leave,
                style=SMALL_BUTTON,
            ),
            spacing="2",
        ),
        role="group",
        aria_label="Confirm leaving the group",
        spacing="2",
    )
    return rx.box(
        rx.cond(ChatInfoState.confirm_leave, confirm, ask),
        alert_text(ChatInfoState.leave_error),
        style=SECTION,
    )


def _former() -> rx.Component:
    """A group I left or was removed from: no members and no actions, only deleting it."""
    return rx.vstack(
        rx.text(NO_LONGER_PARTICIPANT, size="3"),
        rx.button(
            rx.icon("trash-2", size=18),
            "Delete chat",
            variant="ghost",
            color_scheme="red",
            size="3",
            on_click=ChatInfoState.ask_delete_chat,
            style=SMALL_BUTTON,
        ),
        spacing="2",
        style=SECTION,
    )


def _content() -> rx.Component:
    return rx.cond(
        ChatInfoState.loading,
        rx.center(rx.spinner(size="3"), style={"padding": tokens.SPACE_6}),
        rx.cond(
            ChatInfoState.load_error != "",
            rx.box(alert_text(ChatInfoState.load_error), style=SECTION),
            rx.fragment(
                _summary(),
                rx.cond(
                    ChatInfoState.is_group,
                    rx.cond(
                        ChatInfoState.former,
                        _former(),
                        rx.fragment(_members(), _leave(), _remove_dialog()),
                    ),
                    _about(),
                ),
            ),
        ),
    )


def chat_info_panel() -> rx.Component:
    return panel_dialog(
        panel_header(
            rx.cond(ChatInfoState.is_group, "Group info", "Contact info"),
            on_close=ChatInfoState.set_panel_open(False),
        ),
        panel_body(_content()),
        is_open=ChatInfoState.panel_open,
        on_open_change=ChatInfoState.set_panel_open,
        layout="right",
        description="Details of this chat.",
    )
