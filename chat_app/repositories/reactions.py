"""Queries on ``reactions`` (one per person per message)."""

from __future__ import annotations

from typing import Any

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


def counts_for(*, session: Session, message_ids: list[int], viewer_id: int) -> list[dict[str, Any]]:
    """Per message and emoji: how many, and whether the viewer is one of them."""
    if not message_ids:
        return []
    rows = session.execute(
        text(
            "SELECT message_id, emoji, count(*) AS count, bool_or(user_id = :viewer) AS mine, "
            "min(created_at) AS first_at FROM reactions WHERE message_id = ANY(:ids) "
            "GROUP BY message_id, emoji ORDER BY message_id, first_at"
        ),
        {"ids": message_ids, "viewer": viewer_id},
    ).mappings()
    return [dict(row) for row in rows]
