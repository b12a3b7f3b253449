"""The outbox: services append here in the same transaction as the change."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from chat_app.models import Event


def create(
    *,
    session: Session,
    kind: str,
    chat_id: int | None,
    payload: dict[str, Any],
    recipient_ids: list[int] | None = None,
) -> Event:
    event = Event(chat_id=chat_id, kind=kind, payload=payload, recipient_ids=recipient_ids)
    session.add(event)
    session.flush()
    return event


def delete_older_than(*, session: Session, seconds: int) -> int:
    """Prune events created more than ``seconds`` ago (database clock); returns how many."""
    result = session.execute(
        text("DELETE FROM events WHERE created_at < now() - make_interval(secs => :seconds)"),
        {"seconds": seconds},
    )
    return int(result.rowcount or 0)
