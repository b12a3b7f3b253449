"""Controller of the "New chat" dialog: open a direct chat, or gather people into a group.

The dialog has three steps: "person" (search, tap someone to chat), "members"
(tick people for a new group) and "title" (name the group and create it).
"""

from __future__ import annotations

import asyncio
from typing import Any

import reflex as rx

from chat_app.routes import chat_route
from chat_app.services import direct_chats, groups
from chat_app.services.errors import InvalidInput, ServiceError
from chat_app.state.chat_list import ChatListState
from chat_app.state.people_picker import PeoplePickerMixin
from chat_app.state.session import SessionState

STEPS = ("person", "members", "title")


class NewChatState(PeoplePickerMixin, SessionState):
    dialog_open: bool = False
    step: str = "person"
    open_error: str = ""
    members_error: str = ""
    title_error: str = ""
    busy: bool = False

    @rx.var
    def dialog_title(self) -> str:
        return {"members": "Add group members", "title": "New group"}.get(self.step, "New chat")

    @rx.var
    def picked_summary(self) -> str:
        return ", ".join(p.display_name for p in self.picker_picked)

    @rx.var
    def picked_count_label(self) -> str:
        count = len(self.picker_picked)
        return "Nobody picked yet" if count == 0 else f"{count} picked"

    @rx.event
    def open_dialog(self):
        """Every opening starts clean: an old search or half-made group would confuse."""
        self._reset_picker()
        self.step = "person"
        self.open_error = self.members_error = self.title_error = ""
        self.busy = False
        self.dialog_open = True

    @rx.event
    def set_dialog_open(self, is_open: bool):
        """Esc, the close button and a click outside all land here."""
        self.dialog_open = bool(is_open)

    @rx.event
    def go_to(self, step: str):
        if step not in STEPS:
            return
        if step == "title" and not self.picker_picked:
            self.members_error = "Pick at least one person for the group."
            return
        self.members_error = self.open_error = ""
        self.step = step

    @rx.event
    async def choose_person(self, person_id: int):
        """Open (creating on first use) the direct chat with someone from the results."""
        self.busy = True
        yield
        try:
            chat_id = await asyncio.to_thread(
                direct_chats.open_direct_chat, user_id=self.user_id, other_user_id=person_id
            )
        except ServiceError as error:
            self.open_error = str(error)
            return
        finally:
            self.busy = False
        self.dialog_open = False
        yield ChatListState.refresh
        yield rx.redirect(chat_route(chat_id))

    @rx.event
    async def create_group(self, form: dict[str, Any]):
        title = form.get("title", "")
        title = title if isinstance(title, str) else ""
        self.busy = True
        self.title_error = ""
        yield
        try:
            chat_id = await asyncio.to_thread(
                groups.create_group,
                user_id=self.user_id,
                title=title,
                member_ids=[p.id for p in self.picker_picked],
            )
        except InvalidInput as error:
            if error.field == "members":
                self.members_error = str(error)
                self.step = "members"
            else:
                self.title_error = str(error)
            return
        except ServiceError as error:
            self.title_error = str(error)
            return
        finally:
            self.busy = False
        self.dialog_open = False
        yield ChatListState.refresh
        yield rx.redirect(chat_route(chat_id))
