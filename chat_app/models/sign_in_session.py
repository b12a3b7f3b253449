"""Sign-ins as rows, so a session can be listed and ended from anywhere.

Every token carries the id of the row it was issued for; a token whose row is
revoked (signed out, logged out from another device) or gone is refused by
every backend, the realtime service and the file routes alike.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, String
from sqlmodel import Field, SQLModel

from chat_app.models._columns import bigint_pk, foreign_key, timestamp

DEVICE_MAX = 120


class SignInSession(SQLModel, table=True):
    __tablename__ = "sessions"
    # "My linked devices" and "log out everywhere else" look sessions up by person.
    __table_args__ = (Index("ix_sessions_user_id", "user_id"),)

    id: int | None = Field(default=None, sa_column=bigint_pk())
    user_id: int = Field(sa_column=foreign_key("users.id"))
    # What the person recognises the device by ("Chrome on Android"), from its user agent.
    device: str = Field(
        default="", sa_column=Column(String(DEVICE_MAX), nullable=False, server_default="")
    )
    created_at: datetime | None = Field(default=None, sa_column=timestamp())
    last_active_at: datetime | None = Field(default=None, sa_column=timestamp())
    expires_at: datetime = Field(sa_column=timestamp(default_now=False))
    revoked_at: datetime | None = Field(
        default=None, sa_column=timestamp(nullable=True, default_now=False)
    )
