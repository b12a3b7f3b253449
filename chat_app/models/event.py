"""The outbox the realtime service reads.

A service appends a row in the same transaction as the change it describes,
so an event exists exactly when its change committed; ids give clients a
cursor to resume from.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Column, Index, String
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Field, SQLModel

from chat_app.models._columns import bigint_pk, foreign_key, timestamp


class Event(SQLModel, table=True):
    __tablename__ = "events"
    __table_args__ = (Index("ix_events_created_at", "created_at"),)

    id: int | None = Field(default=None, sa_column=bigint_pk())
    # Null for events that concern people rather than one chat (presence).
    chat_id: int | None = Field(default=None, sa_column=foreign_key("chats.id", nullable=True))
    kind: str = Field(sa_column=Column(String(64), nullable=False))
    payload: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSONB, nullable=False, server_default="{}")
    )
    # Explicit recipients when they differ from the chat's members (a removed
    # member still hears of the removal); null means "the chat's members".
    recipient_ids: list[int] | None = Field(
        default=None, sa_column=Column(ARRAY(BigInteger), nullable=True)
    )
    created_at: datetime | None = Field(default=None, sa_column=timestamp())
