"""Appending realtime events, always inside the caller's transaction."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from chat_app.protocol import EventKind
from chat_app.repositories import events as events_repo


def publish(
    session: Session,
    kind: EventKind,
    *,
    chat_id: int | None,
    recipient_ids: list[int] | None = None,
    **payload: Any,
) -> None:
    events_repo.create(
        session=session,
        kind=kind.value,
        chat_id=chat_id,
        payload={"chat_id": chat_id, **payload},
        recipient_ids=recipient_ids,
    )
