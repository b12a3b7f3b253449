"""Controller of the open chat: a bounded window of messages, scrolling and sending.

Only a window of at most WINDOW messages lives in state, so a new message
costs a delta of one window however long the chat's history is.
"""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from datetime import UTC, datetime
from typing import Any

import reflex as rx

from chat_app.routes import HOME, chat_id_in_path
from chat_app.services import attachments, drafts, history, presence
from chat_app.services.access import NO_LONGER_PARTICIPANT as NO_LONGER_PARTICIPANT
from chat_app.services.chat_list import delete_former_chat
from chat_app.services.errors import (
    NotFound,
    ServiceError,
    TooManyAttempts,
    WaitingForEarlier,
)
from chat_app.services.message_send import send_message
from chat_app.services.read_models import ChatDetails, MessageView
from chat_app.state import formatting
from chat_app.state.chat_list import ChatListState
from chat_app.state.message_rows import MessageRow, layout
from chat_app.state.page_visit import page_visit
from chat_app.state.session import DETECT_TIMEZONE_JS, SessionState

WINDOW = 150
COMPOSER_ID = "composer"


REPORTS_KEPT = 32


@dataclasses.dataclass(frozen=True)
class SendReport:
    """How one message from the composer fared, for assets/composer_outbox.jsx:
    "stored", "refused" (it broke a rule) or "held" (sending too fast; the
    browser sends it again after ``retry_ms``). ``id`` is new for each report."""

    id: str
    client_id: str
    outcome: str
    retry_ms: int = 0


class ConversationState(SessionState):
    chat_id: int = 0
    missing: str = ""
    name: str = ""
    subtitle: str = ""
    avatar_color: str = ""
    avatar_url: str = ""
    is_group: bool = False
    my_role: str = ""
    # A group I left or was removed from: its history up to then, read-only.
    former: bool = False
    confirm_delete: bool = False
    _asked_on: str = ""  # the page visit "Delete chat" was asked on
    delete_error: str = ""
    messages: list[MessageRow] = []
    has_older: bool = False
    has_newer: bool = False
    at_bottom: bool = True
    scroll_key: str = ""
    scroll_to_id: str = ""
    composer_error: str = ""
    # The latest answers to the composer's sends (the browser's outbox reads them).
    send_reports: list[SendReport] = []
    reply_id: int = 0
    reply_name: str = ""
    reply_snippet: str = ""
    # My unsent text in this chat, put into the composer in the browser
    # (assets/composer_draft.jsx) when ``draft_key`` changes, on each load.
    draft: str = ""
    draft_key: str = ""

    _views: list[MessageView] = []
    _divider_id: int | None = None
    _unread_count: int = 0
    _peer_id: int = 0
    _member_ids: list[int] = []
    _peer_handle: str = ""
    _details: ChatDetails | None = None  # what the header shows, to skip a re-read that matches

    @rx.var
    def initials(self) -> str:
        return formatting.initials(self.name)

    @rx.var
    def first_id(self) -> int:
        return self.messages[0].id if self.messages else 0

    @rx.var
    def last_id(self) -> int:
        return self.messages[-1].id if self.messages else 0

    # --- opening -----------------------------------------------------------------

    @rx.event
    def open(self):
        """on_load of /chat/[chat_id]: learn the time zone, then load the chat. A
        question left open by an earlier page load closes; one asked on this page,
        even before this on_load ran, stays."""
        if self.confirm_delete and self._asked_on != page_visit(self):
            self.confirm_delete = False
        return rx.call_script(DETECT_TIMEZONE_JS, callback=ConversationState.open_in_timezone)

    @rx.event
    async def open_in_timezone(self, detected: list):
        self._set_timezone(detected)
        await self._load(self._route_chat_id())
        chat_list = await self.get_state(ChatListState)
        chat_list.active_chat_id = self.chat_id
        return ChatListState.refresh  # the unread count just went to zero

    @rx.event
    async def reload(self):
        """Re-read the open chat (after a change to its members or details)."""
        await self.reread()

    async def reread(self) -> None:
        await self._load(self.chat_id)

    def _route_chat_id(self) -> int:
        return chat_id_in_path(self.router.url.path)

    async def _load(self, chat_id: int) -> None:
        self._reset(chat_id)
        try:
            details = await asyncio.to_thread(
                history.chat_details, user_id=self.user_id, chat_id=chat_id
            )
            page = await asyncio.to_thread(
                history.load_latest, user_id=self.user_id, chat_id=chat_id
            )
        except NotFound as error:
            self.missing = str(error)
            return
        self._show_details(details)
        await self.refresh_presence()
        self.draft = (
            ""
            if self.former
            else await asyncio.to_thread(drafts.draft_of, user_id=self.user_id, chat_id=chat_id)
        )
        self.draft_key = f"{chat_id}:{uuid.uuid4().hex[:8]}"
        self._divider_id, self._unread_count = page.first_unread_id, page.unread_count
        self._views = page.messages
        self.has_older = page.has_older
        self._relayout()
        self.scroll_key = f"{chat_id}:{uuid.uuid4().hex[:8]}"
        await self._mark_read()

    def _show_details(self, details: ChatDetails) -> None:
        """The header: name, picture, and the members (a group) or @username."""
        self._details = details
        self.name = details.name
        self.is_group = details.is_group
        self.my_role = details.my_role
        self.former = details.former
        self.avatar_color = formatting.avatar_color(
            f"{details.kind}:{details.peer.id if details.peer else details.chat_id}"
        )
        self.avatar_url = attachments.avatar_url(details.avatar_path, viewer_id=self.user_id)
        self._peer_id = details.peer.id if details.peer and not self.is_group else 0
        self._member_ids = [m.user_id for m in details.members]
        self._peer_handle = f"@{details.peer.username}" if details.peer else ""
        self.subtitle = (
            ", ".join(
                "You" if m.user_id == self.user_id else m.display_name for m in details.members
            )
            if self.is_group
            else self._peer_handle
        )

    def _reset(self, chat_id: int) -> None:
        if chat_id != self.chat_id:
            # A confirmation asked for in this chat stays when the chat is read again:
            # a page shows the chat it last held while the chat's load is on its way,
            # and "Delete chat" tapped in that moment must not be undone by the load.
            self.confirm_delete = False
            self.delete_error = ""
        self.chat_id = chat_id
        self.missing = ""
        self.messages = []
        self._views = []
        self._details = None
        self.has_older = self.has_newer = False
        self.at_bottom = True
        self.reply_id, self.reply_name, self.reply_snippet = 0, "", ""
        self.composer_error = ""
        self.former = False

    def _relayout(self) -> None:
        self.messages = layout(
            self._views,
            is_group=self.is_group,
            now=datetime.now(UTC),
            tz_name=self.timezone,
            hour12=self.hour12,
            divider_id=self._divider_id,
            unread_count=self._unread_count,
            member_ids=self._member_ids,
        )

    async def _mark_read(self) -> bool:
        """Read up to the newest message in view; True when the cursor moved."""
        newest = self._views[-1].id if self._views and not self.has_newer else 0
        if not newest or self.former:
            return False
        return await asyncio.to_thread(
            history.mark_read, user_id=self.user_id, chat_id=self.chat_id, up_to_message_id=newest
        )

    # --- scrolling -----------------------------------------------------------------

    @rx.event
    async def load_older(self):
        if not self.has_older or not self._views:
            return
        page = await asyncio.to_thread(
            history.load_older,
            user_id=self.user_id,
            chat_id=self.chat_id,
            before_id=self._views[0].id,
        )
        self._views = page.messages + self._views
        self.has_older = page.has_older
        if len(self._views) > WINDOW:
            self._views = self._views[:WINDOW]
            self.has_newer = True
        self._relayout()

    @rx.event
    async def bottom_changed(self, at_bottom: bool):
        self.at_bottom = bool(at_bottom)
        if self.at_bottom and not self.has_newer and await self._mark_read():
            return ChatListState.refresh
        return None

    @rx.event
    async def jump_to_latest(self):
        if self.has_newer:
            page = await asyncio.to_thread(
                history.load_latest, user_id=self.user_id, chat_id=self.chat_id
            )
            self._views, self.has_older, self.has_newer = page.messages, page.has_older, False
            self._divider_id = None
            self._relayout()
        self.scroll_key = f"{self.chat_id}:{uuid.uuid4().hex[:8]}:latest"
        await self._mark_read()

    @rx.event
    def show_message(self, message_id: int):
        """Scroll to a quoted original (if it is in the window)."""
        self.scroll_to_id = f"msg-{message_id}:{uuid.uuid4().hex[:6]}"

    # --- sending -------------------------------------------------------------------

    @rx.event
    async def send_text(self, outgoing: dict[str, Any]):
        """A message from the composer, under the client id the browser made for it
        (a retry of a stored one is answered "stored" again, never sent twice).
        Without a chat it goes to the open one; without an id it gets one here."""
        body = outgoing.get("body")
        if not isinstance(body, str):
            return
        client_msg_id = outgoing.get("client_msg_id")
        if not isinstance(client_msg_id, str):
            client_msg_id = uuid.uuid4().hex
        after = outgoing.get("after")  # the one written before it, not yet stored
        if not isinstance(after, str):
            after = None
        if not self.chat_id:
            # A fresh state (another backend took the tab over) got the send before
            # the page re-opened the chat: open it from the address first.
            if not await self._resume_session():
                return
            await self._load(self._route_chat_id())
        chat_id = outgoing.get("chat_id")
        if not isinstance(chat_id, int) or isinstance(chat_id, bool):
            chat_id = self.chat_id
        here = chat_id == self.chat_id
        try:
            await asyncio.to_thread(
                send_message,
                user_id=self.user_id,
                chat_id=chat_id,
                body=body,
                client_msg_id=client_msg_id,
                reply_to_id=(self.reply_id or None) if here else None,
                after_client_msg_id=after,
            )
        except (TooManyAttempts, WaitingForEarlier) as error:
            self._report(client_msg_id, "held", retry_ms=error.retry_after * 1000)
            if isinstance(error, TooManyAttempts):  # the limit is said; a wait for order is not
                self.composer_error = str(error)
            return
        except ServiceError as error:
            self._report(client_msg_id, "refused")
            self.composer_error = str(error)
            return
        self._report(client_msg_id, "stored")
        self.composer_error = ""
        if here:
            self.draft = ""
            self.reply_id, self.reply_name, self.reply_snippet = 0, "", ""
            await self._append_newer()
        yield
        chat_list = await self.get_state(ChatListState)
        await chat_list.refresh_row(chat_id)

    def _report(self, client_id: str, outcome: str, *, retry_ms: int = 0) -> None:
        report = SendReport(uuid.uuid4().hex[:12], client_id, outcome, retry_ms)
        self.send_reports = [*self.send_reports[-(REPORTS_KEPT - 1) :], report]

    @rx.event
    async def keep_draft(self, typed: dict[str, Any]):
        """What is typed in a chat's composer, saved as its draft (blank text removes it);
        ``typed_over``: see ``drafts.save_draft``."""
        chat_id, body = typed.get("chat_id"), typed.get("body")
        typed_over = typed.get("typed_over")
        if not isinstance(chat_id, int) or not isinstance(body, str):
            return
        if typed_over is not None and not isinstance(typed_over, str):
            return
        try:
            kept = await asyncio.to_thread(
                drafts.save_draft,
                user_id=self.user_id,
                chat_id=chat_id,
                body=body,
                typed_over=typed_over,
            )
        except ServiceError:
            return  # not kept; sending it would say why
        if chat_id == self.chat_id:
            self.draft = kept
        chat_list = await self.get_state(ChatListState)
        await chat_list.refresh_row(chat_id)

    async def _append_newer(self, *, follow: bool = True) -> None:
        """Add what came after the window. ``follow`` scrolls to it (my own send);
        someone else's message only scrolls a reader who is already at the bottom."""
        if self.has_newer:
            if follow:
                await self.jump_to_latest()
            return
        after = self._views[-1].id if self._views else 0
        newer = await asyncio.to_thread(
            history.load_newer, user_id=self.user_id, chat_id=self.chat_id, after_id=after
        )
        if not newer:
            return
        self._views = (self._views + newer)[-WINDOW:]
        self.has_older = self.has_older or len(self._views) == WINDOW
        self._relayout()
        if follow:
            self.scroll_key = f"{self.chat_id}:{uuid.uuid4().hex[:8]}:latest"

    @rx.event
    async def show_latest(self):
        """After a send made elsewhere (the attach dialog): show it and refresh the list."""
        await self._append_newer()
        return ChatListState.refresh

    @rx.event
    def reply_to(self, message_id: int):
        row = next((m for m in self.messages if m.id == message_id), None)
        if row is None or row.deleted or row.is_system:
            return None
        self.reply_id = row.id
        self.reply_name = "You" if row.is_mine else row.sender_name
        self.reply_snippet = row.body[:120]
        return rx.set_focus(COMPOSER_ID)

    @rx.event
    def cancel_reply(self):
        self.reply_id, self.reply_name, self.reply_snippet = 0, "", ""

    # --- deleting a group I am no longer in -------------------------------------------

    @rx.event
    def ask_delete_chat(self, confirm: bool):
        self.confirm_delete, self.delete_error = bool(confirm), ""
        self._asked_on = page_visit(self) if confirm else ""

    @rx.event
    async def delete_chat(self):
        """Delete the group from my list for good (the others keep its history)."""
        self.confirm_delete = False
        try:
            await asyncio.to_thread(delete_former_chat, user_id=self.user_id, chat_id=self.chat_id)
        except ServiceError as error:
            self.delete_error = str(error)
            return
        list_state = await self.get_state(ChatListState)
        await list_state.refresh_row(self.chat_id)
        self._reset(0)
        yield rx.redirect(HOME)

    # --- after changes made elsewhere (live events, see chat_app/state/live.py) ---------

    async def receive_message(self) -> None:
        """Someone's message arrived in the open chat: show it, and it is read when the
        reader can see it (tab visible, scrolled to the bottom)."""
        await self._append_newer(follow=False)
        if self._page_visible and self.at_bottom:
            await self._mark_read()

    async def refresh_message(self, message_id: int) -> None:
        if any(view.id == message_id for view in self._views):
            await self._refresh_messages([message_id])

    async def refresh_ticks(self) -> None:
        """Someone's cursors moved: recompute the ticks of my messages not yet read."""
        waiting = [v.id for v in self._views if v.is_mine and v.status != "read"]
        if not waiting or self.former:  # a former member's ticks stop where they left
            return
        statuses = await asyncio.to_thread(
            history.tick_statuses, user_id=self.user_id, chat_id=self.chat_id, message_ids=waiting
        )
        self._replace_views(
            [
                dataclasses.replace(v, status=statuses[v.id]) if v.id in statuses else v
                for v in self._views
            ]
        )

    async def refresh_presence(self) -> None:
        """The header of a direct chat: "online", "last seen today at 10:15", else @name."""
        if not self._peer_id:
            return
        try:
            seen = await asyncio.to_thread(
                presence.presence_of, viewer_id=self.user_id, user_id=self._peer_id
            )
        except NotFound:
            return
        label = (
            "online"
            if seen.online
            else formatting.last_seen(
                seen.last_seen_at, datetime.now(UTC), formatting.zone(self.timezone), self.hour12
            )
        )
        subtitle = label or self._peer_handle
        if self.subtitle != subtitle:
            self.subtitle = subtitle

    async def catch_up(self) -> None:
        """The socket's first connection: whatever arrived or changed between the page's
        own read and the socket listening (read at once if the reader is looking, as a
        live arrival would be) — new messages, ticks, and the header and the messages in
        view, whose edits, reactions and sender names may have moved meanwhile."""
        await self.receive_message()
        await self.refresh_ticks()
        await self.refresh_people()

    def shows_person(self, user_id: int) -> bool:
        """Whether the open chat shows this person (its other person, or a member)."""
        return bool(self.chat_id) and user_id in self._member_ids

    async def refresh_people(self) -> None:
        """Someone in the chat changed their name or picture: the header and the names
        on the messages in view follow, and nothing else moves (the scroll position,
        the composer and its draft stay as they are)."""
        details = await asyncio.to_thread(
            history.chat_details, user_id=self.user_id, chat_id=self.chat_id
        )
        if details != self._details:  # else the header stays as it is: nothing is sent
            self._show_details(details)
        await self.refresh_presence()
        await self._refresh_messages([view.id for view in self._views])

    def shows_presence_of(self, user_id: int) -> bool:
        return bool(self._peer_id) and self._peer_id == user_id

    async def _refresh_messages(self, message_ids: list[int]) -> None:
        fresh = await asyncio.to_thread(
            history.load_messages,
            user_id=self.user_id,
            chat_id=self.chat_id,
            message_ids=message_ids,
        )
        by_id = {view.id: view for view in fresh}
        self._replace_views([by_id.get(view.id, view) for view in self._views])

    def _replace_views(self, views: list[MessageView]) -> None:
        """The window re-read: laid out and sent only when something in it moved, so
        a re-read that finds it as shown renders nothing again."""
        if views != self._views:
            self._views = views
            self._relayout()
