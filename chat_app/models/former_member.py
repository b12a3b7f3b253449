"""Former members: people removed from a group, or who left it, and still keep it.

As in WhatsApp, a group someone leaves (or is removed from) stays in their
list, read-only, with its history up to that moment, until they delete it.
The membership row itself is deleted, so every rule and query that asks "who
is in this chat" (sending, receipts, the realtime fan-out, presence) stays as
it was; this row only lets its person read what came before ``until_message_id``
(the "X removed you" / "You left" line, included).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, Index
from sqlmodel import Field, SQLModel

from chat_app.models._columns import flag, foreign_key, timestamp


class FormerMember(SQLModel, table=True):
    __tablename__ = "former_members"
    __table_args__ = (Index("ix_former_members_user", "user_id", "chat_id"),)

    chat_id: int = Field(sa_column=foreign_key("chats.id", primary_key=True))
    user_id: int = Field(sa_column=foreign_key("users.id", primary_key=True))
    # The last message they may read: the system line that recorded their going.
    until_message_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    left_at: datetime | None = Field(default=None, sa_column=timestamp())
    # Their own flags on the chat, kept from the membership.
    muted: bool = Field(default=False, sa_column=flag())
    archived: bool = Field(default=False, sa_column=flag())
    pinned_at: datetime | None = Field(
        default=None, sa_column=timestamp(nullable=True, default_now=False)
    )
