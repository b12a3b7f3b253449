"""Search box, result rows and chips of picked people, for any state using PeoplePickerMixin."""

from __future__ import annotations

from typing import Any

import reflex as rx

from chat_app.state.people_rows import PersonRow
from chat_app.ui import tokens
from chat_app.ui.components.avatar import avatar

SEARCH_DEBOUNCE_MS = 300

ROW_STYLE = {
    "display": "flex",
    "alignItems": "center",
    "gap": tokens.SPACE_3,
    "width": "100%",
    "minHeight": "64px",
    "padding": f"{tokens.SPACE_2} {tokens.SPACE_4}",
    "border": "none",
    "background": "transparent",
    "color": tokens.TEXT,
    "textAlign": "left",
    "cursor": "pointer",
}


def identity_lines(
    *,
    initials: rx.Var[str],
    avatar_url: rx.Var[str],
    name: rx.Var[str],
    handle: rx.Var[str],
    color: rx.Var[str],
) -> rx.Component:
    """Avatar, name and @username: how a person is shown in every list."""
    return rx.fragment(
        avatar(initials, url=avatar_url, name=name, size="44px", color=color),
        rx.vstack(
            rx.text(name, size="3", class_name="wa-ellipsis", width="100%"),
            rx.text(
                handle,
                size="2",
                class_name="wa-ellipsis",
                width="100%",
                style={"color": tokens.TEXT_SECONDARY},
            ),
            spacing="0",
            style={"flex": "1", "minWidth": "0"},
        ),
    )


def person_lines(person: PersonRow) -> rx.Component:
    return identity_lines(
        initials=person.initials,
        avatar_url=person.avatar_url,
        name=person.display_name,
        handle=person.handle,
        color=person.avatar_color,
    )


def search_box(state: Any, *, label: str, input_id: str) -> rx.Component:
    """Debounced, uncontrolled input: typing stays smooth while results follow."""
    return rx.box(
        rx.input(
            rx.input.slot(rx.icon("search", size=16)),
            id=input_id,
            placeholder="Search name or username",
            aria_label=label,
            default_value=state.picker_query,
            on_change=state.picker_search.debounce(SEARCH_DEBOUNCE_MS),
            auto_focus=True,
            auto_complete="off",
            size="3",
            radius="large",
            width="100%",
            style={"background": tokens.PANEL, "border": "none"},
        ),
        rx.cond(
            state.picker_error != "",
            rx.text(
                state.picker_error,
                role="alert",
                size="2",
                style={"color": tokens.DANGER, "marginTop": tokens.SPACE_1},
            ),
        ),
        style={"padding": f"{tokens.SPACE_2} {tokens.SPACE_3}", "width": "100%"},
    )


def empty_results(state: Any) -> rx.Component:
    """What to do next, whether nothing was typed yet or nobody matched."""
    return rx.cond(
        state.picker_results.length() == 0,
        rx.vstack(
            # Two fixed icons rather than a Var name (see chat_list_pane._archived_entry).
            rx.cond(
                state.picker_searched,
                rx.icon("user-x", size=32, color=tokens.TEXT_SECONDARY),
                rx.icon("search", size=32, color=tokens.TEXT_SECONDARY),
            ),
            rx.text(
                rx.cond(
                    state.picker_searched,
                    "No one matches that. Check the spelling, or try their username.",
                    "Type the first letters of a name or username to find people.",
                ),
                size="2",
                align="center",
                style={"color": tokens.TEXT_SECONDARY},
            ),
            align="center",
            spacing="2",
            style={"padding": tokens.SPACE_6},
        ),
    )


def _check_row(state: Any, person: PersonRow) -> rx.Component:
    return rx.el.label(
        rx.checkbox(
            checked=state.picked_ids.contains(person.id),
            on_change=lambda checked: state.toggle_pick(person.id, checked),
            size="3",
        ),
        person_lines(person),
        class_name="wa-list-row",
        style=ROW_STYLE,
    )


def check_list(state: Any, *, list_label: str) -> rx.Component:
    """Results with a checkbox each; ticking adds a chip above."""
    return rx.box(
        rx.foreach(state.picker_results, lambda person: _check_row(state, person)),
        empty_results(state),
        role="group",
        aria_label=list_label,
    )


def _chip(state: Any, person: PersonRow) -> rx.Component:
    return rx.el.button(
        avatar(
            person.initials,
            url=person.avatar_url,
            name=person.display_name,
            size="28px",
            color=person.avatar_color,
        ),
        rx.text(person.display_name, size="2", class_name="wa-ellipsis"),
        rx.icon("x", size=16),
        type="button",
        aria_label="Remove " + person.display_name,
        on_click=state.unpick(person.id),
        style={
            "display": "flex",
            "alignItems": "center",
            "gap": tokens.SPACE_2,
            "minHeight": tokens.TAP_TARGET,
            "maxWidth": "100%",
            "padding": f"0 {tokens.SPACE_3} 0 {tokens.SPACE_1}",
            "border": "none",
            "borderRadius": tokens.RADIUS_PILL,
            "background": tokens.PANEL,
            "color": tokens.TEXT,
            "cursor": "pointer",
        },
    )


def chips(state: Any) -> rx.Component:
    return rx.cond(
        state.picker_picked.length() > 0,
        rx.flex(
            rx.foreach(state.picker_picked, lambda person: _chip(state, person)),
            wrap="wrap",
            gap="2",
            role="group",
            aria_label="Picked people",
            style={"padding": f"{tokens.SPACE_2} {tokens.SPACE_3} 0"},
        ),
    )
