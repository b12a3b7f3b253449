"""Controller of the realtime link: what the socket component hands over, applied.

The browser forwards each event as it came off the socket; it is parsed here
with the same protocol models the services publish with, and treated as a
hint only: every slice it touches (one chat-list row, one message, the ticks,
the header) is re-read from PostgreSQL through the services, which check
membership, so a forged or stale event can show nothing it should not.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import reflex as rx
from pydantic import ValidationError

from chat_app.protocol import (
    ChatUpdated,
    Event,
    MemberAdded,
    MemberRemoved,
    MessageCreated,
    MessageDeleted,
    MessageUpdated,
    Presence,
    ProfileUpdated,
    ReactionChanged,
    ReceiptUpdated,
    Typing,
)
from chat_app.services import history, people
from chat_app.services.errors import ServiceError
from chat_app.state.chat_list import ChatListState
from chat_app.state.conversation import ConversationState
from chat_app.state.notifications import NotificationState
from chat_app.state.session import SessionState

log = logging.getLogger(__name__)


class LiveState(SessionState):
    @rx.event
    async def receive(self, frame: dict[str, Any]):
        """One event from the socket."""
        try:
            event = Event.model_validate(frame)
        except ValidationError:
            log.warning("dropping a realtime event that does not fit the protocol")
            return
        if not self.user_id:
            return
        try:
            await self._apply(event.data)
        except ServiceError:
            # The chat went away meanwhile (left, removed): the next refresh shows it.
            log.info("a realtime event for a chat no longer reachable", exc_info=True)

    async def _apply(self, data: Any) -> None:
        chat_list = await self.get_state(ChatListState)
        chat_id = getattr(data, "chat_id", None)
        conversation = (
            await self.get_state(ConversationState)
            if chat_id is None or chat_id == chat_list.active_chat_id
            else None
        )
        if conversation is not None and conversation.chat_id != chat_list.active_chat_id:
            conversation = None  # a chat left open earlier, not the one on screen
        if isinstance(data, MessageCreated):
            await self._message_created(data, chat_list, conversation)
        elif isinstance(data, (MessageUpdated, MessageDeleted, ReactionChanged)):
            if conversation is not None:
                await conversation.refresh_message(data.message_id)
            if not isinstance(data, ReactionChanged):
                await chat_list.refresh_row(data.chat_id)  # the preview may be this message
        elif isinstance(data, ReceiptUpdated):
            if conversation is not None and data.user_id != self.user_id:
                await conversation.refresh_ticks()
            await chat_list.refresh_row(data.chat_id)
        elif isinstance(data, (ChatUpdated, MemberAdded, MemberRemoved)):
            await chat_list.refresh_row(data.chat_id)
            if conversation is not None:
                await conversation.reread()
        elif isinstance(data, Typing):
            is_group = chat_list.is_group(data.chat_id)
            if is_group is None and conversation is not None:
                is_group = conversation.is_group
            if is_group is not None:
                await chat_list.show_typing(data.chat_id, data.user_id, is_group=is_group)
        elif isinstance(data, ProfileUpdated):
            await self._profile_updated(data, chat_list, conversation)
        elif (
            isinstance(data, Presence)
            and conversation is not None
            and conversation.shows_presence_of(data.user_id)
        ):
            await conversation.refresh_presence()

    async def _message_created(
        self,
        data: MessageCreated,
        chat_list: ChatListState,
        conversation: ConversationState | None,
    ) -> None:
        chat_list.stop_typing(data.chat_id, data.sender_id)
        if data.sender_id != self.user_id:
            # It reached this device: the sender's single tick becomes a double one.
            await asyncio.to_thread(
                history.mark_delivered,
                user_id=self.user_id,
                chat_id=data.chat_id,
                up_to_message_id=data.message_id,
            )
        if conversation is not None:
            await conversation.receive_message()
        await chat_list.refresh_row(data.chat_id)
        if data.sender_id != self.user_id:
            notifications = await self.get_state(NotificationState)
            notifications.offer(chat_list.summary(data.chat_id), message_id=data.message_id)

    async def _profile_updated(
        self,
        data: ProfileUpdated,
        chat_list: ChatListState,
        conversation: ConversationState | None,
    ) -> None:
        """Someone's name or picture changed: wherever this tab shows them (the list's
        rows and group previews, the open chat's header and sender names, or my own
        avatar when it was me in another tab) is read again."""
        if data.user_id == self.user_id:
            me = await asyncio.to_thread(people.get_profile, user_id=self.user_id)
            self._remember_profile(me.display_name, me.avatar_path)
        await chat_list.reload_rows()
        if conversation is not None and conversation.shows_person(data.user_id):
            await conversation.refresh_people()

    @rx.event
    async def resync(self, info: dict[str, Any]):
        """Connected (or fell behind the retention): re-read what is on screen."""
        if not self.user_id:
            return
        chat_list = await self.get_state(ChatListState)
        conversation = None
        if chat_list.active_chat_id:
            conversation = await self.get_state(ConversationState)
            if conversation.chat_id != chat_list.active_chat_id:
                conversation = None
            elif info.get("reason") == "connected":
                await conversation.catch_up()
            else:
                await conversation.reread()
        await chat_list.reload_rows()
        summary = chat_list.summary(conversation.chat_id) if conversation is not None else None
        if (
            conversation is not None
            and summary is not None
            and summary.former != conversation.former
        ):
            # Removed (or added back) while the link was down: the composer goes (or returns).
            await conversation.reread()

    @rx.event
    async def typing_stopped(self, info: dict[str, Any]):
        chat_list = await self.get_state(ChatListState)
        chat_id, user_id = info.get("chat_id"), info.get("user_id")
        if isinstance(chat_id, int) and isinstance(user_id, int):
            chat_list.stop_typing(chat_id, user_id)

    @rx.event
    async def visibility(self, info: dict[str, Any]):
        """The tab came to the front: what is on screen in the open chat is now read."""
        self._page_visible = bool(info.get("visible"))
        if not self._page_visible or not self.user_id:
            return
        chat_list = await self.get_state(ChatListState)
        if not chat_list.active_chat_id:
            return
        conversation = await self.get_state(ConversationState)
        if conversation.chat_id == chat_list.active_chat_id and conversation.at_bottom:
            await conversation.receive_message()
            await chat_list.refresh_row(conversation.chat_id)

    @rx.event
    def auth_failed(self, info: dict[str, Any]):
        """The socket refused the token (expired): check the session like a page load."""
        return SessionState.require_session
