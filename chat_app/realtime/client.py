"""One authenticated socket's outgoing side: an ordered queue and a single writer.

The hub only ever *offers* frames (never awaits a socket), so one slow client
cannot hold up the others; a client whose queue passes the limit is closed
and resumes from its last event id. ``sent_upto`` is the highest event id
queued for this socket: anything at or below it is dropped, which is what
makes a resume and live delivery meet without gaps or repeats.

The client acknowledges what it has applied (``ack``); event frames sent and
not yet acknowledged are counted, and past :attr:`Limits.max_unacked_events`
the client is closed to resume later. That bounds what a client that stopped
reading can cost, however fast its socket drains into the kernel.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from dataclasses import dataclass

from starlette.websockets import WebSocket

from chat_app.realtime import codes

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Close:
    code: int
    reason: str


class Client:
    def __init__(
        self,
        websocket: WebSocket,
        *,
        user_id: int,
        max_queued: int,
        max_unacked: int,
        session_id: int = 0,
    ) -> None:
        self.websocket = websocket
        self.user_id = user_id
        # The ``sessions`` row its token names: ending it elsewhere closes this socket.
        self.session_id = session_id
        self.sent_upto = 0
        # The highest ``sent_upto`` ever was: a resume lowers ``sent_upto`` while the
        # client may still ack what it got before, so acks are checked against this.
        self._ack_ceiling = 0
        self.catching_up = False
        self._pending: list[tuple[int | None, str]] = []
        self._max_queued = max_queued
        self._max_unacked = max_unacked
        # Ids of event frames sent and not yet acknowledged, in increasing order.
        self._unacked: deque[int] = deque()
        self._acked = asyncio.Event()
        self._queue: asyncio.Queue[str | Close] = asyncio.Queue()
        self._closing = False
        self.writer = asyncio.get_running_loop().create_task(self._write())

    def offer(self, event_id: int | None, text: str) -> None:
        """Queue a live frame, unless it was already queued or a resume is in progress."""
        if self.catching_up:
            if len(self._pending) >= self._max_queued:
                self.close(codes.TOO_SLOW, "too far behind; reconnect and resume")
                return
            self._pending.append((event_id, text))
            return
        self.send(event_id, text)

    def send(self, event_id: int | None, text: str) -> None:
        """Queue a frame now, in order; event frames at or below ``sent_upto`` are dropped."""
        if self._closing:
            return
        if event_id is not None:
            if event_id <= self.sent_upto:
                return
            if len(self._unacked) >= self._max_unacked:
                self.close(
                    codes.TOO_SLOW,
                    f"over {self._max_unacked} events not acknowledged; reconnect and resume",
                )
                return
            self.sent_upto = event_id
            self._unacked.append(event_id)
        if self._queue.qsize() >= self._max_queued:
            self.close(codes.TOO_SLOW, "too far behind; reconnect and resume")
            return
        self._queue.put_nowait(text)

    def acknowledge(self, event_id: int) -> bool:
        """The client applied every event up to ``event_id``; False if none was sent that far."""
        if event_id > max(self.sent_upto, self._ack_ceiling):
            return False
        while self._unacked and self._unacked[0] <= event_id:
            self._unacked.popleft()
        self._acked.set()
        return True

    def rewind(self, event_id: int) -> None:
        """Start again after ``event_id`` (a resume): frames sent above it will be sent
        again, so they stop counting as outstanding."""
        self._ack_ceiling = max(self._ack_ceiling, self.sent_upto)
        self.sent_upto = event_id
        while self._unacked and self._unacked[-1] > event_id:
            self._unacked.pop()

    async def room(self) -> int:
        """How many more events may be sent, once acks leave room for at least one
        (0 when the client is closing)."""
        while len(self._unacked) >= self._max_unacked and not self._closing:
            self._acked.clear()
            await self._acked.wait()
        return 0 if self._closing else self._max_unacked - len(self._unacked)

    def finish_catching_up(self) -> None:
        """Release the live frames held during a resume (older ones drop by id)."""
        self.catching_up = False
        pending, self._pending = self._pending, []
        for event_id, text in pending:
            self.send(event_id, text)

    def close(self, code: int, reason: str) -> None:
        """Close after the frames already queued (the reason is cut to the 123-byte limit)."""
        if self._closing:
            return
        self._closing = True
        self._acked.set()
        self._queue.put_nowait(Close(code, reason.encode()[:123].decode(errors="ignore")))

    @property
    def closing(self) -> bool:
        return self._closing

    async def _write(self) -> None:
        try:
            while True:
                item = await self._queue.get()
                if isinstance(item, Close):
                    with contextlib.suppress(Exception):
                        await self.websocket.close(item.code, item.reason)
                    return
                await self.websocket.send_text(item)
        except Exception:
            # The peer went away; the reading side notices and unregisters.
            log.debug("send to user %s failed", self.user_id, exc_info=True)
            self._closing = True
            self._acked.set()

    async def stop(self) -> None:
        self.writer.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self.writer
