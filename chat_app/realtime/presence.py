"""This instance's part in presence: its heartbeat, its people, and sweeping dead instances.

The hub says when someone's first socket here opens or their last one closes;
one writer task then brings PostgreSQL in line, in batches and in the
background. A socket never waits for presence: while the database is out of
reach the changes wait and are retried, and someone who leaves and comes back
meanwhile costs no write at all. The writes themselves announce the
transitions they cause (see :mod:`chat_app.realtime.store`).

Every :attr:`Limits.heartbeat_interval_s` the instance beats and sweeps
instances silent for :attr:`Limits.presence_ttl_s`. An instance that finds it
was swept (it lost the database for longer than the TTL) registers again and
writes all its people back.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
from collections.abc import Callable, Collection

from chat_app.realtime import store
from chat_app.realtime.limits import Limits

log = logging.getLogger(__name__)

# How long a shutdown waits to remove its own rows before leaving them to a sweep.
RETIRE_TIMEOUT_S = 5.0


def new_instance_id() -> str:
    """Random, with the host and process in front so an operator can tell rows apart."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(6)}"


class PresenceTracker:
    def __init__(
        self,
        *,
        limits: Limits,
        connected: Callable[[int], bool],
        everyone: Callable[[], Collection[int]],
    ) -> None:
        self.instance_id = new_instance_id()
        self._limits = limits
        self._connected = connected
        self._everyone = everyone
        # People whose session row this instance has written, and people to look at again.
        self._written: set[int] = set()
        self._dirty: set[int] = set()
        self._registered = False
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        await asyncio.to_thread(store.register_instance, self.instance_id)
        self._registered = True
        loop = asyncio.get_running_loop()
        self._tasks = [loop.create_task(self._write()), loop.create_task(self._beat())]

    async def stop(self) -> None:
        """Remove this instance's rows, so its people go offline now rather than after a TTL."""
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        try:
            await asyncio.wait_for(
                asyncio.to_thread(store.retire, self.instance_id, self._limits.presence_ttl_s),
                RETIRE_TIMEOUT_S,
            )
        except Exception:
            log.warning(
                "could not remove instance %s; another instance sweeps it after %.0f s",
                self.instance_id,
                self._limits.presence_ttl_s,
                exc_info=True,
            )

    def changed(self, user_id: int) -> None:
        """Someone's first socket here opened or their last one closed.

        A close is looked at only after :attr:`Limits.offline_grace_s`: a page
        reload, or a socket moving to another instance, reconnects within it,
        and the people watching see no "offline" flicker.
        """
        if self._connected(user_id):
            self._mark(user_id)
        else:
            loop = asyncio.get_running_loop()
            loop.call_later(self._limits.offline_grace_s, self._mark, user_id)

    def _mark(self, user_id: int) -> None:
        self._dirty.add(user_id)
        self._wake.set()

    # --- the writer ----------------------------------------------------------------------

    async def _write(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            try:
                await self._sync()
            except Exception:
                log.warning(
                    "writing presence failed; retrying in %.1f s",
                    self._limits.presence_retry_s,
                    exc_info=True,
                )
                await asyncio.sleep(self._limits.presence_retry_s)
                self._wake.set()

    async def _sync(self) -> None:
        if not self._registered:
            await asyncio.to_thread(store.register_instance, self.instance_id)
            self._registered = True
            self._written.clear()
            self._dirty.update(self._everyone())
        while self._dirty:
            size = min(len(self._dirty), self._limits.presence_batch)
            batch = [self._dirty.pop() for _ in range(size)]
            try:
                applied = await self._apply(batch)
            except BaseException:
                self._dirty.update(batch)
                raise
            if not applied:
                self._dirty.update(batch)
                self._registered = False
                self._wake.set()
                return

    async def _apply(self, batch: list[int]) -> bool:
        """Write what changed for ``batch``; False when this instance was swept meanwhile."""
        ttl = self._limits.presence_ttl_s
        arriving = sorted(u for u in batch if self._connected(u) and u not in self._written)
        leaving = sorted(u for u in batch if not self._connected(u) and u in self._written)
        if arriving:
            if not await asyncio.to_thread(store.add_sessions, self.instance_id, arriving, ttl):
                return False
            self._written.update(arriving)
        if leaving:
            if not await asyncio.to_thread(store.remove_sessions, self.instance_id, leaving, ttl):
                return False
            self._written.difference_update(leaving)
        return True

    # --- heartbeat and sweep -------------------------------------------------------------

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(self._limits.heartbeat_interval_s)
            try:
                if not await asyncio.to_thread(store.heartbeat, self.instance_id):
                    log.warning("instance %s was swept; registering it again", self.instance_id)
                    self._registered = False
                    self._wake.set()
                gone = await asyncio.to_thread(
                    store.sweep, self.instance_id, self._limits.presence_ttl_s
                )
                if gone:
                    log.info("swept dead instances; %d people went offline", gone)
            except Exception:
                log.warning("presence heartbeat failed", exc_info=True)
