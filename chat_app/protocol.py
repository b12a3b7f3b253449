"""The realtime vocabulary: every event name the services publish and clients receive.

Names use one tense (``message.created``, never ``update_message``) and are
never reused once retired. The typed payloads and the client/server frames
join this module with the realtime service.
"""

from __future__ import annotations

from enum import StrEnum

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
