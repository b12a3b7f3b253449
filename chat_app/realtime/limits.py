"""The realtime service's limits and timings, in one place so tests can tighten them."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from chat_app.repositories.presence import PRESENCE_TTL_S
from chat_app.settings import get_settings


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
    # Open sockets per person and per client address on one instance; one more is
    # closed with TOO_MANY_SOCKETS (REALTIME_MAX_SOCKETS_PER_USER / _PER_ADDRESS).
    max_sockets_per_user: int = field(
        default_factory=lambda: get_settings().realtime_max_sockets_per_user
    )
    max_sockets_per_address: int = field(
        default_factory=lambda: get_settings().realtime_max_sockets_per_address
    )
    # Frames waiting for a slow client; past this it is closed and resumes later.
    max_queued_frames: int = 2000
    # Events sent but not yet acknowledged (``ack``); past this the client is closed and
    # resumes later, and a resume waits for acks rather than run past it.
    max_unacked_events: int = 1000
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
    # Presence: each instance beats this often and sweeps instances silent for the TTL.
    # The TTL must leave room for a few missed beats, or a busy instance gets swept.
    heartbeat_interval_s: float = 10.0
    presence_ttl_s: float = PRESENCE_TTL_S
    # How long after someone's last socket here closes they are taken offline: a reload
    # or a move to another instance reconnects within it, so others see no flicker.
    offline_grace_s: float = 3.0
    # Pause after a failed presence write (database out of reach) before trying again.
    presence_retry_s: float = 1.0
    presence_batch: int = 500
    # How often the open sockets' sessions are re-read; a session ended elsewhere
    # (sign-out, "Log out" in Linked devices) has its sockets closed within this.
    session_check_s: float = 2.0


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
