"""Messages: the history of a chat, ordered by id (and by ``seq`` within it)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, Column, Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from chat_app.models._columns import bigint_pk, foreign_key, timestamp

BODY_MAX = 4096
CLIENT_MSG_ID_MAX = 64


class MessageKind(StrEnum):
    TEXT = "text"
    IMAGE = "image"
    FILE = "file"
    SYSTEM = "system"


class Message(SQLModel, table=True):
    __tablename__ = "messages"
    # INSERT ... RETURNING fills id and created_at, so a send needs no re-read.
    __mapper_args__ = {"eager_defaults": True}
    __table_args__ = (
        CheckConstraint("kind IN ('text', 'image', 'file', 'system')", name="ck_messages_kind"),
        UniqueConstraint("chat_id", "seq", name="uq_messages_chat_seq"),
        # A retried send carries the same client id and finds the first row.
        UniqueConstraint("sender_id", "client_msg_id", name="uq_messages_sender_client_msg"),
        # History pages and unread counts walk (chat_id, id) backwards/forwards.
        Index("ix_messages_chat_id_id", "chat_id", "id"),
        # Send limits count a person's messages of the last minute.
        Index("ix_messages_sender_id_created_at", "sender_id", "created_at"),
    )

    id: int | None = Field(default=None, sa_column=bigint_pk())
    chat_id: int = Field(sa_column=foreign_key("chats.id"))
    seq: int = Field(sa_column=Column(BigInteger, nullable=False))
    sender_id: int | None = Field(
        default=None, sa_column=foreign_key("users.id", nullable=True, ondelete="SET NULL")
    )
    kind: str = Field(sa_column=Column(String(16), nullable=False))
    body: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    reply_to_id: int | None = Field(
        default=None, sa_column=foreign_key("messages.id", nullable=True, ondelete="SET NULL")
    )
    client_msg_id: str | None = Field(
        default=None, sa_column=Column(String(CLIENT_MSG_ID_MAX), nullable=True)
    )
    created_at: datetime | None = Field(default=None, sa_column=timestamp())
    edited_at: datetime | None = Field(
        default=None, sa_column=timestamp(nullable=True, default_now=False)
    )
    deleted_at: datetime | None = Field(
        default=None, sa_column=timestamp(nullable=True, default_now=False)
    )
