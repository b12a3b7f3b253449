"""The wake-up after commit: one coalesced ``NOTIFY chat_events`` for many commits.

A ``NOTIFY`` inside a write transaction takes a database-wide lock at commit
and serialises every writer, so services never send one. Instead the session
is marked when an event row is added, and after a successful commit
:func:`wake` asks a background thread to notify. The thread sends at most one
``NOTIFY`` per :data:`COALESCE_SECONDS` on its own connection; a listener that
misses one still catches up through its periodic poll, so a failed send is
only logged.
"""

from __future__ import annotations

import logging
import threading
import time

from sqlalchemy import Engine
from sqlmodel import Session

from chat_app.repositories import realtime_events

CHANNEL = realtime_events.CHANNEL
COALESCE_SECONDS = 0.005
_EVENTS_ADDED = "chat_events_added"

log = logging.getLogger(__name__)


def mark_events_added(session: Session) -> None:
    """Note on the session that its commit must wake the realtime service."""
    session.info[_EVENTS_ADDED] = True


def take_events_added(session: Session) -> bool:
    """Whether the session added events since the last call (and forget it)."""
    return bool(session.info.pop(_EVENTS_ADDED, False))


class Notifier:
    """One daemon thread per engine that turns many wake requests into few NOTIFYs."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._requested = threading.Event()
        self._thread = threading.Thread(target=self._run, name="chat-events-notifier", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        self._requested.set()

    def _run(self) -> None:
        while True:
            self._requested.wait()
            self._requested.clear()
            try:
                with self._engine.connect() as connection:
                    realtime_events.notify(connection)
                    connection.commit()
            except Exception:
                log.exception("sending the %s wake-up failed; listeners will poll", CHANNEL)
            # Requests arriving meanwhile are answered by the next NOTIFY, not one each.
            time.sleep(COALESCE_SECONDS)


_notifiers: dict[int, Notifier] = {}
_lock = threading.Lock()


def wake(engine: Engine) -> None:
    """Ask for a wake-up on ``engine``'s database soon (never inside a transaction)."""
    notifier = _notifiers.get(id(engine))
    if notifier is None:
        with _lock:
            notifier = _notifiers.get(id(engine))
            if notifier is None:
                # The notifier keeps its engine alive, so the id is never reused.
                notifier = _notifiers[id(engine)] = Notifier(engine)
    notifier.wake()
