"""People who can sign in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, String, Text, func, text
from sqlmodel import Field, SQLModel

from chat_app.models._columns import bigint_pk, timestamp

USERNAME_MAX = 32
DISPLAY_NAME_MAX = 64
ABOUT_MAX = 140


class User(SQLModel, table=True):
    __tablename__ = "users"
    __table_args__ = (
        # Usernames are unique whatever their letter case.
        Index("ux_users_username_lower", text("lower(username)"), unique=True),
    )

    id: int | None = Field(default=None, sa_column=bigint_pk())
    username: str = Field(sa_column=Column(String(USERNAME_MAX), nullable=False))
    display_name: str = Field(sa_column=Column(String(DISPLAY_NAME_MAX), nullable=False))
    password_hash: str = Field(sa_column=Column(Text, nullable=False))
    about: str = Field(
        default="", sa_column=Column(String(ABOUT_MAX), nullable=False, server_default="")
    )
    avatar_path: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: datetime | None = Field(default=None, sa_column=timestamp())
    last_seen_at: datetime | None = Field(
        default=None, sa_column=timestamp(nullable=True, default_now=False)
    )


# Case-insensitive prefix search (LIKE 'ab%') needs text_pattern_ops under any collation.
Index(
    "ix_users_username_prefix",
    func.lower(User.__table__.c.username).label("username_lower"),
    postgresql_ops={"username_lower": "text_pattern_ops"},
)
Index(
    "ix_users_display_name_prefix",
    func.lower(User.__table__.c.display_name).label("display_name_lower"),
    postgresql_ops={"display_name_lower": "text_pattern_ops"},
)
