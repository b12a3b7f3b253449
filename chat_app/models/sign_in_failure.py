"""Failed sign-ins, kept in PostgreSQL so every backend instance sees the same count."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, String
from sqlmodel import Field, SQLModel

from chat_app.models._columns import bigint_pk, timestamp


class SignInFailure(SQLModel, table=True):
    __tablename__ = "sign_in_failures"
    __table_args__ = (Index("ix_sign_in_failures_key_time", "username_key", "created_at"),)

    id: int | None = Field(default=None, sa_column=bigint_pk())
    username_key: str = Field(sa_column=Column(String(64), nullable=False))
    created_at: datetime | None = Field(default=None, sa_column=timestamp())
