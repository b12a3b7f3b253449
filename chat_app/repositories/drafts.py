"""Queries on ``drafts``: one person's unsent text in one chat."""

from __future__ import annotations

from sqlalchemy import delete, text
from sqlmodel import Session, select

from chat_app.models import Draft


def get(*, session: Session, chat_id: int, user_id: int) -> str | None:
    statement = select(Draft.body).where(Draft.chat_id == chat_id, Draft.user_id == user_id)
    return session.exec(statement).first()


def put(*, session: Session, chat_id: int, user_id: int, body: str) -> None:
    """Insert or replace the draft (two tabs saving at once: the last one wins)."""
    session.execute(
        text(
            "INSERT INTO drafts (chat_id, user_id, body) VALUES (:chat, :user, :body) "
            "ON CONFLICT (chat_id, user_id) DO UPDATE SET body = EXCLUDED.body, updated_at = now()"
        ),
        {"chat": chat_id, "user": user_id, "body": body},
    )


def remove(*, session: Session, chat_id: int, user_id: int) -> None:
    session.exec(delete(Draft).where(Draft.chat_id == chat_id, Draft.user_id == user_id))
