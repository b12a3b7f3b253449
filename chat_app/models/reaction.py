"""Emoji reactions: one per person per message (the primary key says so)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, String
from sqlmodel import Field, SQLModel

from chat_app.models._columns import foreign_key, timestamp


class Reaction(SQLModel, table=True):
    __tablename__ = "reactions"

    message_id: int = Field(sa_column=foreign_key("messages.id", primary_key=True))
    user_id: int = Field(sa_column=foreign_key("users.id", primary_key=True))
    emoji: str = Field(sa_column=Column(String(32), nullable=False))
    created_at: datetime | None = Field(default=None, sa_column=timestamp())
