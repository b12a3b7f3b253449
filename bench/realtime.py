"""The realtime service under load: delivery latency, memory per socket, 10,000 sockets, catch-up.

Everything is the real thing: the service runs as its own process
(``python -m chat_app.realtime``) on a free loopback port against a throw-away
database; clients are ``websockets`` connections in separate client processes
(asyncio, one per core), authenticated with tokens from ``chat_app.access_tokens``;
messages go through ``services.message_send.send_message``, the call the web
app makes, so a delivery's latency covers the whole path: the message and its
outbox row commit, the coalesced NOTIFY wakes the service, it reads the row
and the chat's members and writes to their sockets. The same clients, fan-out
and rate are measured in the same run against a bare websocket fan-out server
(the same uvicorn settings, no database, no outbox) as the floor.

Latency is the receipt time in a client process minus the time the sending
call returned, both read from ``time.monotonic_ns()``: CLOCK_MONOTONIC is one
clock for every process on a Linux machine.

Not a test: it prints one JSON object on stdout (the issue's shape: the
headline figures at the top, everything else under ``details``) and writes it
to bench/results/realtime.json; a readable table goes to stderr. ``--quick``
is a smoke run with the same shape that writes nothing.

    python bench/realtime.py [--clients 1000] [--rate 100 250 500] [--seconds 20] [--idle 10000]
                             [--catch-up 1000] [--client-procs 2] [--sender-procs 4]
                             [--wait-quiet SECONDS] [--quick]

Uses DATABASE_URL when set, otherwise the embedded server in $DATA_DIR/postgres;
the database it creates is dropped afterwards, also on failure.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import multiprocessing
import os
import platform
import random
import resource
import secrets
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from multiprocessing.connection import Connection as Pipe
from pathlib import Path
from typing import Any

import uvicorn
import websockets
from chat_core import _code_version, _percentile, _wait_for_quiet
from scratch_db import ROOT, scratch_database
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket
from websockets.asyncio.client import ClientConnection
from websockets.asyncio.client import connect as ws_connect
from websockets.exceptions import ConnectionClosed, WebSocketException
from websockets.sync.client import connect as ws_connect_sync

from chat_app import database, protocol, tokens
from chat_app.protocol import Event, EventKind, MessageCreated, Ready
from tests.app_runner import RealtimeProcess, answers, free_port

RESULTS = ROOT / "bench" / "results" / "realtime.json"
NS_PER_MS = 1_000_000

# Clients acknowledge what they received once the protocol has an ``ack`` frame
# (the service then closes a client that leaves too much unacknowledged), as
# often as the browser does (assets/realtime_socket.jsx): every 100 events or 2 s.
ACKS = hasattr(protocol, "Ack")
ACK_EVERY_EVENTS = 100
ACK_EVERY_S = 2.0

# How many sockets a client process opens at once: enough to keep the server
# busy, few enough to stay inside the listen backlog and the 5 s auth timeout.
CONNECT_CONCURRENCY = 100
WARMUP_S = 1.0
DIRECT_SHARE = 0.1  # of messages; the rest go to groups
DRAIN_TIMEOUT_S = 30.0
START_TIMEOUT_S = 60.0
# A rate counts as sustained when the sends kept up with it this closely and every
# delivery arrived; the headline figures are those of the highest such rate.
SUSTAINED_SHARE = 0.95
# The issue's targets on a 2-core machine.
TARGETS = {
    "p99_ms": 50.0,
    "at_rate_msgs_per_s": 500,
    "clients": 1000,
    "bytes_per_idle_connection": 100 * 1024,
    "idle_connections": 10_000,
}


# --- the people, their chats and what they send ---------------------------------------------


@dataclass(frozen=True)
class Chat:
    chat_id: int
    members: tuple[int, ...]


@dataclass(frozen=True)
class Population:
    """Who exists: ``online`` (the first ``clients`` users) have chats; the rest only sockets."""

    user_ids: list[int]
    online: list[int]
    groups: list[Chat]
    directs: list[Chat]


@dataclass(frozen=True)
class Outgoing:
    chat: Chat
    sender_id: int


def _token(user_id: int) -> str:
    """A token for a fresh sign-in session of this person (the service checks the row)."""
    from chat_app.services import sessions

    with database.unit_of_work() as session:
        row = sessions.start(session, user_id=user_id, user_agent="bench")
    return tokens.issue_token(user_id, row.id)


def _seed(users: int, clients: int, group_size: int, direct_chats: int) -> Population:
    """Users, groups of ``group_size`` covering the first ``clients`` users, and direct chats.

    Plain inserts: the services would hash a password per user (seconds each
    hundred) for rows this benchmark never signs in with.
    """
    rng = random.Random(11)
    with database.get_engine().begin() as connection:
        user_ids = sorted(
            connection.execute(
                text(
                    "INSERT INTO users (username, display_name, password_hash) "
                    "SELECT 'rt_' || n, 'Realtime ' || n, 'unused' "
                    "FROM generate_series(1, :n) AS n RETURNING id"
                ),
                {"n": users},
            ).scalars()
        )
        online = user_ids[:clients]

        def add_chat(
            kind: str, members: tuple[int, ...], title: str | None, key: str | None
        ) -> Chat:
            chat_id = connection.execute(
                text(
                    "INSERT INTO chats (kind, title, direct_key, created_by) "
                    "VALUES (:kind, :title, :key, :creator) RETURNING id"
                ),
                {"kind": kind, "title": title, "key": key, "creator": members[0]},
            ).scalar_one()
            connection.execute(
                text("INSERT INTO chat_members (chat_id, user_id) SELECT :chat, unnest(:users)"),
                {"chat": chat_id, "users": list(members)},
            )
            return Chat(chat_id, members)

        groups = [
            add_chat("group", tuple(online[start : start + group_size]), f"Group {start}", None)
            for start in range(0, len(online) - group_size + 1, group_size)
        ]
        pairs: set[tuple[int, int]] = set()
        while len(pairs) < direct_chats:
            low, high = sorted(rng.sample(online, 2))
            pairs.add((low, high))
        directs = [add_chat("direct", pair, None, f"{pair[0]}:{pair[1]}") for pair in sorted(pairs)]
    return Population(user_ids=user_ids, online=online, groups=groups, directs=directs)


def _plan(population: Population, count: int, direct_share: float, seed: int) -> list[Outgoing]:
    """Who sends where, the same for our service and the baseline."""
    rng = random.Random(seed)
    plan = []
    for _ in range(count):
        pool = population.directs if rng.random() < direct_share else population.groups
        chat = rng.choice(pool)
        plan.append(Outgoing(chat, rng.choice(chat.members)))
    return plan


# --- a client socket ------------------------------------------------------------------------


class Socket:
    """One authenticated connection, as a browser holds it: auth, then events, acknowledged."""

    def __init__(self, ws: ClientConnection, user_id: int, ready_id: int) -> None:
        self.ws = ws
        self.user_id = user_id
        self.ready_id = ready_id  # the server's cursor when it said ``ready``
        self.highest = 0
        self.acked = 0
        self.unacked = 0

    @classmethod
    async def open(cls, url: str, user_id: int, token: str) -> Socket:
        """Connect, send the token as the first frame and wait for ``ready``."""
        # Browsers offer compression, but the service refuses it; proxies do not apply here.
        ws = await ws_connect(
            url, compression=None, proxy=None, ping_interval=None, open_timeout=60, close_timeout=2
        )
        try:
            await ws.send(json.dumps({"type": "auth", "token": token}))
            frame = json.loads(await asyncio.wait_for(ws.recv(), 60))
            if frame.get("type") != "ready":
                raise RuntimeError(f"expected ready, got {frame.get('type')!r}")
        except BaseException:
            await ws.close()
            raise
        return cls(ws, user_id, frame["last_event_id"])

    async def events(self) -> AsyncIterator[tuple[int, dict[str, Any]]]:
        """(receipt time in ns, frame) of every event until the socket closes."""
        async for message in self.ws:
            received = time.monotonic_ns()
            frame = json.loads(message)
            if frame.get("type") != "event":
                continue
            yield received, frame
            if frame.get("id") is not None:
                self.highest = max(self.highest, frame["id"])
                self.unacked += 1
                if self.unacked >= ACK_EVERY_EVENTS:
                    await self.ack()

    async def ack(self) -> None:
        """Acknowledge the highest event id received, when there is something new."""
        if not ACKS or self.highest <= self.acked:
            return
        await self.ws.send(json.dumps({"type": "ack", "last_event_id": self.highest}))
        self.acked, self.unacked = self.highest, 0


# --- client processes -----------------------------------------------------------------------


class Fleet:
    """One client process's sockets: opens them, records what they receive, acknowledges."""

    def __init__(self) -> None:
        self.sockets: list[Socket] = []
        self.listeners: list[asyncio.Task[None]] = []
        self.recording = False
        self.deliveries: list[tuple[int, int, int]] = []  # (user id, message id, receipt ns)
        self.closed_by_server: Counter[str] = Counter()
        self.acker: asyncio.Task[None] | None = None

    async def connect(self, url: str, share: list[tuple[int, str]]) -> dict[str, Any]:
        """Open a socket per (user id, token); which users got ``ready`` and how long it took."""
        gate = asyncio.Semaphore(CONNECT_CONCURRENCY)

        async def one(user_id: int, token: str) -> Socket | str:
            async with gate:
                try:
                    return await Socket.open(url, user_id, token)
                except (OSError, TimeoutError, RuntimeError, WebSocketException) as error:
                    return type(error).__name__

        started = time.monotonic()
        opened = await asyncio.gather(*(one(user_id, token) for user_id, token in share))
        seconds = time.monotonic() - started
        sockets = [s for s in opened if isinstance(s, Socket)]
        self.sockets += sockets
        self.listeners += [asyncio.create_task(self._listen(s)) for s in sockets]
        if ACKS and self.acker is None:
            self.acker = asyncio.create_task(self._ack_periodically())
        return {
            "ready": [s.user_id for s in sockets],
            "errors": dict(Counter(e for e in opened if isinstance(e, str))),
            "seconds": seconds,
        }

    async def _listen(self, socket: Socket) -> None:
        try:
            async for received, frame in socket.events():
                if self.recording and frame["kind"] == EventKind.MESSAGE_CREATED:
                    message_id = frame["data"]["message_id"]
                    self.deliveries.append((socket.user_id, message_id, received))
        except ConnectionClosed as closed:
            if closed.rcvd is not None:
                self.closed_by_server[f"{closed.rcvd.code} {closed.rcvd.reason}"] += 1

    async def _ack_periodically(self) -> None:
        while True:
            await asyncio.sleep(ACK_EVERY_S)
            for socket in list(self.sockets):
                with contextlib.suppress(ConnectionClosed):
                    await socket.ack()

    async def record(self, on: bool) -> None:
        self.recording = on
        if on:
            self.deliveries = []

    async def count(self) -> int:
        return len(self.deliveries)

    async def collect(self) -> dict[str, Any]:
        return {"deliveries": self.deliveries, "closed_by_server": dict(self.closed_by_server)}

    async def close(self) -> None:
        """Close every socket (the server sees a normal close) and forget them."""
        await asyncio.gather(*(s.ws.close() for s in self.sockets), return_exceptions=True)
        for task in self.listeners:
            task.cancel()
        await asyncio.gather(*self.listeners, return_exceptions=True)
        self.sockets, self.listeners = [], []
        self.deliveries, self.closed_by_server = [], Counter()


async def _fleet_loop(pipe: Pipe) -> None:
    fleet = Fleet()
    commands: dict[str, Callable[..., Any]] = {
        "connect": fleet.connect,
        "record": fleet.record,
        "count": fleet.count,
        "collect": fleet.collect,
        "close": fleet.close,
    }
    while True:
        name, args = await asyncio.to_thread(pipe.recv)
        if name == "exit":
            await fleet.close()
            pipe.send(None)
            return
        pipe.send(await commands[name](*args))


def _client_process(pipe: Pipe) -> None:
    """A client process's entry point: obey the commands from the pipe until ``exit``."""
    asyncio.run(_fleet_loop(pipe))


class Workers:
    """Processes that each obey commands from a pipe (``exit`` ends them).

    Spawned, not forked: the parent holds database connections and threads.
    """

    def __init__(self, processes: int, target: Callable[[Pipe], None]) -> None:
        context = multiprocessing.get_context("spawn")
        self._pipes: list[Pipe] = []
        self._processes: list[Any] = []
        for _ in range(processes):
            ours, theirs = context.Pipe()
            process = context.Process(target=target, args=(theirs,), daemon=True)
            process.start()
            self._pipes.append(ours)
            self._processes.append(process)

    @property
    def pids(self) -> list[int]:
        return [process.pid for process in self._processes]

    @property
    def size(self) -> int:
        return len(self._pipes)

    def ask(self, name: str, per_process: list[tuple[Any, ...]] | None = None) -> list[Any]:
        """Send a command to every process at once and wait for all the answers."""
        calls = per_process or [()] * len(self._pipes)
        for pipe, args in zip(self._pipes, calls, strict=True):
            pipe.send((name, args))
        return [pipe.recv() for pipe in self._pipes]

    def stop(self) -> None:
        with contextlib.suppress(OSError, EOFError):
            self.ask("exit")
        for process in self._processes:
            process.join(timeout=15)
            if process.is_alive():
                process.kill()
                process.join()


class ClientPool(Workers):
    """The client processes; sockets are dealt out round-robin so each core holds its share."""

    def __init__(self, processes: int) -> None:
        super().__init__(processes, _client_process)

    def connect(self, url: str, people: list[tuple[int, str]]) -> dict[str, Any]:
        """Open every socket; wall time covers all processes, from the first to the last."""
        started = time.monotonic()
        replies = self.ask("connect", [(url, people[k :: self.size]) for k in range(self.size)])
        errors: Counter[str] = Counter()
        for reply in replies:
            errors.update(reply["errors"])
        return {
            "ready": {user_id for reply in replies for user_id in reply["ready"]},
            "errors": dict(errors),
            "seconds": time.monotonic() - started,
        }

    def record(self, on: bool) -> None:
        self.ask("record", [(on,)] * self.size)

    def count(self) -> int:
        return sum(self.ask("count"))

    def collect(self) -> tuple[list[tuple[int, int, int]], dict[str, int]]:
        deliveries: list[tuple[int, int, int]] = []
        closed: Counter[str] = Counter()
        for reply in self.ask("collect"):
            deliveries += reply["deliveries"]
            closed.update(reply["closed_by_server"])
        return deliveries, dict(closed)

    def close_sockets(self) -> None:
        self.ask("close")


# --- sender processes -----------------------------------------------------------------------


@dataclass(frozen=True)
class Sent:
    message_id: int
    returned_ns: int
    call_ms: float
    late_ms: float


@contextmanager
def _our_send() -> Iterator[Callable[[int, Outgoing], int]]:
    """Each call is ``message_send.send_message``, exactly as the web app's controller makes it."""
    from chat_app.services import message_send

    def send(i: int, out: Outgoing) -> int:
        return message_send.send_message(
            user_id=out.sender_id,
            chat_id=out.chat.chat_id,
            body=f"benchmark message {i}",
            client_msg_id=uuid.uuid4().hex,
        ).message_id

    yield send


@contextmanager
def _baseline_send(publish_url: str) -> Iterator[Callable[[int, Outgoing], int]]:
    """A publisher connection sending frames shaped like the service's events."""
    with ws_connect_sync(publish_url, compression=None, proxy=None) as connection:

        def send(i: int, out: Outgoing) -> int:
            message_id = i + 1
            data = MessageCreated(
                chat_id=out.chat.chat_id,
                message_id=message_id,
                seq=message_id,
                sender_id=out.sender_id,
            )
            frame = Event(id=message_id, kind=EventKind.MESSAGE_CREATED, data=data)
            item = {"to": list(out.chat.members), "frame": frame.model_dump_json()}
            connection.send(json.dumps(item))
            return message_id

        yield send


def _send_share(
    publish_url: str | None, share: list[tuple[int, Outgoing]], start: float, rate: float
) -> list[Sent]:
    """Send each (i, message) at ``start + i / rate``, to the baseline when a URL is given.

    Open loop: the schedule does not wait for slow calls (a slow call delays
    this process's next message, and how late each call started is recorded).
    """
    sent = []
    with _our_send() if publish_url is None else _baseline_send(publish_url) as send:
        for i, out in share:
            due = start + i / rate
            if (delay := due - time.monotonic()) > 0:
                time.sleep(delay)
            began = time.monotonic_ns()
            message_id = send(i, out)
            returned = time.monotonic_ns()
            late_ms = max(0.0, began / 1e9 - due) * 1000
            sent.append(Sent(message_id, returned, (returned - began) / NS_PER_MS, late_ms))
    return sent


def _sender_process(pipe: Pipe) -> None:
    """A sender process's entry point: one web backend's worth of sends per command."""
    while True:
        name, args = pipe.recv()
        if name == "exit":
            pipe.send(None)
            return
        pipe.send(_send_share(*args))


class SenderPool(Workers):
    """Sender processes, like several web backends: threads would queue on one GIL."""

    def __init__(self, processes: int) -> None:
        super().__init__(processes, _sender_process)

    def send(
        self, publish_url: str | None, plan: list[Outgoing], first: int, count: int, rate: float
    ) -> list[Sent]:
        """Send ``plan[first : first + count]`` at ``rate`` per second, dealt round-robin."""
        start = time.monotonic() + 0.2 - first / rate
        indexed = list(enumerate(plan))[first : first + count]
        shares = [(publish_url, indexed[k :: self.size], start, rate) for k in range(self.size)]
        return [sent for reply in self.ask("send", shares) for sent in reply]


@contextmanager
def workers(kind: Callable[[int], Workers], processes: int) -> Iterator[Any]:
    """A pool of worker processes that is stopped however the block ends."""
    pool = kind(processes)
    try:
        yield pool
    finally:
        pool.stop()


# --- the servers ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Server:
    name: str
    pid: int
    ws_url: str
    publish_url: str | None = None


def _rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def _cpu(processes: dict[str, list[int]]) -> dict[int, float]:
    """User plus system CPU seconds so far of each process (fields 14 and 15 of its stat)."""
    seconds = {}
    for pid in (pid for pids in processes.values() for pid in pids):
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            seconds[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return seconds


def _postgres_pids() -> list[int]:
    """The database server's processes when it runs here (postmaster and children), else none."""
    with database.get_engine().connect() as connection:
        backend = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()

    def parent(pid: int | str) -> int:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])

    try:
        if Path(f"/proc/{backend}/comm").read_text().strip() != "postgres":
            return []
        postmaster = parent(backend)
    except OSError:
        return []
    children = []
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(OSError, ValueError):
            if entry.name.isdigit() and parent(entry.name) == postmaster:
                children.append(int(entry.name))
    return [postmaster, *children]


@contextmanager
def realtime_service(database_url: str, log_dir: Path) -> Iterator[Server]:
    """``python -m chat_app.realtime`` as production starts it, on a free loopback port."""
    service = RealtimeProcess(database_url, log_dir / "realtime.log")
    try:
        service.start()
        # The pid is for reading its memory and CPU time from /proc.
        assert service._process is not None
        yield Server("ours", service._process.pid, service.url)
    finally:
        service.stop()


def _baseline_app() -> Starlette:
    """Fan-out and nothing else: the same auth frame and token check, then relayed frames.

    A publisher connection at ``/publish`` sends ``{"to": [user ids], "frame": text}``
    and the text is written to each of those users' sockets as it arrives.
    """
    sockets: dict[int, set[WebSocket]] = defaultdict(set)

    async def client(websocket: WebSocket) -> None:
        await websocket.accept()
        auth = json.loads(await websocket.receive_text())
        user_id = tokens.verify_token(auth["token"]).user_id
        await websocket.send_text(Ready(user_id=user_id, last_event_id=0).model_dump_json())
        sockets[user_id].add(websocket)
        try:
            while (await websocket.receive())["type"] != "websocket.disconnect":
                pass  # acknowledgements: read and dropped
        finally:
            sockets[user_id].discard(websocket)

    async def publish(websocket: WebSocket) -> None:
        await websocket.accept()
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                return
            item = json.loads(message["text"])
            for user_id in item["to"]:
                for target in list(sockets.get(user_id, ())):
                    with contextlib.suppress(Exception):
                        await target.send_text(item["frame"])

    async def health(_request: Any) -> PlainTextResponse:
        return PlainTextResponse("ok")

    return Starlette(
        routes=[
            Route("/health", health),
            WebSocketRoute("/", client),
            WebSocketRoute("/publish", publish),
        ]
    )


def _baseline_process(port: int) -> None:
    """The baseline's entry point: the service's own uvicorn settings around the bare app."""
    from chat_app.realtime.server import server_config

    config = server_config("127.0.0.1", port)
    config.app = _baseline_app()
    config.lifespan = "off"
    logging.getLogger("uvicorn.error").setLevel(logging.WARNING)
    uvicorn.Server(config).run()


@contextmanager
def baseline_server() -> Iterator[Server]:
    port = free_port()
    process = multiprocessing.get_context("spawn").Process(
        target=_baseline_process, args=(port,), daemon=True
    )
    process.start()
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not answers(f"http://127.0.0.1:{port}/health"):
            if not process.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the baseline server did not start")
            time.sleep(0.1)
        assert process.pid is not None
        yield Server(
            "baseline", process.pid, f"ws://127.0.0.1:{port}/", f"ws://127.0.0.1:{port}/publish"
        )
    finally:
        process.terminate()
        process.join(timeout=15)
        if process.is_alive():
            process.kill()
            process.join()


# --- measurements ---------------------------------------------------------------------------


def _summary(samples: list[float]) -> dict[str, Any]:
    return {
        "p50_ms": round(statistics.median(samples), 3),
        "p95_ms": round(_percentile(samples, 0.95), 3),
        "p99_ms": round(_percentile(samples, 0.99), 3),
        "max_ms": round(max(samples), 3),
        "mean_ms": round(statistics.fmean(samples), 3),
        "n": len(samples),
    }


def _idle_memory(server: Server, pool: ClientPool, people: list[tuple[int, str]]) -> dict[str, Any]:
    """RSS of the server before and after opening these sockets (they stay open)."""
    asyncio.run(_connect_once(server.ws_url, *people[0]))  # one-time costs land before
    time.sleep(0.5)
    before = _rss_bytes(server.pid)
    connected = pool.connect(server.ws_url, people)
    time.sleep(1.0)
    after = _rss_bytes(server.pid)
    ready = len(connected["ready"])
    return {
        "connections": len(people),
        "authenticated": ready,
        "errors": connected["errors"],
        "connect_seconds": round(connected["seconds"], 2),
        "connections_per_s": round(ready / connected["seconds"]),
        "rss_before_bytes": before,
        "rss_after_bytes": after,
        "bytes_per_connection": round((after - before) / max(1, ready)),
        "ready_user_ids": connected["ready"],
    }


def _delivery(
    server: Server,
    pool: ClientPool,
    senders: SenderPool,
    population: Population,
    connected: set[int],
    rate: float,
    seconds: float,
) -> dict[str, Any]:
    """Send at ``rate`` for ``seconds`` and time every delivery to every member's socket."""
    warmup, measured = round(rate * WARMUP_S), round(rate * seconds)
    # The same plan for a rate on every server: who sends where is not what differs.
    plan = _plan(population, warmup + measured, DIRECT_SHARE, seed=round(rate))
    # The first wake-ups, queries, connections and frames are not timed.
    senders.send(server.publish_url, plan, 0, warmup, rate)
    time.sleep(0.5)
    pool.record(True)
    processes = {
        "server": [server.pid],
        "postgres": _postgres_pids(),
        "senders": senders.pids,
        "clients": pool.pids,
    }
    cpu_before, wall_before = _cpu(processes), time.monotonic()
    load_before = os.getloadavg()[0]
    sent = senders.send(server.publish_url, plan, warmup, measured, rate)
    expected = sum(len(connected.intersection(out.chat.members)) for out in plan[warmup:])
    _drain(pool, expected)
    cpu_after, wall = _cpu(processes), time.monotonic() - wall_before
    pool.record(False)
    deliveries, closed = pool.collect()

    returned = {s.message_id: s.returned_ns for s in sent}
    latencies = [
        (received - returned[message_id]) / NS_PER_MS
        for _, message_id, received in deliveries
        if message_id in returned
    ]
    unique = {(user_id, message_id) for user_id, message_id, _ in deliveries}
    first_sent = min(returned.values())
    last_received = max(received for _, _, received in deliveries)
    return {
        "messages": measured,
        "deliveries": len(deliveries),
        "expected_deliveries": expected,
        "missing": expected - len(unique),
        "duplicates": len(deliveries) - len(unique),
        "latency": _summary(latencies),
        "send_call": _summary([s.call_ms for s in sent]),
        "sender_late_max_ms": round(max(s.late_ms for s in sent), 3),
        "sent_per_s": round(measured / ((max(returned.values()) - first_sent) / 1e9), 1),
        "deliveries_per_s": round(len(deliveries) / ((last_received - first_sent) / 1e9)),
        # Cores busy while sending and draining, by process group.
        "cpu_cores": {
            group: round(
                sum(cpu_after[p] - cpu_before[p] for p in pids if p in cpu_after) / wall, 3
            )
            for group, pids in processes.items()
        },
        # Anything else running on the machine shows here.
        "load_average_1m": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "closed_by_server": closed,
    }


def _drain(pool: ClientPool, expected: int) -> None:
    """Wait until every expected delivery arrived, or nothing more arrives for 3 s."""
    deadline = time.monotonic() + DRAIN_TIMEOUT_S
    seen, quiet_since = -1, time.monotonic()
    while time.monotonic() < deadline:
        count = pool.count()
        if count >= expected:
            return
        if count != seen:
            seen, quiet_since = count, time.monotonic()
        elif time.monotonic() - quiet_since > 3:
            return
        time.sleep(0.1)


def _catch_up(server: Server, population: Population, missed: int) -> dict[str, Any]:
    """A member misses ``missed`` messages of a group, then reconnects and resumes.

    As many messages to other chats are interleaved, so the resume has to pick
    this member's events out of a busy outbox. Reports how long until all
    arrived, and whether each arrived once and in order.
    """
    from chat_app.services import message_send

    chat = population.groups[0]
    reader, writer = chat.members[1], chat.members[0]
    others = [c for c in population.groups[1:] + population.directs if reader not in c.members]
    token = _token(reader)
    resume_from = asyncio.run(_connect_once(server.ws_url, reader, token))

    rng = random.Random(5)
    wanted = []
    for i in range(missed):
        for target, sender in ((chat, writer), (other := rng.choice(others), other.members[0])):
            sent = message_send.send_message(
                user_id=sender,
                chat_id=target.chat_id,
                body=f"while away {i}",
                client_msg_id=uuid.uuid4().hex,
            )
            if target is chat:
                wanted.append(sent.message_id)
    result = asyncio.run(_resume(server.ws_url, reader, token, resume_from, wanted))
    return {"missed": missed, "other_events_interleaved": missed, **result}


async def _connect_once(url: str, user_id: int, token: str) -> int:
    """Connect and leave; returns ``ready``'s ``last_event_id`` (where a client resumes from)."""
    socket = await Socket.open(url, user_id, token)
    await socket.ws.close()
    return socket.ready_id


async def _resume(
    url: str, user_id: int, token: str, resume_from: int, wanted: list[int]
) -> dict[str, Any]:
    """Reconnect, resume from ``resume_from`` and read until every wanted message arrived."""
    started = time.monotonic()
    socket = await Socket.open(url, user_id, token)
    connected = time.monotonic()
    await socket.ws.send(json.dumps({"type": "resume", "last_event_id": resume_from}))
    resumed = time.monotonic()
    remaining = set(wanted)
    received: list[tuple[int, int]] = []  # (event id, message id)
    completed: float | None = None

    async def read() -> None:
        nonlocal completed
        async for _, frame in socket.events():
            if frame["kind"] != EventKind.MESSAGE_CREATED:
                continue  # presence and the like
            received.append((frame["id"], frame["data"]["message_id"]))
            remaining.discard(frame["data"]["message_id"])
            if not remaining and completed is None:
                completed = time.monotonic()

    reader = asyncio.create_task(read())
    deadline = time.monotonic() + DRAIN_TIMEOUT_S
    while remaining and not reader.done() and time.monotonic() < deadline:
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.5)  # anything sent twice or not meant for this client shows up now
    reader.cancel()
    with contextlib.suppress(asyncio.CancelledError, ConnectionClosed):
        await reader
    await socket.ws.close()

    message_ids = [message_id for _, message_id in received]
    event_ids = [event_id for event_id, _ in received]
    return {
        "received": len(received),
        "missing": len(remaining),
        "duplicates": len(message_ids) - len(set(message_ids)),
        "unexpected": len(set(message_ids) - set(wanted)),
        "in_order": event_ids == sorted(event_ids),
        "seconds_connect_to_ready": round(connected - started, 4),
        "seconds_resume_to_all": None if completed is None else round(completed - resumed, 4),
        "seconds_connect_to_all": None if completed is None else round(completed - started, 4),
        "events_per_s": None if completed is None else round(len(wanted) / (completed - resumed)),
    }


def _many_idle(server: Server, pool: ClientPool, people: list[tuple[int, str]]) -> dict[str, Any]:
    """Thousands of idle sockets on one instance: do they all get in, how fast, at what cost."""
    memory = _idle_memory(server, pool, people)
    memory.pop("ready_user_ids")
    memory["all_authenticated"] = memory["authenticated"] == len(people)
    memory["closed_by_server"] = pool.collect()[1]
    return memory


# --- the run --------------------------------------------------------------------------------


def _machine() -> dict[str, Any]:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    with database.get_engine().connect() as connection:
        postgres = connection.execute(text("SHOW server_version")).scalar_one()
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "python": platform.python_version(),
        "postgres": postgres,
        "websockets": websockets.__version__,
        "uvicorn": uvicorn.__version__,
        "fd_limit": resource.getrlimit(resource.RLIMIT_NOFILE)[0],
    }


def _raise_fd_limit(needed: int) -> int:
    """Raise the soft descriptor limit to the hard one; the servers started later inherit it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    limit = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    if limit != resource.RLIM_INFINITY and limit < needed:
        print(f"warning: {needed} sockets need more descriptors than {limit}", file=sys.stderr)
    return limit


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=1000, help="connected clients")
    parser.add_argument("--group-size", type=int, default=10, help="members per group chat")
    parser.add_argument(
        "--rate", type=float, nargs="+", default=[100, 250, 500], help="messages sent per second"
    )
    parser.add_argument("--seconds", type=float, default=20, help="how long to send, per rate")
    parser.add_argument("--idle", type=int, default=10_000, help="idle sockets on one instance")
    parser.add_argument("--catch-up", type=int, default=1000, help="events missed, then resumed")
    parser.add_argument("--client-procs", type=int, default=2, help="client processes")
    parser.add_argument("--sender-procs", type=int, default=4, help="sending processes")
    parser.add_argument("--wait-quiet", type=float, default=0, metavar="SECONDS")
    parser.add_argument("--quick", action="store_true", help="a smoke run; writes nothing")
    args = parser.parse_args()
    if args.quick:
        args.clients, args.rate, args.seconds = 200, [100], 3
        args.idle, args.catch_up = 1000, 200
    return args


def _print_table(result: dict[str, Any]) -> None:
    """The readable summary, on stderr: stdout carries only the JSON object."""
    out = sys.stderr
    p = result["parameters"]
    print(
        f"\nDelivery: {p['clients']:,} clients, groups of {p['group_size']} and "
        f"{p['direct_chats']} direct chats, {p['seconds_per_rate']:g} s per rate "
        f"(acks {'on' if p['acks'] else 'off'})",
        file=out,
    )
    print(
        f"{'':32}{'p50':>9}{'p95':>9}{'p99':>9}{'max':>9}"
        f"{'sent/s':>8}{'deliveries/s':>14}{'missing':>9}",
        file=out,
    )
    for run in result["delivery"]:
        ours, base = run["ours"], run["baseline"]
        rows = (
            ("ours, commit -> socket", ours["latency"], ours),
            ("baseline, send -> socket", base["latency"], base),
            ("ours, send_message call", ours["send_call"], None),
        )
        print(f"at {run['rate_per_s']:g} messages/s offered", file=out)
        for label, lat, figures in rows:
            line = (
                f"  {label:30}{lat['p50_ms']:>7.2f}ms{lat['p95_ms']:>7.2f}ms"
                f"{lat['p99_ms']:>7.2f}ms{lat['max_ms']:>7.1f}ms"
            )
            if figures is not None:
                line += (
                    f"{figures['sent_per_s']:>8g}{figures['deliveries_per_s']:>14,}"
                    f"{figures['missing']:>9}"
                )
            print(line, file=out)
        ratio = run["ratio_ours_over_baseline"]
        print(
            f"  {'ratio ours/baseline':30}{ratio['p50']:>8}x{ratio['p95']:>8}x{ratio['p99']:>8}x",
            file=out,
        )
        for label, figures in (("ours", ours), ("baseline", base)):
            busy = ", ".join(
                f"{group} {cores:.2f}" for group, cores in figures["cpu_cores"].items()
            )
            print(f"  cores busy, {label}: {busy}", file=out)
    memory = result["idle_memory"]
    print(
        f"\nIdle sockets: {memory['ours']['connections']:,} add "
        f"{memory['ours']['bytes_per_connection'] / 1024:.1f} KiB each to the service "
        f"(baseline {memory['baseline']['bytes_per_connection'] / 1024:.1f} KiB)",
        file=out,
    )
    many = result["idle_many"]
    print(
        f"{many['connections']:,} idle sockets on one instance: {many['authenticated']:,} "
        f"authenticated in {many['connect_seconds']} s ({many['connections_per_s']:,}/s), "
        f"{many['bytes_per_connection'] / 1024:.1f} KiB each, "
        f"RSS {many['rss_after_bytes'] / 2**20:.0f} MiB",
        file=out,
    )
    catch = result["catch_up"]
    print(
        f"\nCatch-up: {catch['missed']:,} missed events resumed in "
        f"{catch['seconds_resume_to_all']} s "
        f"({catch['seconds_connect_to_all']} s from connecting); "
        f"missing {catch['missing']}, duplicated {catch['duplicates']}, "
        f"unexpected {catch['unexpected']}, in order: {catch['in_order']}",
        file=out,
    )


def _ratio(ours: dict[str, Any], base: dict[str, Any]) -> dict[str, float]:
    return {
        key: round(ours["latency"][f"{key}_ms"] / base["latency"][f"{key}_ms"], 1)
        for key in ("p50", "p95", "p99")
    }


def main() -> None:
    args = _arguments()
    users = max(args.clients, args.idle)
    _raise_fd_limit(users + 1000)
    # One signing key for this process's tokens and the servers it starts.
    os.environ["JWT_SECRET"] = secrets.token_urlsafe(48)
    direct_chats = args.clients // 4

    with (
        scratch_database("bench_realtime") as (database_url, _),
        tempfile.TemporaryDirectory(prefix="bench_realtime_") as logs,
        workers(ClientPool, args.client_procs) as pool,
        workers(SenderPool, args.sender_procs) as senders,
    ):
        population = _seed(users, args.clients, args.group_size, direct_chats)
        people = [(user_id, _token(user_id)) for user_id in population.user_ids]
        online = people[: args.clients]
        _wait_for_quiet(args.wait_quiet)
        load_before = os.getloadavg()[0]

        def deliveries(server: Server) -> tuple[dict[str, Any], list[dict[str, Any]]]:
            memory = _idle_memory(server, pool, online)
            connected = memory.pop("ready_user_ids")
            by_rate = [
                _delivery(server, pool, senders, population, connected, rate, args.seconds)
                for rate in args.rate
            ]
            pool.close_sockets()
            return memory, by_rate

        # The floor: the same sockets, fan-out and rates, no database.
        with baseline_server() as server:
            base_memory, base = deliveries(server)

        with realtime_service(database_url, Path(logs)) as server:
            our_memory, ours = deliveries(server)
            catch_up = _catch_up(server, population, args.catch_up)

        # A fresh instance, so the memory figure is the sockets' alone.
        with realtime_service(database_url, Path(logs)) as server:
            many = _many_idle(server, pool, people[: args.idle])
            pool.close_sockets()

        machine = _machine()
        machine["load_average_1m"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]

    details = {
        "parameters": {
            "clients": args.clients,
            "users": users,
            "group_size": args.group_size,
            "groups": len(population.groups),
            "direct_chats": direct_chats,
            "direct_message_share": DIRECT_SHARE,
            "rates_per_s": args.rate,
            "seconds_per_rate": args.seconds,
            "warmup_seconds": WARMUP_S,
            "sender_processes": args.sender_procs,
            "client_processes": args.client_procs,
            "acks": ACKS,
            "ack_every_events": ACK_EVERY_EVENTS,
            "ack_every_s": ACK_EVERY_S,
            "idle": args.idle,
            "catch_up": args.catch_up,
        },
        "delivery": [
            {
                "rate_per_s": rate,
                "sustained": _sustained(rate, our_figures),
                "ours": our_figures,
                "baseline": base_figures,
                "ratio_ours_over_baseline": _ratio(our_figures, base_figures),
            }
            for rate, our_figures, base_figures in zip(args.rate, ours, base, strict=True)
        ],
        "idle_memory": {"ours": our_memory, "baseline": base_memory},
        "idle_many": many,
        "catch_up": catch_up,
    }
    result = _headline(details)
    result.update(
        {
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "code_version": _code_version(),
            "machine": machine,
            "details": details,
        }
    )
    _print_table(details)
    text_out = json.dumps(result, indent=2)
    print(text_out)
    if not args.quick:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(text_out + "\n")
        print(f"wrote {RESULTS.relative_to(ROOT)}", file=sys.stderr)


def _sustained(rate: float, figures: dict[str, Any]) -> bool:
    """The sends kept up with ``rate`` and every delivery arrived, none to a closed socket."""
    return (
        figures["sent_per_s"] >= SUSTAINED_SHARE * rate
        and figures["missing"] == 0
        and not figures["closed_by_server"]
    )


def _latency_triple(figures: dict[str, Any]) -> dict[str, float]:
    return {key: figures["latency"][key] for key in ("p50_ms", "p95_ms", "p99_ms")}


def _headline(details: dict[str, Any]) -> dict[str, Any]:
    """The issue's required keys, from the highest offered rate the run sustained.

    When no rate was sustained the lowest one stands in, and ``headline``
    says so. Memory per idle socket and the idle count come from the run with
    the most idle sockets on one fresh instance.
    """
    runs = details["delivery"]
    sustained = [run for run in runs if run["sustained"]]
    chosen = max(sustained, key=lambda run: run["rate_per_s"]) if sustained else runs[0]
    ours, base = chosen["ours"], chosen["baseline"]
    many = details["idle_many"]
    at_target = next(
        (run for run in runs if run["rate_per_s"] == TARGETS["at_rate_msgs_per_s"]), None
    )
    details["headline"] = {
        "rate_msgs_per_s": chosen["rate_per_s"],
        "rule": f"highest offered rate with sends >= {SUSTAINED_SHARE:.0%} of it and "
        "no delivery missing",
        "sustained": chosen["sustained"],
    }
    details["targets"] = TARGETS
    details["meets_targets"] = {
        "p99_at_target_rate": at_target is not None
        and at_target["sustained"]
        and details["parameters"]["clients"] >= TARGETS["clients"]
        and at_target["ours"]["latency"]["p99_ms"] < TARGETS["p99_ms"],
        "bytes_per_idle_connection": many["bytes_per_connection"]
        < TARGETS["bytes_per_idle_connection"],
        "idle_connections": many["authenticated"] >= TARGETS["idle_connections"],
    }
    return {
        "clients": details["parameters"]["clients"],
        "rate_msgs_per_s": chosen["rate_per_s"],
        "metrics": {
            "delivery": _latency_triple(ours),
            "throughput_msgs_per_s": ours["sent_per_s"],
            "bytes_per_idle_connection": many["bytes_per_connection"],
            "max_idle_connections": many["authenticated"],
        },
        "baseline": {
            "delivery": _latency_triple(base),
            "throughput_msgs_per_s": base["sent_per_s"],
        },
        "ratio_p99": round(ours["latency"]["p99_ms"] / base["latency"]["p99_ms"], 2),
    }


if __name__ == "__main__":
    main()
