"""Controller of the profile panel: my name and about.

The theme choice in the same panel is the browser's own (Reflex's colour mode,
kept in localStorage), so it needs nothing here.
"""

from __future__ import annotations

import asyncio
from typing import Any

import reflex as rx

from chat_app.services import people
from chat_app.services.errors import InvalidInput, ServiceError
from chat_app.state.session import SessionState


def _text(form: dict[str, Any], name: str) -> str:
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


class ProfileState(SessionState):
    panel_open: bool = False
    loading: bool = False
    about: str = ""
    # Errors by form field: "display_name", "about", or "form" for anything else.
    errors: dict[str, str] = {}
    saved: bool = False
    busy: bool = False

    @rx.var
    def display_name_error(self) -> str:
        return self.errors.get("display_name", "")

    @rx.var
    def about_error(self) -> str:
        return self.errors.get("about", "")

    @rx.var
    def form_error(self) -> str:
        return self.errors.get("form", "")

    @rx.event
    async def open_panel(self):
        """Read the profile afresh: it may have been changed in another tab."""
        self.errors, self.saved, self.busy = {}, False, False
        self.loading, self.panel_open = True, True
        yield
        try:
            me = await asyncio.to_thread(people.get_profile, user_id=self.user_id)
        except ServiceError as error:
            self.errors = {"form": str(error)}
        else:
            self.display_name, self.about = me.display_name, me.about
        self.loading = False

    @rx.event
    def set_panel_open(self, is_open: bool):
        self.panel_open = bool(is_open)

    @rx.event
    def edited(self):
        """Typing again hides the old "Saved" note, which would now be untrue."""
        self.saved = False

    @rx.event
    async def save(self, form: dict[str, Any]):
        self.busy, self.errors, self.saved = True, {}, False
        yield
        try:
            me = await asyncio.to_thread(
                people.update_profile,
                user_id=self.user_id,
                display_name=_text(form, "display_name"),
                about=_text(form, "about"),
            )
        except InvalidInput as error:
            self.errors = {error.field: str(error)}
        except ServiceError as error:
            self.errors = {"form": str(error)}
        else:
            # The header's initials come from SessionState.display_name.
            self.display_name, self.about = me.display_name, me.about
            self.saved = True
        finally:
            self.busy = False
