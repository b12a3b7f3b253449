"""Sliding-window limits over named buckets, inside the caller's transaction.

A bucket is full when it holds ``limit.max`` hits younger than
``limit.window_seconds``; it has room again once the oldest of those leaves the
window, which is how long the person is told to wait. Times are the database's,
so every backend instance agrees. An empty bucket name is no limit at all.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from chat_app.repositories import rate_limit_hits
from chat_app.services.errors import TooManyAttempts


@dataclass(frozen=True)
class Limit:
    max: int
    window_seconds: int

    def since(self, now: datetime) -> datetime:
        return now - timedelta(seconds=self.window_seconds)

    def wait(self, edge: datetime | None, now: datetime) -> int:
        """Whole seconds until the hit at ``edge`` leaves the window (0: there is room)."""
        if edge is None:
            return 0
        left = (edge + timedelta(seconds=self.window_seconds) - now).total_seconds()
        return max(1, math.ceil(left))


def wait_text(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    return f"{math.ceil(seconds / 60)} minutes"


def too_many(what: str, seconds: int) -> TooManyAttempts:
    return TooManyAttempts(f"{what} Try again in {wait_text(seconds)}.", seconds)


def wait_for(session: Session, bucket: str, limit: Limit, now: datetime) -> int:
    """Seconds until ``bucket`` has room (0 when it has room now)."""
    if not bucket:
        return 0
    edge = rate_limit_hits.nth_newest_since(
        session=session, bucket=bucket, since=limit.since(now), n=limit.max
    )
    return limit.wait(edge, now)


def hit(session: Session, buckets: list[str], *, now: datetime, keep_seconds: int) -> None:
    """Count one hit in each bucket, and forget hits older than any window needs."""
    rate_limit_hits.delete_older_than(session=session, cutoff=now - timedelta(seconds=keep_seconds))
    for bucket in filter(None, buckets):
        rate_limit_hits.add(session=session, bucket=bucket)
