"""Controller of the chat list: loading rows, the search box, filter chips, archive view."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime

import reflex as rx

from chat_app.services import attachments, chat_list
from chat_app.services.errors import ServiceError
from chat_app.services.views import ChatSummary
from chat_app.state import formatting
from chat_app.state.session import DETECT_TIMEZONE_JS, SessionState

FILTERS = ("all", "unread", "groups")


@dataclass(frozen=True)
class ChatRow:
    chat_id: int
    href: str
    name: str
    initials: str
    avatar_color: str
    avatar_url: str  # signed for the viewer; "" shows the initials
    is_group: bool
    time_label: str
    preview: str
    status: str
    unread: int
    unread_label: str
    muted: bool
    pinned: bool
    archived: bool


def to_row(summary: ChatSummary, now: datetime, tz_name: str, viewer_id: int) -> ChatRow:
    """``viewer_id`` signs the picture's link: links are made for one person."""
    tz = formatting.zone(tz_name)
    return ChatRow(
        chat_id=summary.chat_id,
        href=f"/chat/{summary.chat_id}",
        name=summary.name,
        initials=formatting.initials(summary.name),
        avatar_color=formatting.avatar_color(
            f"{summary.kind}:{summary.peer_id or summary.chat_id}"
        ),
        avatar_url=attachments.avatar_url(summary.avatar_path, viewer_id=viewer_id),
        is_group=summary.kind == "group",
        time_label=formatting.list_time(summary.last_activity_at, now, tz),
        preview=summary.last_preview,
        status=summary.last_status,
        unread=summary.unread,
        unread_label=formatting.unread_label(summary.unread),
        muted=summary.muted,
        pinned=summary.pinned,
        archived=summary.archived,
    )


class ChatListState(SessionState):
    rows: list[ChatRow] = []
    query: str = ""
    active_filter: str = "all"
    show_archived: bool = False
    loaded: bool = False
    error: str = ""
    active_chat_id: int = 0

    @rx.var
    def visible_rows(self) -> list[ChatRow]:
        needle = self.query.strip().lower()
        rows = [r for r in self.rows if r.archived == self.show_archived]
        if self.active_filter == "unread":
            rows = [r for r in rows if r.unread > 0]
        elif self.active_filter == "groups":
            rows = [r for r in rows if r.is_group]
        if needle:
            rows = [r for r in rows if needle in r.name.lower() or needle in r.preview.lower()]
        return rows

    @rx.var
    def archived_count(self) -> int:
        return sum(1 for r in self.rows if r.archived)

    @rx.var
    def unread_chats(self) -> int:
        return sum(1 for r in self.rows if r.unread > 0 and not r.archived)

    @rx.var
    def page_title(self) -> str:
        return f"({self.unread_chats}) Chat" if self.unread_chats else "Chat"

    @rx.event
    def start(self):
        """on_load: learn the browser's time zone, then load the rows."""
        self.active_chat_id = 0
        return rx.call_script(DETECT_TIMEZONE_JS, callback=ChatListState.start_in_timezone)

    @rx.event
    async def start_in_timezone(self, timezone: str):
        self._set_timezone(timezone)
        await self._reload()

    @rx.event
    async def refresh(self):
        """Reload the rows from the database (on open, after any change I make)."""
        await self._reload()

    async def _reload(self) -> None:
        if not self.user_id:
            return
        try:
            summaries = await asyncio.to_thread(chat_list.list_chats, user_id=self.user_id)
        except ServiceError as error:
            self.error = str(error)
            return
        now = datetime.now(UTC)
        self.rows = [to_row(s, now, self.timezone, self.user_id) for s in summaries]
        self.loaded = True
        self.error = ""

    @rx.event
    def set_query(self, value: str):
        self.query = value

    @rx.event
    def choose_filter(self, name: str):
        if name in FILTERS:
            self.active_filter = name

    @rx.event
    def toggle_archived_view(self):
        self.show_archived = not self.show_archived

    @rx.event
    async def set_flag(self, chat_id: int, flag: str, value: bool):
        """Pin, mute or archive one chat for me."""
        if flag not in ("pinned", "muted", "archived"):
            return
        try:
            await asyncio.to_thread(
                chat_list.set_chat_flags, user_id=self.user_id, chat_id=chat_id, **{flag: value}
            )
        except ServiceError as error:
            self.error = str(error)
            return
        await self._reload()
