"""The "New chat" dialog: find someone and chat, or pick people and name a group."""

from __future__ import annotations

import reflex as rx

from chat_app.state.new_chat import NewChatState
from chat_app.state.people_rows import PersonRow
from chat_app.ui import tokens
from chat_app.ui.components import people_picker
from chat_app.ui.components.icon_button import icon_button
from chat_app.ui.components.panel_dialog import panel_body, panel_dialog, panel_header

SEARCH_ID = "new-chat-search"


def _field_error(message: rx.Var, error_id: str) -> rx.Component:
    return rx.text(
        message,
        id=error_id,
        role="alert",
        size="2",
        style={"color": tokens.DANGER, "minHeight": "1.25em"},
    )


def _footer_error(message: rx.Var, error_id: str) -> rx.Component:
    """Only takes room when there is something to say (the footer stays slim)."""
    return rx.cond(message != "", _field_error(message, error_id))


def _back() -> rx.Component:
    return rx.cond(
        NewChatState.step != "person",
        icon_button(
            "arrow-left",
            label="Back",
            on_click=NewChatState.go_to(rx.cond(NewChatState.step == "title", "members", "person")),
        ),
    )


def _new_group_entry() -> rx.Component:
    return rx.el.button(
        rx.center(
            rx.icon("users", size=22),
            style={
                "width": "44px",
                "height": "44px",
                "borderRadius": "50%",
                "background": tokens.ACCENT_STRONG,
                "color": tokens.ON_ACCENT,
            },
        ),
        rx.text("New group", size="3"),
        type="button",
        on_click=NewChatState.go_to("members"),
        class_name="wa-list-row",
        style=people_picker.ROW_STYLE,
    )


def _person_button(person: PersonRow) -> rx.Component:
    return rx.el.button(
        people_picker.person_lines(person),
        type="button",
        aria_label=person.label,
        disabled=NewChatState.busy,
        on_click=NewChatState.choose_person(person.id),
        class_name="wa-list-row",
        style=people_picker.ROW_STYLE,
    )


def _person_step() -> rx.Component:
    return rx.fragment(
        _new_group_entry(),
        rx.cond(
            NewChatState.open_error != "",
            rx.box(
                _field_error(NewChatState.open_error, "new-chat-error"),
                style={"padding": f"0 {tokens.SPACE_4}"},
            ),
        ),
        rx.box(
            rx.foreach(NewChatState.picker_results, _person_button),
            people_picker.empty_results(NewChatState),
            role="group",
            aria_label="People",
        ),
    )


def _members_step() -> rx.Component:
    return people_picker.check_list(NewChatState, list_label="People to add")


def _footer(*children: rx.Component) -> rx.Component:
    return rx.box(
        *children,
        style={
            "padding": f"{tokens.SPACE_3} {tokens.SPACE_4}",
            "background": tokens.PANEL,
            "flexShrink": "0",
        },
    )


def _members_footer() -> rx.Component:
    return _footer(
        _footer_error(NewChatState.members_error, "new-group-members-error"),
        rx.hstack(
            rx.text(
                NewChatState.picked_count_label,
                size="2",
                style={"color": tokens.TEXT_SECONDARY},
            ),
            rx.spacer(),
            rx.button(
                "Next",
                rx.icon("arrow-right", size=18),
                type="button",
                size="3",
                on_click=NewChatState.go_to("title"),
                style={"background": tokens.ACCENT_STRONG, "color": tokens.ON_ACCENT},
            ),
            align="center",
        ),
    )


def _title_step() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.el.label(
                "Group name",
                html_for="new-group-title",
                style={"fontSize": "14px", "color": tokens.TEXT_SECONDARY},
            ),
            rx.input(
                id="new-group-title",
                name="title",
                size="3",
                width="100%",
                auto_focus=True,
                auto_complete="off",
                placeholder="e.g. Weekend hike",
                aria_invalid=rx.cond(NewChatState.title_error != "", "true", "false"),
                aria_describedby="new-group-title-error",
            ),
            _field_error(NewChatState.title_error, "new-group-title-error"),
            rx.text("Members", size="2", style={"color": tokens.TEXT_SECONDARY}),
            rx.text(NewChatState.picked_summary, size="2"),
            rx.button(
                "Create group",
                type="submit",
                size="3",
                width="100%",
                loading=NewChatState.busy,
                style={
                    "background": tokens.ACCENT_STRONG,
                    "color": tokens.ON_ACCENT,
                    "minHeight": tokens.TAP_TARGET,
                    "marginTop": tokens.SPACE_4,
                },
            ),
            spacing="2",
            width="100%",
        ),
        on_submit=NewChatState.create_group,
        reset_on_submit=False,
        style={"padding": tokens.SPACE_4},
    )


def new_chat_dialog() -> rx.Component:
    picking = NewChatState.step != "title"
    return panel_dialog(
        panel_header(
            NewChatState.dialog_title,
            on_close=NewChatState.set_dialog_open(False),
            back=_back(),
        ),
        rx.cond(NewChatState.step == "members", people_picker.chips(NewChatState)),
        rx.cond(
            picking,
            people_picker.search_box(NewChatState, label="Search people", input_id=SEARCH_ID),
        ),
        panel_body(
            rx.match(
                NewChatState.step,
                ("members", _members_step()),
                ("title", _title_step()),
                _person_step(),
            ),
        ),
        rx.cond(NewChatState.step == "members", _members_footer()),
        is_open=NewChatState.dialog_open,
        on_open_change=NewChatState.set_dialog_open,
        layout="center",
        description="Find a person to message, or start a group.",
    )
