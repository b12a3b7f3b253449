"""Sign-in sessions: the "Linked devices" list, and ending one or all the others.

A session is a ``sessions`` row; the token a browser holds names it, and
``auth.session_user`` refuses the token once the row is revoked or expired.
Everything here acts only on the asking person's own rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from chat_app.database import unit_of_work
from chat_app.models import SignInSession
from chat_app.models.sign_in_session import DEVICE_MAX
from chat_app.repositories import sessions as sessions_repo
from chat_app.services.errors import NotFound
from chat_app.settings import get_settings

UNKNOWN_DEVICE = "Unknown device"
# Activity is written at most this often per session, so a busy tab costs no write per event.
ACTIVITY_INTERVAL = timedelta(seconds=60)
SESSION_GONE = "That session has already ended."

# First match wins within each kind: Edge and Opera say "Chrome" too, Chrome says
# "Safari", Android says "Linux".
_PATTERNS = tuple(
    (kind, name, re.compile(pattern))
    for kind, name, pattern in (
        ("browser", "Edge", r"\bEdg(e|A|iOS)?/"),
        ("browser", "Opera", r"\b(OPR|Opera)/"),
        ("browser", "Samsung Internet", r"\bSamsungBrowser/"),
        ("browser", "Firefox", r"\b(Firefox|FxiOS)/"),
        ("browser", "Chrome", r"\b(Chrome|Chromium|CriOS)/"),
        ("browser", "Safari", r"\bVersion/[\d.]+.*\bSafari/"),
        ("system", "Android", r"\bAndroid\b"),
        ("system", "iPhone", r"\biPhone\b"),
        ("system", "iPad", r"\biPad\b"),
        ("system", "ChromeOS", r"\bCrOS\b"),
        ("system", "Windows", r"\bWindows\b"),
        ("system", "Mac", r"\bMac OS X\b|\bMacintosh\b"),
        ("system", "Linux", r"\bLinux\b"),
    )
)


@dataclass(frozen=True)
class SessionView:
    """One row of "Linked devices"."""

    id: int
    device: str
    created_at: datetime
    last_active_at: datetime
    is_current: bool


def describe_device(user_agent: str) -> str:
    """What a person recognises a device by, e.g. "Chrome on Android"; never the raw header."""
    user_agent = (user_agent or "")[:512]
    found: dict[str, str] = {}
    for kind, name, pattern in _PATTERNS:
        if kind not in found and pattern.search(user_agent):
            found[kind] = name
    browser, system = found.get("browser", ""), found.get("system", "")
    both = f"{browser} on {system}" if browser and system else ""
    return (both or browser or system or UNKNOWN_DEVICE)[:DEVICE_MAX]


def start(session: Session, *, user_id: int, user_agent: str) -> SignInSession:
    """A new session row inside the caller's transaction (sign-up and sign-in)."""
    ttl = timedelta(seconds=get_settings().jwt_ttl_seconds)
    at = sessions_repo.now(session=session)
    return sessions_repo.create(
        session=session,
        user_id=user_id,
        device=describe_device(user_agent),
        expires_at=at + ttl,
    )


def still_valid(row: SignInSession, *, user_id: int, at: datetime) -> bool:
    return row.user_id == user_id and row.revoked_at is None and row.expires_at > at


def record_activity(session: Session, row: SignInSession, *, at: datetime) -> None:
    """Move "last active" forward, at most once per :data:`ACTIVITY_INTERVAL`."""
    assert row.id is not None
    if row.last_active_at is None or at - row.last_active_at >= ACTIVITY_INTERVAL:
        sessions_repo.touch(session=session, session_id=row.id, older_than=at - ACTIVITY_INTERVAL)


def list_sessions(*, user_id: int, current_session_id: int) -> list[SessionView]:
    """My active sessions, this one first, then the most recently active."""
    with unit_of_work() as session:
        at = sessions_repo.now(session=session)
        rows = sessions_repo.active_for_user(session=session, user_id=user_id, at=at)
    views = [
        SessionView(
            id=row.id,
            device=row.device or UNKNOWN_DEVICE,
            created_at=row.created_at,
            last_active_at=row.last_active_at,
            is_current=row.id == current_session_id,
        )
        for row in rows
        if row.id is not None and row.created_at and row.last_active_at
    ]
    return sorted(views, key=lambda view: not view.is_current)


def revoke(*, user_id: int, session_id: int) -> None:
    """End one of my sessions; anyone else's (or one already ended) is NotFound."""
    with unit_of_work() as session:
        revoked = sessions_repo.revoke(session=session, user_id=user_id, session_ids=[session_id])
    if not revoked:
        raise NotFound(SESSION_GONE)


def revoke_others(*, user_id: int, current_session_id: int) -> int:
    """End every session of mine except this one; how many were ended."""
    with unit_of_work() as session:
        revoked = sessions_repo.revoke(session=session, user_id=user_id, keep_id=current_session_id)
    return len(revoked)


def end(*, user_id: int, session_id: int) -> None:
    """Sign-out: end this session server-side. Already ended is fine (a second tab)."""
    with unit_of_work() as session:
        sessions_repo.revoke(session=session, user_id=user_id, session_ids=[session_id])
