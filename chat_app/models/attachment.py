"""Files shared in a chat; bytes live in the upload folder under ``storage_name``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, Index, Integer, String, Text
from sqlmodel import Field, SQLModel

from chat_app.models._columns import bigint_pk, foreign_key, timestamp


class Attachment(SQLModel, table=True):
    __tablename__ = "attachments"
    __table_args__ = (Index("ix_attachments_message", "message_id"),)

    id: int | None = Field(default=None, sa_column=bigint_pk())
    chat_id: int = Field(sa_column=foreign_key("chats.id"))
    # Null between upload and send: the file is stored first, then attached.
    message_id: int | None = Field(
        default=None, sa_column=foreign_key("messages.id", nullable=True)
    )
    uploader_id: int | None = Field(
        default=None, sa_column=foreign_key("users.id", nullable=True, ondelete="SET NULL")
    )
    storage_name: str = Field(sa_column=Column(String(128), nullable=False, unique=True))
    original_name: str = Field(sa_column=Column(Text, nullable=False))
    mime_type: str = Field(sa_column=Column(String(128), nullable=False))
    size_bytes: int = Field(sa_column=Column(BigInteger, nullable=False))
    width: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    height: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    created_at: datetime | None = Field(default=None, sa_column=timestamp())
