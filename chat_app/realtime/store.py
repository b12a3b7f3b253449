"""Blocking database calls for the event loop to run in a worker thread (``asyncio.to_thread``).

Each call is its own short session on the shared engine, so no connection is
held while the loop waits for sockets; the exception is the fan-out's
:class:`OutboxReader`, which reads so often that it keeps one connection. The
service writes only what is its own: pruning old events and presence
(instances, sessions, last seen).
"""

from __future__ import annotations

import contextlib
import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection
from sqlmodel import Session

from chat_app.database import get_engine, unit_of_work
from chat_app.protocol import Presence
from chat_app.realtime import signals
from chat_app.repositories import events as events_repo
from chat_app.repositories import presence as presence_repo
from chat_app.repositories import realtime_events
from chat_app.repositories import sessions as sessions_repo


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


def events_for(user_id: int, after_id: int, upto_id: int, limit: int) -> list[StoredEvent]:
    with Session(get_engine()) as session:
        rows = realtime_events.concerning(
            session=session, user_id=user_id, after_id=after_id, upto_id=upto_id, limit=limit
        )
        return _stored(rows)


def members_of(chat_ids: list[int]) -> dict[int, set[int]]:
    with Session(get_engine()) as session:
        return _members(session, chat_ids)


def _members(session: Session, chat_ids: list[int]) -> dict[int, set[int]]:
    members: dict[int, set[int]] = defaultdict(set)
    for chat_id, user_id in realtime_events.members_of(session=session, chat_ids=chat_ids):
        members[chat_id].add(user_id)
    return members


class OutboxReader:
    """The fan-out's reads, on one connection it keeps for itself.

    The fan-out reads after every wake-up, hundreds of times a second under
    load. A pooled session per read paid a pool checkout with its pre-ping, a
    ``BEGIN`` and a ``ROLLBACK`` around each query, and a thread hop per
    query: most of the service's CPU. Here the rows and their chats' members
    come back from one call on a connection in autocommit mode, so each read
    is its two queries and nothing else. After a database error the connection
    is dropped and the next read opens a fresh one (the fan-out retries).
    Calls run in worker threads, one at a time (the lock also keeps
    :meth:`close` from pulling the connection from under a read).
    """

    def __init__(self) -> None:
        self._connection: Connection | None = None
        self._lock = threading.Lock()

    def read(self, after_id: int, limit: int) -> tuple[list[StoredEvent], dict[int, set[int]]]:
        """Up to ``limit`` events after ``after_id``, and the members of the chats of
        those addressed to a chat (as they are now)."""
        with self._lock:
            if self._connection is None:
                engine = get_engine()
                self._connection = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            try:
                with Session(bind=self._connection) as session:
                    rows = _stored(
                        realtime_events.after(session=session, after_id=after_id, limit=limit)
                    )
                    chats = sorted(
                        {r.chat_id for r in rows if r.chat_id and r.recipient_ids is None}
                    )
                    return rows, _members(session, chats) if chats else {}
            except Exception:
                self._drop()
                raise

    def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(Exception):
                connection.invalidate()
                connection.close()

    def close(self) -> None:
        """Give the connection back (the fan-out has stopped)."""
        with self._lock:
            connection, self._connection = self._connection, None
            if connection is not None:
                with contextlib.suppress(Exception):
                    connection.close()


def is_member(chat_id: int, user_id: int) -> bool:
    with Session(get_engine()) as session:
        return realtime_events.is_member(session=session, chat_id=chat_id, user_id=user_id)


def session_counts(session_id: int, user_id: int) -> bool:
    """Whether a token's session still counts (not revoked or expired, its person exists)."""
    with Session(get_engine()) as session:
        return sessions_repo.is_active(session=session, session_id=session_id, user_id=user_id)


def ended_sessions(session_ids: list[int]) -> list[int]:
    """Which of the open sockets' sessions have ended since they authenticated."""
    with Session(get_engine()) as session:
        return sessions_repo.refused_among(session=session, session_ids=session_ids)


def signal(payload: str) -> None:
    """Send an ephemeral signal to every realtime process (a NOTIFY with a payload)."""
    with get_engine().connect() as connection:
        realtime_events.notify(connection, payload)
        connection.commit()


def prune(retention_s: int) -> int:
    """The service's one write: dropping events older than the retention."""
    with unit_of_work() as session:
        return events_repo.delete_older_than(session=session, seconds=retention_s)


# --- presence ----------------------------------------------------------------------------
# Each write announces the transitions it caused inside its own transaction, so the
# signals reach every instance in commit order: an "online" never overtakes the
# "offline" that came before it.


def _announcing(write: Callable[[Session], list[Presence] | None]) -> bool:
    """Run one presence write and announce its transitions in the same transaction;
    False (nothing written) when ``write`` finds this instance's row gone."""
    with unit_of_work() as session:
        changes = write(session)
        if changes is None:
            return False
        for change in changes:
            realtime_events.notify(session.connection(), signals.encode(change))
    return True


def _came_online(user_ids: list[int] | None) -> list[Presence] | None:
    if user_ids is None:
        return None
    return [Presence(user_id=user_id, online=True) for user_id in user_ids]


def _went_offline(people: list[presence_repo.Offline] | None) -> list[Presence] | None:
    if people is None:
        return None
    return [Presence(user_id=user_id, online=False, last_seen_at=seen) for user_id, seen in people]


def register_instance(instance_id: str) -> None:
    with unit_of_work() as session:
        presence_repo.register_instance(session=session, instance_id=instance_id)


def heartbeat(instance_id: str) -> bool:
    """Beat; False when another instance swept this one (register again)."""
    with unit_of_work() as session:
        return presence_repo.heartbeat(session=session, instance_id=instance_id)


def add_sessions(instance_id: str, user_ids: list[int], ttl_s: float) -> bool:
    """Record first sockets here; False when this instance's row is gone."""
    return _announcing(
        lambda session: _came_online(
            presence_repo.add_sessions(
                session=session, instance_id=instance_id, user_ids=user_ids, ttl_s=ttl_s
            )
        )
    )


def remove_sessions(instance_id: str, user_ids: list[int], ttl_s: float) -> bool:
    """Record last sockets closed here; False when this instance's row is gone."""
    return _announcing(
        lambda session: _went_offline(
            presence_repo.remove_sessions(
                session=session, instance_id=instance_id, user_ids=user_ids, ttl_s=ttl_s
            )
        )
    )


def sweep(instance_id: str, ttl_s: float) -> int:
    """Retire every dead instance, one per transaction; returns how many people went offline."""
    gone: list[presence_repo.Offline] = []

    def sweep_one(session: Session) -> list[Presence] | None:
        left = presence_repo.sweep_one(session=session, instance_id=instance_id, ttl_s=ttl_s)
        gone.extend(left or [])
        return _went_offline(left)

    while _announcing(sweep_one):
        pass
    return len(gone)


def retire(instance_id: str, ttl_s: float) -> None:
    """A graceful shutdown: this instance's row and sessions go, its people are last seen now."""
    _announcing(
        lambda session: _went_offline(
            presence_repo.retire_instance(session=session, instance_id=instance_id, ttl_s=ttl_s)
        )
    )


def sharing_a_chat(user_ids: list[int], among: list[int]) -> list[tuple[int, int]]:
    with Session(get_engine()) as session:
        return presence_repo.sharing_a_chat(session=session, user_ids=user_ids, among=among)
