"""The one LISTEN connection of a realtime process.

psycopg2 in autocommit mode, watched by the event loop (``add_reader``), so a
NOTIFY wakes the fan-out without a thread or a busy poll. An empty payload is
a wake-up ("read the outbox"); any other payload is an ephemeral signal
(typing) that was never stored. When the connection breaks it is re-opened,
and a wake-up is raised then, since NOTIFYs sent meanwhile are lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

import psycopg2
import psycopg2.extensions
from sqlalchemy.engine import make_url

from chat_app.repositories import realtime_events

log = logging.getLogger(__name__)


def psycopg2_dsn(sqlalchemy_url: str) -> str:
    """The libpq URL psycopg2 accepts (without SQLAlchemy's ``+driver``)."""
    return (
        make_url(sqlalchemy_url).set(drivername="postgresql").render_as_string(hide_password=False)
    )


class Listener:
    def __init__(
        self,
        database_url: str,
        *,
        on_wake: Callable[[], None],
        on_signal: Callable[[str], None],
        retry_s: float,
    ) -> None:
        self._dsn = psycopg2_dsn(database_url)
        self._on_wake = on_wake
        self._on_signal = on_signal
        self._retry_s = retry_s
        self._connection: psycopg2.extensions.connection | None = None
        # The socket's number as registered with the event loop. libpq closes the
        # socket itself when the server goes away, after which the connection no
        # longer tells its number; the loop must still forget it, or the next
        # socket given that number (an accepted client) would never be read.
        self._fd: int | None = None
        self._retry: asyncio.TimerHandle | None = None
        self._closed = False

    async def start(self) -> None:
        await self._connect()

    async def _connect(self) -> None:
        self._retry = None
        if self._closed:
            return
        loop = asyncio.get_running_loop()
        try:
            connection = await asyncio.to_thread(psycopg2.connect, self._dsn)
            connection.set_isolation_level(psycopg2.extensions.ISOLATION_LEVEL_AUTOCOMMIT)
            with connection.cursor() as cursor:
                cursor.execute(realtime_events.listen_statement())
        except psycopg2.Error:
            log.warning("LISTEN connection failed; retrying in %.1f s", self._retry_s)
            self._schedule_retry()
            return
        self._connection = connection
        self._fd = connection.fileno()
        loop.add_reader(self._fd, self._readable)
        # Anything committed while no one listened is read now.
        self._on_wake()

    def _schedule_retry(self) -> None:
        loop = asyncio.get_running_loop()
        self._retry = loop.call_later(self._retry_s, lambda: loop.create_task(self._connect()))

    def _readable(self) -> None:
        connection = self._connection
        if connection is None:
            return
        try:
            connection.poll()
        except psycopg2.Error:
            log.warning("LISTEN connection lost; reconnecting")
            self._drop()
            self._schedule_retry()
            return
        woken = False
        while connection.notifies:
            payload = connection.notifies.pop(0).payload
            if payload:
                self._on_signal(payload)
            else:
                woken = True
        if woken:
            self._on_wake()

    def _drop(self) -> None:
        connection, self._connection = self._connection, None
        fd, self._fd = self._fd, None
        if connection is None:
            return
        if fd is not None:
            with contextlib.suppress(ValueError, OSError):
                asyncio.get_running_loop().remove_reader(fd)
        connection.close()

    async def close(self) -> None:
        self._closed = True
        if self._retry is not None:
            self._retry.cancel()
        self._drop()
