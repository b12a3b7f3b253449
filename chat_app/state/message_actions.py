"""Controller of what I do to one message: edit, delete, react, and message info
(copying is done in the browser, see assets/message_menu.jsx).

The open chat's window lives in ConversationState; after a change this asks
it to re-read just the changed message.
"""

from __future__ import annotations

import asyncio
from typing import Any

import reflex as rx

from chat_app.services import history, message_changes
from chat_app.services.errors import ServiceError
from chat_app.state.chat_list import ChatListState
from chat_app.state.conversation import ConversationState
from chat_app.state.message_rows import MessageRow
from chat_app.state.session import SessionState


class MessageActionsState(SessionState):
    editing_id: int = 0
    editing_text: str = ""
    edit_error: str = ""
    action_error: str = ""
    deleting_id: int = 0
    info_open: bool = False
    info_read: list[str] = []
    info_delivered: list[str] = []
    info_pending: list[str] = []

    async def _after_change(self, message_id: int) -> None:
        conversation = await self.get_state(ConversationState)
        await conversation._refresh_messages([message_id])

    async def _change(self, call, message_id: int, **kwargs: Any) -> bool:
        try:
            await asyncio.to_thread(call, user_id=self.user_id, message_id=message_id, **kwargs)
        except ServiceError as error:
            self.action_error = str(error)
            return False
        self.action_error = ""
        await self._after_change(message_id)
        return True

    @rx.event
    async def start_edit(self, message_id: int):
        conversation = await self.get_state(ConversationState)
        row = next((m for m in conversation.messages if m.id == message_id), None)
        if row is not None:
            self._begin_edit(row)

    def _begin_edit(self, row: MessageRow) -> None:
        """Open the edit dialog on ``row`` when it may still be edited."""
        if row.can_edit:
            self.editing_id, self.editing_text, self.edit_error = row.id, row.body, ""

    @rx.event
    async def edit_last(self):
        """Up arrow in the empty composer: edit my newest message, if it may still be edited.

        Only the newest one, as WhatsApp does: reaching past it to an older
        message would surprise whoever meant to fix what they just sent.
        """
        conversation = await self.get_state(ConversationState)
        mine = [m for m in conversation.messages if m.is_mine and not m.deleted]
        if mine and not conversation.has_newer:
            self._begin_edit(mine[-1])

    @rx.event
    def set_edit_open(self, is_open: bool):
        """Closing the dialog (Esc, Cancel, outside click) abandons the edit."""
        if not is_open:
            self.editing_id, self.edit_error = 0, ""

    @rx.event
    async def save_edit(self, form: dict[str, Any]):
        body = form.get("body", "") if isinstance(form.get("body"), str) else ""
        try:
            await asyncio.to_thread(
                message_changes.edit_message,
                user_id=self.user_id,
                message_id=self.editing_id,
                body=body,
            )
        except ServiceError as error:
            self.edit_error = str(error)  # shown in the dialog, the text kept
            return
        edited, self.editing_id = self.editing_id, 0
        await self._after_change(edited)
        yield ChatListState.refresh

    @rx.event
    def ask_delete(self, message_id: int):
        """Deleting for everyone cannot be undone: it is asked first (the dialog's
        own button then calls ``delete``)."""
        self.deleting_id = message_id

    @rx.event
    def set_delete_open(self, is_open: bool):
        """Cancel, Esc or the action closing the question: nothing more is asked."""
        if not is_open:
            self.deleting_id = 0

    @rx.event
    async def delete(self, message_id: int):
        self.deleting_id = 0
        if await self._change(message_changes.delete_message, message_id):
            yield ChatListState.refresh

    @rx.event
    async def react(self, message_id: int, emoji: str):
        await self._change(message_changes.react, message_id, emoji=emoji)

    @rx.event
    async def show_info(self, message_id: int):
        """Who has read and who has received one of my messages (groups)."""
        try:
            info = await asyncio.to_thread(
                history.message_info, user_id=self.user_id, message_id=message_id
            )
        except ServiceError as error:
            self.action_error = str(error)
            return
        self.info_read = [r.display_name for r in info.read_by]
        self.info_delivered = [r.display_name for r in info.delivered_to]
        self.info_pending = [r.display_name for r in info.pending]
        self.info_open = True

    @rx.event
    def set_info_open(self, is_open: bool):
        self.info_open = bool(is_open)

    @rx.event
    def dismiss_error(self):
        self.action_error = ""
