"""Queries on ``users``."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from chat_app.models import User


def get(*, session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def get_by_username(*, session: Session, username: str) -> User | None:
    """Look up by username in any letter case (served by the lower(username) index)."""
    statement = select(User).where(func.lower(User.username) == username.lower())
    return session.exec(statement).first()


def create(*, session: Session, username: str, display_name: str, password_hash: str) -> User:
    """Insert and flush, so the caller sees the id; the unique index may raise IntegrityError."""
    user = User(username=username, display_name=display_name, password_hash=password_hash)
    session.add(user)
    session.flush()
    session.refresh(user)
    return user


def update_password_hash(*, session: Session, user: User, password_hash: str) -> None:
    user.password_hash = password_hash
    session.add(user)
    session.flush()
