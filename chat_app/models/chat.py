"""Conversations and who is in them.

Unread counts and ticks are derived from the two cursors on each membership
(``last_read_message_id``, ``last_delivered_message_id``) rather than stored
per message, so marking a chat read is one row update however long it is.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, Column, Index, String, Text
from sqlmodel import Field, SQLModel

from chat_app.models._columns import bigint_pk, flag, foreign_key, timestamp

TITLE_MAX = 100


class ChatKind(StrEnum):
    DIRECT = "direct"
    GROUP = "group"


class MemberRole(StrEnum):
    MEMBER = "member"
    ADMIN = "admin"


class Chat(SQLModel, table=True):
    __tablename__ = "chats"
    __table_args__ = (
        CheckConstraint("kind IN ('direct', 'group')", name="ck_chats_kind"),
        # A direct chat carries "<low user id>:<high user id>"; unique, so a
        # pair of people never gets two direct chats, even under a race.
        CheckConstraint("(kind = 'direct') = (direct_key IS NOT NULL)", name="ck_chats_direct_key"),
    )

    id: int | None = Field(default=None, sa_column=bigint_pk())
    kind: str = Field(sa_column=Column(String(16), nullable=False))
    title: str | None = Field(default=None, sa_column=Column(String(TITLE_MAX), nullable=True))
    avatar_path: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    direct_key: str | None = Field(
        default=None, sa_column=Column(String(64), nullable=True, unique=True)
    )
    created_by: int | None = Field(
        default=None, sa_column=foreign_key("users.id", nullable=True, ondelete="SET NULL")
    )
    created_at: datetime | None = Field(default=None, sa_column=timestamp())
    last_activity_at: datetime | None = Field(default=None, sa_column=timestamp())
    # Highest per-chat sequence number handed out; a send bumps it in the same
    # transaction, which orders messages within a chat without gaps.
    last_seq: int = Field(
        default=0, sa_column=Column(BigInteger, nullable=False, server_default="0")
    )
    last_message_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))


class ChatMember(SQLModel, table=True):
    __tablename__ = "chat_members"
    __table_args__ = (
        CheckConstraint("role IN ('member', 'admin')", name="ck_chat_members_role"),
        Index("ix_chat_members_user", "user_id", "chat_id"),
    )

    chat_id: int = Field(sa_column=foreign_key("chats.id", primary_key=True))
    user_id: int = Field(sa_column=foreign_key("users.id", primary_key=True))
    role: str = Field(
        default=MemberRole.MEMBER,
        sa_column=Column(String(16), nullable=False, server_default=MemberRole.MEMBER.value),
    )
    joined_at: datetime | None = Field(default=None, sa_column=timestamp())
    last_read_message_id: int = Field(
        default=0, sa_column=Column(BigInteger, nullable=False, server_default="0")
    )
    last_delivered_message_id: int = Field(
        default=0, sa_column=Column(BigInteger, nullable=False, server_default="0")
    )
    muted: bool = Field(default=False, sa_column=flag())
    archived: bool = Field(default=False, sa_column=flag())
    pinned_at: datetime | None = Field(
        default=None, sa_column=timestamp(nullable=True, default_now=False)
    )
