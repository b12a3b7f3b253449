"""Queries on ``sessions``: one row per sign-in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, any_, func, literal, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Session, select

from chat_app.models import SignInSession, User


def create(*, session: Session, user_id: int, device: str, expires_at: datetime) -> SignInSession:
    """Insert and flush, so the caller sees the id the token will carry."""
    row = SignInSession(user_id=user_id, device=device, expires_at=expires_at)
    session.add(row)
    session.flush()
    session.refresh(row)
    return row


def get(*, session: Session, session_id: int) -> SignInSession | None:
    return session.get(SignInSession, session_id)


def get_with_user(
    *, session: Session, session_id: int
) -> tuple[SignInSession, User] | tuple[None, None]:
    """The row and its person in one primary-key lookup (the check run on every event)."""
    statement = (
        select(SignInSession, User)
        .join(User, User.id == SignInSession.user_id)
        .where(SignInSession.id == session_id)
    )
    found = session.exec(statement).first()
    return (found[0], found[1]) if found else (None, None)


def now(*, session: Session) -> datetime:
    return session.exec(select(func.now())).one()


def active_for_user(*, session: Session, user_id: int, at: datetime) -> list[SignInSession]:
    """Unrevoked, unexpired sessions of one person, most recently active first."""
    statement = (
        select(SignInSession)
        .where(
            SignInSession.user_id == user_id,
            SignInSession.revoked_at.is_(None),  # type: ignore[union-attr]
            SignInSession.expires_at > at,
        )
        .order_by(SignInSession.last_active_at.desc(), SignInSession.id.desc())  # type: ignore[union-attr]
    )
    return list(session.exec(statement).all())


def touch(*, session: Session, session_id: int, older_than: datetime) -> None:
    """Record activity, unless it was recorded after ``older_than`` (keeps writes rare)."""
    session.exec(
        update(SignInSession)
        .where(SignInSession.id == session_id, SignInSession.last_active_at < older_than)
        .values(last_active_at=func.now())
    )


def revoke(
    *,
    session: Session,
    user_id: int,
    session_ids: list[int] | None = None,
    keep_id: int | None = None,
) -> list[int]:
    """Revoke the person's unrevoked sessions (only ``session_ids`` when given, never
    ``keep_id``); the ids actually revoked."""
    statement = (
        update(SignInSession)
        .where(SignInSession.user_id == user_id, SignInSession.revoked_at.is_(None))  # type: ignore[union-attr]
        .values(revoked_at=func.now())
        .returning(SignInSession.id)
    )
    if session_ids is not None:
        statement = statement.where(SignInSession.id.in_(session_ids))  # type: ignore[union-attr]
    if keep_id is not None:
        statement = statement.where(SignInSession.id != keep_id)
    return [row[0] for row in session.execute(statement).all()]


def is_active(*, session: Session, session_id: int, user_id: int) -> bool:
    """Whether the session is this person's, unrevoked and unexpired (the person exists:
    deleting one deletes their sessions)."""
    statement = select(SignInSession.id).where(
        SignInSession.id == session_id,
        SignInSession.user_id == user_id,
        SignInSession.revoked_at.is_(None),  # type: ignore[union-attr]
        SignInSession.expires_at > func.now(),
    )
    return session.exec(statement).first() is not None


def refused_among(*, session: Session, session_ids: list[int]) -> list[int]:
    """Which of these sessions no longer count: revoked, expired, or gone with their person."""
    if not session_ids:
        return []
    # One array parameter rather than an IN list: thousands of open sockets stay one
    # small statement.
    wanted = literal(session_ids, ARRAY(BigInteger))
    alive = select(SignInSession.id).where(
        SignInSession.id == any_(wanted),
        SignInSession.revoked_at.is_(None),  # type: ignore[union-attr]
        SignInSession.expires_at > func.now(),
    )
    still = set(session.exec(alive).all())
    return [sid for sid in session_ids if sid not in still]
