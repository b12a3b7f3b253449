"""What services hand to controllers: plain, immutable snapshots (no ORM objects escape)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from chat_app.models import ChatKind, MemberRole, MessageKind


@dataclass(frozen=True)
class PersonView:
    id: int
    username: str
    display_name: str
    about: str = ""
    avatar_path: str | None = None


@dataclass(frozen=True)
class ChatSummary:
    """One row of the chat list."""

    chat_id: int
    kind: str
    name: str
    avatar_path: str | None
    peer_id: int | None
    last_activity_at: datetime
    last_message_id: int | None
    last_preview: str
    last_sender_name: str
    last_is_mine: bool
    last_status: str  # "sent" | "delivered" | "read" | "" (not mine / none)
    unread: int
    muted: bool
    archived: bool
    pinned_at: datetime | None
    draft: str = ""  # my unsent text there, one line ("" when none)
    # A group I left or was removed from, kept read-only until I delete it.
    former: bool = False

    @property
    def is_group(self) -> bool:
        return self.kind == ChatKind.GROUP

    @property
    def pinned(self) -> bool:
        return self.pinned_at is not None

    @property
    def order(self) -> tuple[bool, float, float, int]:
        """Where the row sits in the list, as the list query orders it: pinned first
        (latest pin on top), then the newest activity."""
        pinned = -self.pinned_at.timestamp() if self.pinned_at else 0.0
        return (self.pinned_at is None, pinned, -self.last_activity_at.timestamp(), -self.chat_id)


@dataclass(frozen=True)
class ReplyPreview:
    message_id: int
    sender_name: str
    snippet: str


@dataclass(frozen=True)
class AttachmentView:
    id: int
    name: str
    mime_type: str
    size_bytes: int
    is_image: bool
    width: int | None
    height: int | None
    # A signed link for the person this view was made for; it expires
    # (FILE_URL_TTL_SECONDS), so reload the view rather than keep it for hours.
    url: str = ""


@dataclass(frozen=True)
class ReactionView:
    emoji: str
    count: int
    mine: bool


@dataclass(frozen=True)
class MessageView:
    id: int
    chat_id: int
    sender_id: int | None
    sender_name: str
    kind: str
    body: str
    created_at: datetime
    edited: bool
    deleted: bool
    is_mine: bool
    status: str  # ticks for my messages: "sent" | "delivered" | "read"
    can_edit: bool
    reply: ReplyPreview | None = None
    attachments: list[AttachmentView] = field(default_factory=list)
    reactions: list[ReactionView] = field(default_factory=list)

    @property
    def is_system(self) -> bool:
        """A line such as "Alice added Bob", not something a person wrote."""
        return self.kind == MessageKind.SYSTEM


@dataclass(frozen=True)
class MemberView:
    user_id: int
    display_name: str
    username: str
    avatar_path: str | None
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == MemberRole.ADMIN


@dataclass(frozen=True)
class ChatDetails:
    """The open chat's header and settings."""

    chat_id: int
    kind: str
    name: str
    avatar_path: str | None
    my_role: str
    members: list[MemberView]
    peer: PersonView | None
    muted: bool
    archived: bool
    pinned: bool
    # No longer a participant (left or removed): read-only, no members shown.
    former: bool = False

    @property
    def is_group(self) -> bool:
        return self.kind == ChatKind.GROUP

    @property
    def am_admin(self) -> bool:
        return self.my_role == MemberRole.ADMIN


@dataclass(frozen=True)
class HistoryPage:
    messages: list[MessageView]
    has_older: bool
    first_unread_id: int | None  # where the "N unread messages" divider goes
    unread_count: int


@dataclass(frozen=True)
class Receipt:
    user_id: int
    display_name: str
    delivered: bool
    read: bool


@dataclass(frozen=True)
class MessageInfo:
    message_id: int
    read_by: list[Receipt]
    delivered_to: list[Receipt]
    pending: list[Receipt]
