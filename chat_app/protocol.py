"""The realtime vocabulary: every event, client frame and server frame, as typed models.

Services validate what they publish against these models, the realtime
service builds its frames from them, and browsers parse with the same shapes
(exported as JSON Schema to ``docs/realtime-protocol.json`` for non-Python
clients). Names use one tense (``message.created``, never ``update_message``)
and are never reused once retired; a breaking change bumps
:data:`PROTOCOL_VERSION`.

Run ``python -m chat_app.protocol > docs/realtime-protocol.json`` after a change.
"""

from __future__ import annotations

import json
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator

PROTOCOL_VERSION = 1


class EventKind(StrEnum):
    MESSAGE_CREATED = "message.created"
    MESSAGE_UPDATED = "message.updated"
    MESSAGE_DELETED = "message.deleted"
    REACTION_CHANGED = "reaction.changed"
    RECEIPT_UPDATED = "receipt.updated"
    CHAT_UPDATED = "chat.updated"
    MEMBER_ADDED = "member.added"
    MEMBER_REMOVED = "member.removed"
    TYPING = "typing"
    PRESENCE = "presence"
    PROFILE_UPDATED = "profile.updated"


class _Model(BaseModel):
    """Unknown fields are refused, so a misspelt field fails where it is written."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --- event payloads (the ``data`` of an event) -------------------------------------------


class MessageCreated(_Model):
    chat_id: int
    message_id: int
    seq: int
    sender_id: int


class MessageUpdated(_Model):
    chat_id: int
    message_id: int


class MessageDeleted(_Model):
    chat_id: int
    message_id: int


class ReactionChanged(_Model):
    chat_id: int
    message_id: int
    user_id: int
    emoji: str | None = Field(description="The person's reaction now; null when removed.")


class ReceiptUpdated(_Model):
    """A member's cursors moved; only the cursors that moved are present."""

    chat_id: int
    user_id: int
    read_to: int | None = None
    delivered_to: int | None = None


class ChatUpdated(_Model):
    """Something about the chat changed; each field is present only when it changed."""

    chat_id: int
    title: str | None = None
    avatar_changed: bool | None = None
    admin_id: int | None = Field(default=None, description="A member who became an admin.")


class MemberAdded(_Model):
    chat_id: int
    user_ids: list[int]


class MemberRemoved(_Model):
    chat_id: int
    user_id: int


class Typing(_Model):
    chat_id: int
    user_id: int


class Presence(_Model):
    user_id: int
    online: bool
    last_seen_at: datetime | None = None


class ProfileUpdated(_Model):
    """A person changed their name or picture; it goes to everyone who shares a chat
    with them (and to their own other tabs), who re-read what they show of them."""

    user_id: int


EventPayload = (
    MessageCreated
    | MessageUpdated
    | MessageDeleted
    | ReactionChanged
    | ReceiptUpdated
    | ChatUpdated
    | MemberAdded
    | MemberRemoved
    | Typing
    | Presence
    | ProfileUpdated
)

PAYLOADS: dict[EventKind, type[_Model]] = {
    EventKind.MESSAGE_CREATED: MessageCreated,
    EventKind.MESSAGE_UPDATED: MessageUpdated,
    EventKind.MESSAGE_DELETED: MessageDeleted,
    EventKind.REACTION_CHANGED: ReactionChanged,
    EventKind.RECEIPT_UPDATED: ReceiptUpdated,
    EventKind.CHAT_UPDATED: ChatUpdated,
    EventKind.MEMBER_ADDED: MemberAdded,
    EventKind.MEMBER_REMOVED: MemberRemoved,
    EventKind.TYPING: Typing,
    EventKind.PRESENCE: Presence,
    EventKind.PROFILE_UPDATED: ProfileUpdated,
}


def validate_payload(kind: EventKind, data: dict[str, Any]) -> EventPayload:
    """The payload as its kind's model; raises ``pydantic.ValidationError`` on a mismatch."""
    return PAYLOADS[kind].model_validate(data)  # type: ignore[return-value]


# --- server -> client --------------------------------------------------------------------


class Event(_Model):
    """One event. ``id`` orders events and is the client's resume cursor; ephemeral
    events (typing) are never stored, carry a null id and are not resumed."""

    type: Literal["event"] = "event"
    v: int = PROTOCOL_VERSION
    id: int | None
    kind: EventKind
    data: EventPayload

    @model_validator(mode="before")
    @classmethod
    def _data_matches_kind(cls, values: Any) -> Any:
        """Parse ``data`` by ``kind``: payloads with equal fields must not be confused."""
        if isinstance(values, dict) and isinstance(values.get("data"), dict):
            # A missing or unknown kind is refused as a ValidationError, as any bad
            # field is (a browser forwards these frames to LiveState.receive).
            kind = EventKind(str(values.get("kind")))
            return {**values, "data": validate_payload(kind, values["data"])}
        return values


class Ready(_Model):
    """Authenticated; live events follow. ``last_event_id`` is where they start."""

    type: Literal["ready"] = "ready"
    v: int = PROTOCOL_VERSION
    user_id: int
    last_event_id: int


class Resync(_Model):
    """The resume point left the retention window: reload the view from the server."""

    type: Literal["resync"] = "resync"
    reason: str
    last_event_id: int = Field(description="Resume from here once the view is reloaded.")


class Error(_Model):
    """A refused frame (the socket stays open) or, just before a close, why."""

    type: Literal["error"] = "error"
    code: str
    reason: str
    reconnect: bool


ServerFrame = Annotated[Event | Ready | Resync | Error, Field(discriminator="type")]


# --- client -> server --------------------------------------------------------------------


class Auth(_Model):
    """Must be the first frame: the access token (never in the URL, which is logged)."""

    type: Literal["auth"]
    token: str = Field(max_length=4096)


class Resume(_Model):
    """Send every event after ``last_event_id`` that concerns me, then live ones."""

    type: Literal["resume"]
    last_event_id: int = Field(ge=0)


class Ack(_Model):
    """I have applied every event up to ``last_event_id`` (ids sent on this connection).

    Flow control only: the service stops sending and closes (1013, reconnect
    and resume) when too many events go unacknowledged, so a client acks as it
    applies events (every few events or every second). Delivered and read
    receipts do not travel here.
    """

    type: Literal["ack"]
    last_event_id: int = Field(ge=0)


class TypingSignal(_Model):
    """I am typing in this chat (throttled by the client; relayed, never stored)."""

    type: Literal["typing"]
    chat_id: int


ClientFrame = Annotated[Auth | Resume | Ack | TypingSignal, Field(discriminator="type")]

CLIENT_FRAME = TypeAdapter(ClientFrame)
SERVER_FRAME = TypeAdapter(ServerFrame)


def json_schema() -> dict[str, Any]:
    """The whole vocabulary as one JSON Schema document (what non-Python clients build on)."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "chat-app realtime protocol",
        "version": PROTOCOL_VERSION,
        "event_kinds": {kind.value: PAYLOADS[kind].__name__ for kind in EventKind},
        "client_frame": CLIENT_FRAME.json_schema(),
        "server_frame": SERVER_FRAME.json_schema(),
    }


def json_schema_text() -> str:
    return json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    print(json_schema_text(), end="")
