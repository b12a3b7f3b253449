"""Controller of the chat info panel: who is in a chat, and a group's administration.

The service decides who may do what; this state only hides what a member
cannot do and shows the service's refusal next to the action that caused it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import reflex as rx

from chat_app.routes import chat_id_in_path
from chat_app.services import attachments, groups, history, people
from chat_app.services.errors import ServiceError
from chat_app.services.read_models import ChatDetails
from chat_app.state import formatting
from chat_app.state.chat_list import ChatListState
from chat_app.state.conversation import ConversationState
from chat_app.state.people_picker import PeoplePickerMixin
from chat_app.state.people_rows import MemberRow, to_member_row
from chat_app.state.session import SessionState


class ChatInfoState(PeoplePickerMixin, SessionState):
    panel_open: bool = False
    loading: bool = False
    chat_id: int = 0
    is_group: bool = False
    chat_name: str = ""
    handle: str = ""
    about: str = ""
    avatar_color: str = ""
    avatar_url: str = ""
    members: list[MemberRow] = []
    am_admin: bool = False
    # No longer a participant: no members, no actions, only "Delete chat".
    former: bool = False
    load_error: str = ""
    renaming: bool = False
    title_error: str = ""
    member_error_id: int = 0
    member_error: str = ""
    removing_id: int = 0
    adding: bool = False
    add_error: str = ""
    confirm_leave: bool = False
    leave_error: str = ""

    @rx.var
    def chat_initials(self) -> str:
        return formatting.initials(self.chat_name)

    @rx.var
    def members_label(self) -> str:
        count = len(self.members)
        return "1 member" if count == 1 else f"{count} members"

    def _picker_excluded(self) -> set[int]:
        return {m.user_id for m in self.members}

    @rx.event
    async def open_panel(self):
        """The URL names the open chat, so the panel is right even before the chat loads."""
        self.chat_id = chat_id_in_path(self.router.url.path)
        self.panel_open, self.loading = True, True
        self.renaming = self.adding = self.confirm_leave = False
        self.title_error = self.member_error = self.add_error = self.leave_error = ""
        self.member_error_id = self.removing_id = 0
        self._reset_picker()
        yield
        await self._load()

    @rx.event
    def set_panel_open(self, is_open: bool):
        self.panel_open = bool(is_open)

    async def _load(self) -> None:
        try:
            details = await asyncio.to_thread(
                history.chat_details, user_id=self.user_id, chat_id=self.chat_id
            )
            about = await self._peer_about(details)
        except ServiceError as error:
            self.load_error, self.loading = str(error), False
            return
        self.load_error, self.loading = "", False
        self.is_group = details.is_group
        self.chat_name = details.name
        self.handle = f"@{details.peer.username}" if details.peer else ""
        self.about = about
        self.avatar_color = formatting.avatar_color(
            f"{details.kind}:{details.peer.id if details.peer else details.chat_id}"
        )
        self.avatar_url = attachments.avatar_url(details.avatar_path, viewer_id=self.user_id)
        self.am_admin = details.am_admin
        self.former = details.former
        rows = [to_member_row(m, self.user_id) for m in details.members]
        # Me first, then admins, then everyone else by name: as WhatsApp lists them.
        self.members = sorted(rows, key=lambda r: (not r.is_me, not r.is_admin, r.name.lower()))

    async def _peer_about(self, details: ChatDetails) -> str:
        if details.peer is None:
            return ""
        profile = await asyncio.to_thread(people.get_profile, user_id=details.peer.id)
        return profile.about

    async def _changed(self):
        """After any change: the panel, the open conversation and the chat list re-read it."""
        await self._load()
        yield ConversationState.reload
        yield ChatListState.refresh

    # --- the group's name ------------------------------------------------------------

    @rx.event
    def set_renaming(self, renaming: bool):
        self.renaming, self.title_error = bool(renaming), ""

    @rx.event
    async def save_title(self, form: dict[str, Any]):
        title = form.get("title", "")
        try:
            await asyncio.to_thread(
                groups.rename_group,
                user_id=self.user_id,
                chat_id=self.chat_id,
                title=title if isinstance(title, str) else "",
            )
        except ServiceError as error:
            self.title_error = str(error)
            return
        self.renaming, self.title_error = False, ""
        async for update in self._changed():
            yield update

    # --- members ---------------------------------------------------------------------

    async def _member_action(self, call: Callable[..., Any], member_id: int):
        self.member_error_id, self.member_error = 0, ""
        try:
            await asyncio.to_thread(
                call, user_id=self.user_id, chat_id=self.chat_id, member_id=member_id
            )
        except ServiceError as error:
            self.member_error_id, self.member_error = member_id, str(error)
            return
        async for update in self._changed():
            yield update

    @rx.event
    async def promote(self, member_id: int):
        async for update in self._member_action(groups.promote_to_admin, member_id):
            yield update

    @rx.var
    def removing_name(self) -> str:
        """The name of the member whose removal is being asked about."""
        return next((m.name for m in self.members if m.user_id == self.removing_id), "")

    @rx.event
    def ask_remove(self, member_id: int):
        """Removing someone is asked first, naming them and the group (the
        dialog's own button then calls ``remove``)."""
        self.removing_id = member_id

    @rx.event
    def set_remove_open(self, is_open: bool):
        """Cancel, Esc or the action closing the question: nobody is being asked about."""
        if not is_open:
            self.removing_id = 0

    @rx.event
    async def remove(self, member_id: int):
        self.removing_id = 0
        async for update in self._member_action(groups.remove_member, member_id):
            yield update

    @rx.event
    def set_adding(self, adding: bool):
        self._reset_picker()
        self.adding, self.add_error = bool(adding), ""

    @rx.event
    async def add_picked(self):
        if not self.picker_picked:
            self.add_error = "Pick at least one person to add."
            return
        try:
            await asyncio.to_thread(
                groups.add_members,
                user_id=self.user_id,
                chat_id=self.chat_id,
                member_ids=[p.id for p in self.picker_picked],
            )
        except ServiceError as error:
            self.add_error = str(error)
            return
        self.adding, self.add_error = False, ""
        self._reset_picker()
        async for update in self._changed():
            yield update

    # --- leaving ---------------------------------------------------------------------

    @rx.event
    def ask_leave(self, confirm: bool):
        self.confirm_leave, self.leave_error = bool(confirm), ""

    @rx.event
    async def leave(self):
        try:
            await asyncio.to_thread(groups.leave_group, user_id=self.user_id, chat_id=self.chat_id)
        except ServiceError as error:
            self.leave_error = str(error)
            return
        # As in WhatsApp the group stays open, read-only, with "You left" at its end.
        self.panel_open = self.confirm_leave = False
        yield ConversationState.reload
        yield ChatListState.refresh

    @rx.event
    def ask_delete_chat(self):
        """From a group I am no longer in: the conversation asks, then deletes it."""
        self.panel_open = False
        return ConversationState.ask_delete_chat(True)
