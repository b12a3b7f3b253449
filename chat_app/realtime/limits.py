"""The realtime service's limits and timings, in one place so tests can tighten them."""

from __future__ import annotations

import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    max_frame_bytes: int = 8192
    # A socket that has not authenticated by then is closed (idle sockets cost memory).
    auth_timeout_s: float = 5.0
    # Frames a client may send at once, and how fast that allowance refills.
    burst_frames: int = 20
    frames_per_s: float = 10.0
    # Refused frames (not JSON, unknown type, wrong fields) tolerated before closing.
    max_bad_frames: int = 5
    # Frames waiting for a slow client; past this it is closed and resumes later.
    max_queued_frames: int = 2000
    # How often the outbox is read even without a wake-up (a missed NOTIFY).
    poll_interval_s: float = 1.0
    batch_size: int = 500
    # How long a missing id (a transaction not yet committed) holds back later events
    # before it is taken for a rollback and skipped.
    gap_timeout_s: float = 3.0
    prune_interval_s: float = 60.0
    # Typing signals relayed per chat and connection.
    typing_interval_s: float = 1.0
    listener_retry_s: float = 1.0


class TokenBucket:
    """``burst`` frames at once, refilled at ``rate`` per second."""

    def __init__(self, burst: int, rate: float) -> None:
        self._burst = float(burst)
        self._rate = rate
        self._tokens = float(burst)
        self._at = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self._tokens = min(self._burst, self._tokens + (now - self._at) * self._rate)
        self._at = now
        if self._tokens < 1:
            return False
        self._tokens -= 1
        return True
