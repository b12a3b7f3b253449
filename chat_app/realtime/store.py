"""Blocking reads for the event loop to run in a worker thread (``asyncio.to_thread``).

Each call is its own short session on the shared engine, so no connection is
held while the loop waits for sockets.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from chat_app.database import get_engine, unit_of_work
from chat_app.repositories import events as events_repo
from chat_app.repositories import realtime_events


@dataclass(frozen=True)
class StoredEvent:
    id: int
    chat_id: int | None
    kind: str
    payload: dict[str, Any]
    recipient_ids: tuple[int, ...] | None


def _stored(rows: list[Any]) -> list[StoredEvent]:
    return [
        StoredEvent(
            id=int(row.id),
            chat_id=row.chat_id,
            kind=row.kind,
            payload=dict(row.payload),
            recipient_ids=None if row.recipient_ids is None else tuple(row.recipient_ids),
        )
        for row in rows
    ]


def healthy() -> bool:
    with Session(get_engine()) as session:
        return realtime_events.ping(session=session)


def latest_id() -> int:
    with Session(get_engine()) as session:
        return realtime_events.latest_id(session=session)


def retained_floor() -> int:
    with Session(get_engine()) as session:
        return realtime_events.retained_floor(session=session)


def events_after(after_id: int, limit: int) -> list[StoredEvent]:
    with Session(get_engine()) as session:
        return _stored(realtime_events.after(session=session, after_id=after_id, limit=limit))


def events_for(user_id: int, after_id: int, upto_id: int, limit: int) -> list[StoredEvent]:
    with Session(get_engine()) as session:
        rows = realtime_events.concerning(
            session=session, user_id=user_id, after_id=after_id, upto_id=upto_id, limit=limit
        )
        return _stored(rows)


def members_of(chat_ids: list[int]) -> dict[int, set[int]]:
    with Session(get_engine()) as session:
        pairs = realtime_events.members_of(session=session, chat_ids=chat_ids)
    members: dict[int, set[int]] = defaultdict(set)
    for chat_id, user_id in pairs:
        members[chat_id].add(user_id)
    return members


def is_member(chat_id: int, user_id: int) -> bool:
    with Session(get_engine()) as session:
        return realtime_events.is_member(session=session, chat_id=chat_id, user_id=user_id)


def signal(payload: str) -> None:
    """Send an ephemeral signal to every realtime process (a NOTIFY with a payload)."""
    with get_engine().connect() as connection:
        realtime_events.notify(connection, payload)
        connection.commit()


def prune(retention_s: int) -> int:
    """The service's one write: dropping events older than the retention."""
    with unit_of_work() as session:
        return events_repo.delete_older_than(session=session, seconds=retention_s)
