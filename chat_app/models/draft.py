"""Drafts: what a person has typed in a chat's composer and not sent, one per chat.

Kept in PostgreSQL rather than in the browser so a draft follows the person to
their other tabs and devices and survives a reload. A draft hangs off the
membership: leaving or being removed from a chat takes it away.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, ForeignKeyConstraint, Text
from sqlmodel import Field, SQLModel

from chat_app.models._columns import timestamp


class Draft(SQLModel, table=True):
    __tablename__ = "drafts"
    __table_args__ = (
        ForeignKeyConstraint(
            ["chat_id", "user_id"],
            ["chat_members.chat_id", "chat_members.user_id"],
            ondelete="CASCADE",
            name="fk_drafts_member",
        ),
    )

    chat_id: int = Field(sa_column=Column(BigInteger, primary_key=True))
    user_id: int = Field(sa_column=Column(BigInteger, primary_key=True))
    body: str = Field(sa_column=Column(Text, nullable=False))
    updated_at: datetime | None = Field(default=None, sa_column=timestamp())
