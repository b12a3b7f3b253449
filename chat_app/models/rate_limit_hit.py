"""One counted attempt in a throttle bucket, kept in PostgreSQL so every backend
instance sees the same counts.

A bucket names what is limited and for whom, e.g. ``sign-in:address:203.0.113.7``;
the services decide the names, the limits and the windows.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, String
from sqlmodel import Field, SQLModel

from chat_app.models._columns import bigint_pk, timestamp

BUCKET_MAX = 200


class RateLimitHit(SQLModel, table=True):
    __tablename__ = "rate_limit_hits"
    __table_args__ = (
        # Counting a bucket's recent hits walks this backwards from now.
        Index("ix_rate_limit_hits_bucket_time", "bucket", "created_at"),
        # Pruning everything past the longest window.
        Index("ix_rate_limit_hits_time", "created_at"),
    )

    id: int | None = Field(default=None, sa_column=bigint_pk())
    bucket: str = Field(sa_column=Column(String(BUCKET_MAX), nullable=False))
    created_at: datetime | None = Field(default=None, sa_column=timestamp())
