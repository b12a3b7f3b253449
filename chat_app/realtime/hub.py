"""The fan-out: one cursor into the outbox, shared by every socket of this process.

A wake-up (or the periodic poll, should a NOTIFY be missed) makes the single
fan-out task read the rows after its cursor in id order and offer each to the
open sockets of the people it concerns: its ``recipient_ids`` when set, else
the chat's members as they are now. Ids come from a sequence, so a lower id
can commit after a higher one; the cursor stops at a missing id until it
appears or :attr:`Limits.gap_timeout_s` passes (a rolled-back transaction),
which keeps every socket's stream in order and lets ``sent_upto`` stand for
"everything up to here".

Ephemeral signals (typing, presence) arrive on the same channel and are
passed on by kind; this process's own presence is kept by
:class:`~chat_app.realtime.presence.PresenceTracker`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from pydantic import ValidationError

from chat_app.protocol import Event, EventKind, Presence, Ready, Resync, Typing
from chat_app.realtime import codes, signals, store
from chat_app.realtime.client import Client
from chat_app.realtime.limits import Limits
from chat_app.realtime.listener import Listener
from chat_app.realtime.presence import PresenceTracker

log = logging.getLogger(__name__)


class Hub:
    def __init__(self, *, database_url: str, limits: Limits, retention_s: int) -> None:
        self.limits = limits
        self.retention_s = retention_s
        self.cursor = 0
        self._clients: dict[int, set[Client]] = defaultdict(set)
        # Open sockets per client address (authenticated or not), for the address cap.
        self._addresses: Counter[str] = Counter()
        self._wake = asyncio.Event()
        self._gap_at: int | None = None
        self._gap_since = 0.0
        self._tasks: list[asyncio.Task[None]] = []
        self._reader = store.OutboxReader()
        self._listener = Listener(
            database_url,
            on_wake=self._wake.set,
            on_signal=self._on_signal,
            retry_s=limits.listener_retry_s,
        )
        self.presence = PresenceTracker(
            limits=limits,
            connected=self._clients.__contains__,
            everyone=lambda: list(self._clients),
        )
        self._signal_handlers: dict[EventKind, Callable[[Any], None]] = {
            EventKind.TYPING: self._on_typing,
            EventKind.PRESENCE: self._on_presence,
        }
        # Presence changes not yet passed on, the latest per person.
        self._presence_pending: dict[int, Presence] = {}
        self._presence_task: asyncio.Task[None] | None = None

    # --- lifetime ------------------------------------------------------------------------

    async def start(self) -> None:
        self.cursor = await asyncio.to_thread(store.latest_id)
        await self._listener.start()
        await self.presence.start()
        loop = asyncio.get_running_loop()
        self._tasks = [
            loop.create_task(self._fan_out()),
            loop.create_task(self._prune()),
            loop.create_task(self._check_sessions()),
        ]

    async def stop(self) -> None:
        await self.presence.stop()
        await self._listener.close()
        if self._presence_task is not None:
            self._tasks.append(self._presence_task)
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await asyncio.to_thread(self._reader.close)

    # --- sockets -------------------------------------------------------------------------

    def register(self, client: Client) -> None:
        """Start live delivery after the current cursor and tell the client where that is."""
        client.sent_upto = self.cursor
        ready = Ready(user_id=client.user_id, last_event_id=self.cursor)
        client.send(None, ready.model_dump_json())
        sockets = self._clients[client.user_id]
        sockets.add(client)
        if len(sockets) == 1:
            self.presence.changed(client.user_id)

    @contextlib.contextmanager
    def sockets_from(self, address: str) -> Iterator[int]:
        """Count a socket from ``address`` while the block runs; yields the count with it."""
        self._addresses[address] += 1
        try:
            yield self._addresses[address]
        finally:
            self._addresses[address] -= 1
            if not self._addresses[address]:
                del self._addresses[address]

    def sockets_of(self, user_id: int) -> int:
        """How many authenticated sockets this person has open on this instance."""
        return len(self._clients.get(user_id, ()))

    def unregister(self, client: Client) -> None:
        sockets = self._clients.get(client.user_id)
        if sockets is not None:
            sockets.discard(client)
            if not sockets:
                del self._clients[client.user_id]
                self.presence.changed(client.user_id)

    def _offer(self, user_ids: Iterable[int], event_id: int | None, text: str) -> None:
        for user_id in user_ids:
            for client in self._clients.get(user_id, ()):
                client.offer(event_id, text)

    async def resume(self, client: Client, last_event_id: int) -> None:
        """Send every stored event after ``last_event_id`` that concerns the client, in order.

        Live frames arriving meanwhile are held and released after, so the
        stream stays ordered; frames already sent live may be sent again
        (clients de-duplicate by id).
        """
        if last_event_id >= client.sent_upto:
            client.sent_upto = last_event_id
            return
        floor = await asyncio.to_thread(store.retained_floor)
        if last_event_id < floor - 1:
            client.send(
                None,
                Resync(
                    reason="events after your last id were pruned; reload",
                    last_event_id=client.sent_upto,
                ).model_dump_json(),
            )
            return
        client.catching_up = True
        upto, position = client.sent_upto, last_event_id
        client.rewind(last_event_id)
        try:
            while True:
                # Never more than the client may have outstanding: wait for its acks.
                room = await client.room()
                if client.closing:
                    break
                limit = min(room, self.limits.batch_size)
                rows = await asyncio.to_thread(
                    store.events_for, client.user_id, position, upto, limit
                )
                for row in rows:
                    text = _frame(row)
                    if text is not None:
                        client.send(row.id, text)
                if len(rows) < limit:
                    break
                position = rows[-1].id
            client.sent_upto = max(client.sent_upto, upto)
        finally:
            client.finish_catching_up()

    # --- fan-out -------------------------------------------------------------------------

    async def _fan_out(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.limits.poll_interval_s)
            self._wake.clear()
            try:
                await self._drain()
            except Exception:
                log.exception("reading the outbox failed; retrying")
                await asyncio.sleep(self.limits.poll_interval_s)

    async def _drain(self) -> None:
        while True:
            rows, members = await asyncio.to_thread(
                self._reader.read, self.cursor, self.limits.batch_size
            )
            ready = self._contiguous(rows)
            if ready:
                for row in ready:
                    self._deliver(row, members)
                    self.cursor = row.id
            if len(ready) < self.limits.batch_size:
                return

    def _contiguous(self, rows: list[store.StoredEvent]) -> list[store.StoredEvent]:
        """The rows up to the first missing id, unless that gap has waited long enough."""
        expected = self.cursor + 1
        for index, row in enumerate(rows):
            if row.id != expected:
                now = time.monotonic()
                if self._gap_at != expected:
                    self._gap_at, self._gap_since = expected, now
                if now - self._gap_since < self.limits.gap_timeout_s:
                    asyncio.get_running_loop().call_later(0.05, self._wake.set)
                    return rows[:index]
                log.info("skipping event ids %s..%s (never committed)", expected, row.id - 1)
            expected = row.id + 1
        self._gap_at = None
        return rows

    def _deliver(self, row: store.StoredEvent, members: dict[int, set[int]]) -> None:
        if row.recipient_ids is not None:
            people: set[int] | list[int] = list(row.recipient_ids)
        elif row.chat_id is not None:
            people = members.get(row.chat_id, set())
        else:
            return
        if not any(user_id in self._clients for user_id in people):
            return
        text = _frame(row)
        if text is not None:
            self._offer(people, row.id, text)

    # --- ephemeral signals (typing, presence) -------------------------------------------

    async def relay_typing(self, *, chat_id: int, user_id: int) -> None:
        """Tell every realtime process; each passes it to the chat's other members."""
        await asyncio.to_thread(
            store.signal, signals.encode(Typing(chat_id=chat_id, user_id=user_id))
        )

    def _on_signal(self, payload: str) -> None:
        decoded = signals.decode(payload)
        if decoded is None:
            log.warning("ignoring an unknown signal on the events channel")
            return
        kind, signal = decoded
        self._signal_handlers[kind](signal)

    def _on_typing(self, typing: Typing) -> None:
        asyncio.get_running_loop().create_task(self._send_typing(typing))

    async def _send_typing(self, typing: Typing) -> None:
        members = await asyncio.to_thread(store.members_of, [typing.chat_id])
        text = Event(id=None, kind=EventKind.TYPING, data=typing).model_dump_json()
        self._offer(members.get(typing.chat_id, set()) - {typing.user_id}, None, text)

    def _on_presence(self, presence: Presence) -> None:
        self._presence_pending[presence.user_id] = presence
        if self._presence_task is None or self._presence_task.done():
            self._presence_task = asyncio.get_running_loop().create_task(self._send_presence())

    async def _send_presence(self) -> None:
        """Pass presence changes to the people here who share a chat with each person.

        Changes arriving together (a sweep takes many people offline at once)
        cost one query, and only the latest change per person is sent.
        """
        while self._presence_pending:
            pending, self._presence_pending = self._presence_pending, {}
            viewers = list(self._clients)
            if not viewers:
                continue
            try:
                pairs = await asyncio.to_thread(store.sharing_a_chat, list(pending), viewers)
            except Exception:
                log.warning("presence changes not passed on (database unreachable)", exc_info=True)
                continue
            texts: dict[int, str] = {}
            for person, viewer in pairs:
                if person not in texts:
                    event = Event(id=None, kind=EventKind.PRESENCE, data=pending[person])
                    texts[person] = event.model_dump_json()
                self._offer((viewer,), None, texts[person])

    # --- ended sessions ------------------------------------------------------------------

    async def _check_sessions(self) -> None:
        """Close, with 4401, the sockets whose session ended after they authenticated.

        One indexed query per interval for every open socket of this process, rather
        than an event per revocation: it also catches expiry and deleted people, and
        a missed wake-up cannot leave a signed-out socket open."""
        while True:
            await asyncio.sleep(self.limits.session_check_s)
            open_sessions = {c.session_id for group in self._clients.values() for c in group}
            if not open_sessions:
                continue
            try:
                ended = set(await asyncio.to_thread(store.ended_sessions, sorted(open_sessions)))
            except Exception:
                log.exception("checking sessions failed")
                continue
            for group in list(self._clients.values()):
                for client in list(group):
                    if client.session_id in ended:
                        client.close(codes.BAD_TOKEN, "session ended")

    # --- retention -----------------------------------------------------------------------

    async def _prune(self) -> None:
        while True:
            try:
                pruned = await asyncio.to_thread(store.prune, self.retention_s)
                if pruned:
                    log.info("pruned %d events older than %d s", pruned, self.retention_s)
            except Exception:
                log.exception("pruning events failed")
            await asyncio.sleep(self.limits.prune_interval_s)


def _frame(row: store.StoredEvent) -> str | None:
    """The event as sent, or None (logged) for a stored row this version cannot read."""
    try:
        return Event(id=row.id, kind=EventKind(row.kind), data=row.payload).model_dump_json()
    except (ValueError, ValidationError):
        log.exception("event %s does not fit the protocol; not sent", row.id)
        return None
