"""Counting hits per throttle bucket over a sliding window, on the database clock."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func
from sqlmodel import Session, select

from chat_app.models import RateLimitHit


def add(*, session: Session, bucket: str) -> None:
    session.add(RateLimitHit(bucket=bucket))
    session.flush()


def nth_newest_since(*, session: Session, bucket: str, since: datetime, n: int) -> datetime | None:
    """When the ``n``-th most recent hit after ``since`` happened; None when there are
    fewer than ``n``. The bucket is full until that hit leaves the window."""
    statement = (
        select(RateLimitHit.created_at)
        .where(RateLimitHit.bucket == bucket, RateLimitHit.created_at > since)
        .order_by(RateLimitHit.created_at.desc())
        .offset(n - 1)
        .limit(1)
    )
    return session.exec(statement).first()


def delete_bucket(*, session: Session, bucket: str) -> None:
    session.exec(delete(RateLimitHit).where(RateLimitHit.bucket == bucket))


def delete_older_than(*, session: Session, cutoff: datetime) -> int:
    result = session.exec(delete(RateLimitHit).where(RateLimitHit.created_at < cutoff))
    return result.rowcount


def now(*, session: Session) -> datetime:
    """The database clock, so every backend instance measures windows alike."""
    return session.exec(select(func.now())).one()
