"""Counting failed sign-ins per username over a sliding window."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func
from sqlmodel import Session, select

from chat_app.models import SignInFailure


def create(*, session: Session, username_key: str) -> None:
    session.add(SignInFailure(username_key=username_key))
    session.flush()


def count_since(*, session: Session, username_key: str, since: datetime) -> int:
    statement = select(func.count()).where(
        SignInFailure.username_key == username_key, SignInFailure.created_at >= since
    )
    return session.exec(statement).one()


def oldest_since(*, session: Session, username_key: str, since: datetime) -> datetime | None:
    """When the oldest failure still inside the window happened (to say how long to wait)."""
    statement = select(func.min(SignInFailure.created_at)).where(
        SignInFailure.username_key == username_key, SignInFailure.created_at >= since
    )
    return session.exec(statement).one()


def delete_for(*, session: Session, username_key: str) -> None:
    """Forget failures after a successful sign-in."""
    session.exec(delete(SignInFailure).where(SignInFailure.username_key == username_key))


def delete_older_than(*, session: Session, cutoff: datetime) -> int:
    result = session.exec(delete(SignInFailure).where(SignInFailure.created_at < cutoff))
    return result.rowcount


def now(*, session: Session) -> datetime:
    """The database clock, so every backend instance measures windows alike."""
    return session.exec(select(func.now())).one()
