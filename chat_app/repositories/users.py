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


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_prefix(*, session: Session, query: str, limit: int, exclude_id: int) -> list[User]:
    """Usernames or display names starting with ``query`` in any letter case."""
    pattern = escape_like(query.lower()) + "%"
    statement = (
        select(User)
        .where(
            User.id != exclude_id,
            (func.lower(User.username).like(pattern, escape="\\"))
            | (func.lower(User.display_name).like(pattern, escape="\\")),
        )
        .order_by(func.lower(User.display_name), User.id)
        .limit(limit)
    )
    return list(session.exec(statement))


def get_many(*, session: Session, user_ids: list[int]) -> list[User]:
    if not user_ids:
        return []
    return list(session.exec(select(User).where(User.id.in_(user_ids)).order_by(User.id)))


def update_profile(*, session: Session, user: User, display_name: str, about: str) -> None:
    user.display_name = display_name
    user.about = about
    session.add(user)
    session.flush()


def set_avatar(*, session: Session, user: User, avatar_path: str | None) -> None:
    user.avatar_path = avatar_path
    session.add(user)
    session.flush()
