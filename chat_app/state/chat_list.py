"""Controller of the chat list: loading rows, the search box (chats, then people to
start a chat with), filter chips, archive view."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime

import reflex as rx

from chat_app.routes import chat_route
from chat_app.services import attachments, chat_list, direct_chats, people
from chat_app.services.errors import NotFound, ServiceError
from chat_app.services.read_models import ChatSummary
from chat_app.state import formatting
from chat_app.state.people_rows import PersonRow, to_person_row
from chat_app.state.session import DETECT_TIMEZONE_JS, SessionState

FILTERS = ("all", "unread", "groups")
TYPING_DIRECT = "typing…"


@dataclass(frozen=True)
class ChatRow:
    chat_id: int
    href: str
    name: str
    peer_id: int  # the other person of a direct chat, 0 for a group
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
    draft: str  # my unsent text there, shown as "Draft: …" ("" when none)


def to_row(
    summary: ChatSummary, now: datetime, tz_name: str, viewer_id: int, hour12: bool = False
) -> ChatRow:
    """``viewer_id`` signs the picture's link: links are made for one person."""
    tz = formatting.zone(tz_name)
    return ChatRow(
        chat_id=summary.chat_id,
        href=chat_route(summary.chat_id),
        name=summary.name,
        peer_id=0 if summary.is_group else (summary.peer_id or 0),
        initials=formatting.initials(summary.name),
        avatar_color=formatting.avatar_color(
            f"{summary.kind}:{summary.peer_id or summary.chat_id}"
        ),
        avatar_url=attachments.avatar_url(summary.avatar_path, viewer_id=viewer_id),
        is_group=summary.is_group,
        time_label=formatting.list_time(summary.last_activity_at, now, tz, hour12),
        preview=summary.last_preview,
        status=summary.last_status,
        unread=summary.unread,
        unread_label=formatting.unread_label(summary.unread),
        muted=summary.muted,
        pinned=summary.pinned,
        archived=summary.archived,
        draft=summary.draft,
    )


class ChatListState(SessionState):
    rows: list[ChatRow] = []
    query: str = ""
    active_filter: str = "all"
    show_archived: bool = False
    loaded: bool = False
    error: str = ""
    active_chat_id: int = 0
    # Chat id (as text, the key type the browser uses) -> "typing…" / "Bob is typing…".
    typing: dict[str, str] = {}
    # People the search box found (the same search as "New chat").
    people: list[PersonRow] = []

    _summaries: dict[int, ChatSummary] = {}
    _typers: dict[int, int] = {}  # chat id -> who the typing label is about

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
    def people_found(self) -> list[PersonRow]:
        """Under the matching chats, as on WhatsApp: people to start a chat with,
        leaving out anyone whose direct chat is already among the rows shown."""
        if not self.query.strip():
            return []
        shown = {row.peer_id for row in self.visible_rows if row.peer_id}
        return [person for person in self.people if person.id not in shown]

    @rx.var
    def archived_count(self) -> int:
        return sum(1 for r in self.rows if r.archived)

    @rx.var
    def unread_chats(self) -> int:
        """Chats with unread messages, for the tab title and the favicon badge. As on
        WhatsApp, muted and archived chats keep their own count in the list but do not
        call for attention here."""
        return sum(1 for r in self.rows if r.unread > 0 and not r.archived and not r.muted)

    @rx.var
    def open_chat_typing(self) -> str:
        return self.typing.get(str(self.active_chat_id), "")

    @rx.var
    def page_title(self) -> str:
        return f"({self.unread_chats}) Chat" if self.unread_chats else "Chat"

    @rx.event
    def start(self):
        """on_load: learn the browser's time zone, then load the rows."""
        self.active_chat_id = 0
        return rx.call_script(DETECT_TIMEZONE_JS, callback=ChatListState.start_in_timezone)

    @rx.event
    async def start_in_timezone(self, detected: list):
        self._set_timezone(detected)
        await self.reload_rows()

    @rx.event
    async def refresh(self):
        """Reload the rows from the database (on open, after any change I make)."""
        await self.reload_rows()

    async def reload_rows(self) -> None:
        if not self.user_id:
            return
        try:
            summaries = await asyncio.to_thread(chat_list.list_chats, user_id=self.user_id)
        except ServiceError as error:
            self.error = str(error)
            return
        self._summaries = {s.chat_id: s for s in summaries}
        for summary in summaries:
            if summary.former:
                self._forget_typing(summary.chat_id)
        self._show()
        # Assigned only when they change: an assignment is sent, and a re-read that
        # found the rows as shown (a reconnect, another tab's refresh) sends nothing.
        if not self.loaded:
            self.loaded = True
        if self.error:
            self.error = ""

    def _show(self) -> None:
        now = datetime.now(UTC)
        ordered = sorted(self._summaries.values(), key=lambda summary: summary.order)
        rows = [to_row(s, now, self.timezone, self.user_id, self.hour12) for s in ordered]
        if rows != self.rows:  # as shown already: nothing to send, nothing to render
            self.rows = rows

    # --- live changes (see chat_app/state/live.py) ---------------------------------------

    async def refresh_row(self, chat_id: int) -> None:
        """Re-read one row (a new message, a receipt, a rename); a chat I left drops out."""
        try:
            summary = await asyncio.to_thread(
                chat_list.chat_summary, user_id=self.user_id, chat_id=chat_id
            )
        except NotFound:
            summary = None
        summaries = dict(self._summaries)
        if summary is None:
            summaries.pop(chat_id, None)
        else:
            summaries[chat_id] = summary
        self._summaries = summaries
        if summary is None or summary.former:
            self._forget_typing(chat_id)  # nobody types to me there any more
        self._show()

    def summary(self, chat_id: int) -> ChatSummary | None:
        """The row as last read, None when the chat is not (or no longer) in the list."""
        return self._summaries.get(chat_id)

    def is_group(self, chat_id: int) -> bool | None:
        """None when the chat is not in the list (a direct chat with no messages yet)."""
        summary = self._summaries.get(chat_id)
        return None if summary is None else summary.is_group

    async def show_typing(self, chat_id: int, user_id: int, *, is_group: bool) -> None:
        if user_id == self.user_id:
            return
        label = TYPING_DIRECT
        if is_group:
            try:
                name = await asyncio.to_thread(
                    people.member_name, viewer_id=self.user_id, chat_id=chat_id, user_id=user_id
                )
            except NotFound:
                return
            label = f"{name.split()[0] if name.split() else name} is typing…"
        self.typing = {**self.typing, str(chat_id): label}
        self._typers = {**self._typers, chat_id: user_id}

    def stop_typing(self, chat_id: int, user_id: int) -> None:
        """The typist went quiet (about 5 s) or their message arrived."""
        if self._typers.get(chat_id) != user_id:
            return
        self._forget_typing(chat_id)

    def _forget_typing(self, chat_id: int) -> None:
        if chat_id not in self._typers and str(chat_id) not in self.typing:
            return
        self.typing = {k: v for k, v in self.typing.items() if k != str(chat_id)}
        self._typers = {k: v for k, v in self._typers.items() if k != chat_id}

    @rx.event
    async def set_query(self, value: str):
        """The chats filter at once; then the people whose name or username starts
        with it (the same search as "New chat")."""
        self.query = value
        if not value.strip():
            self.people = []
            return
        yield
        try:
            found = await asyncio.to_thread(
                people.search_people, user_id=self.user_id, query=value[:100]
            )
        except ServiceError:
            found = []  # a search no one can match (too long); the chats still filter
        self.people = [to_person_row(person, self.user_id) for person in found]

    @rx.event
    async def open_person(self, person_id: int):
        """A person from the search: their direct chat, created on first use."""
        try:
            chat_id = await asyncio.to_thread(
                direct_chats.open_direct_chat, user_id=self.user_id, other_user_id=person_id
            )
        except ServiceError as error:
            self.error = str(error)
            return None
        self.query, self.people = "", []
        return rx.redirect(chat_route(chat_id))

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
        await self.reload_rows()
