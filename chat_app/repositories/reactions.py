"""Queries on ``reactions`` (one per person per message)."""

from __future__ import annotations

from sqlalchemy import delete, text
from sqlmodel import Session

from chat_app.models import Reaction


def get(*, session: Session, message_id: int, user_id: int) -> Reaction | None:
    return session.get(Reaction, (message_id, user_id))


def put(*, session: Session, message_id: int, user_id: int, emoji: str) -> None:
    session.execute(
        text(
            "INSERT INTO reactions (message_id, user_id, emoji) VALUES (:m, :u, :e) "
            "ON CONFLICT (message_id, user_id) DO UPDATE SET emoji = EXCLUDED.emoji, "
            "created_at = now()"
        ),
        {"m": message_id, "u": user_id, "e": emoji},
    )


def remove(*, session: Session, message_id: int, user_id: int) -> None:
    session.exec(
        delete(Reaction).where(Reaction.message_id == message_id, Reaction.user_id == user_id)
    )


def remove_all(*, session: Session, message_id: int) -> None:
    session.exec(delete(Reaction).where(Reaction.message_id == message_id))
