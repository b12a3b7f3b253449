"""Who is connected where: realtime instances and the people with a socket on each.

A person is online while a session row of theirs sits on an instance whose
heartbeat is recent. Rows hang off their instance (``ON DELETE CASCADE``), so
removing a dead instance's row takes its sessions with it in one statement.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, Text
from sqlmodel import Field, SQLModel

from chat_app.models._columns import foreign_key, timestamp


class RealtimeInstance(SQLModel, table=True):
    __tablename__ = "realtime_instances"

    # Made at random by each process when it starts, never reused.
    id: str = Field(sa_column=Column(Text, primary_key=True))
    started_at: datetime | None = Field(default=None, sa_column=timestamp())
    heartbeat_at: datetime | None = Field(default=None, sa_column=timestamp())


class PresenceSession(SQLModel, table=True):
    """One row per person per instance, however many sockets they have open there."""

    __tablename__ = "presence_sessions"
    # "Is this person online anywhere" looks rows up by person.
    __table_args__ = (Index("ix_presence_sessions_user", "user_id"),)

    instance_id: str = Field(
        sa_column=Column(
            Text, ForeignKey("realtime_instances.id", ondelete="CASCADE"), primary_key=True
        )
    )
    user_id: int = Field(sa_column=foreign_key("users.id", primary_key=True))
