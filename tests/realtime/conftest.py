"""A real realtime service on a free loopback port, and real websocket clients.

The service runs in this process (uvicorn in a thread, its own event loop)
against the run's test database, with tighter timings than production so
the tests stay quick. It is started per test because ``db`` restarts the
event ids after every test.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import uvicorn
from sqlalchemy import Engine
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from chat_app import tokens
from chat_app.realtime.limits import Limits
from chat_app.realtime.server import server_config
from tests.app_runner import answers, free_port
from tests.chat_factories import scalar

TEST_LIMITS = Limits(auth_timeout_s=1.0, prune_interval_s=0.2, gap_timeout_s=1.0)


class RealtimeServer:
    """Start, stop and start again on the same port (a restart keeps the address)."""

    def __init__(self, limits: Limits = TEST_LIMITS) -> None:
        self.limits = limits
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.ws_url = f"ws://127.0.0.1:{self.port}/realtime"
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._app: Any = None

    def start(self) -> None:
        config = server_config("127.0.0.1", self.port, self.limits)
        self._app = config.app
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, name="realtime-test-server", daemon=True)
        thread.start()
        deadline = time.monotonic() + 15
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the realtime service did not start")
            time.sleep(0.02)
        self._server, self._thread = server, thread

    def stop(self) -> None:
        if self._server is None or self._thread is None:
            return
        self._server.should_exit = True
        self._thread.join(timeout=15)
        self._server = self._thread = None

    def wait_caught_up(self, db: Engine, timeout: float = 5.0) -> None:
        """Until the service's cursor has passed every committed event."""
        latest = scalar(db, "SELECT COALESCE(MAX(id), 0) FROM events")
        deadline = time.monotonic() + timeout
        while self._app.state.hub.cursor < latest:
            assert time.monotonic() < deadline, "the service did not catch up"
            time.sleep(0.02)

    def healthy(self) -> bool:
        return answers(f"{self.base}/health")


@pytest.fixture
def realtime(db: Engine) -> Iterator[RealtimeServer]:
    server = RealtimeServer()
    server.start()
    yield server
    server.stop()


def token_for(user_id: int) -> str:
    return tokens.issue_token(user_id)


def open_socket(server: RealtimeServer) -> ClientConnection:
    return connect(server.ws_url, compression=None, open_timeout=5, close_timeout=2)


def receive(ws: ClientConnection, timeout: float = 5.0) -> dict[str, Any]:
    return json.loads(ws.recv(timeout=timeout))


@contextmanager
def sign_in(
    server: RealtimeServer, user_id: int
) -> Iterator[tuple[ClientConnection, dict[str, Any]]]:
    """An authenticated socket and its ``ready`` frame, closed when the block ends."""
    with open_socket(server) as ws:
        ws.send(json.dumps({"type": "auth", "token": token_for(user_id)}))
        ready = receive(ws)
        assert ready["type"] == "ready", ready
        assert ready["user_id"] == user_id
        yield ws, ready


def events_until(ws: ClientConnection, count: int, timeout: float = 5.0) -> list[dict[str, Any]]:
    """The next ``count`` event frames (failing if they do not come in time)."""
    found: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    while len(found) < count:
        frame = receive(ws, timeout=max(0.01, deadline - time.monotonic()))
        if frame["type"] == "event":
            found.append(frame)
    return found


def nothing_arrives(ws: ClientConnection, wait: float = 0.6) -> bool:
    try:
        frame = ws.recv(timeout=wait)
    except TimeoutError:
        return True
    raise AssertionError(f"unexpected frame {frame}")


def close_code(ws: ClientConnection, timeout: float = 5.0) -> tuple[int, str, list[str]]:
    """Read until the server closes; returns (code, reason, frames seen before it)."""
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    try:
        while True:
            seen.append(str(ws.recv(timeout=max(0.01, deadline - time.monotonic()))))
    except ConnectionClosed as closed:
        received = closed.rcvd
    assert received is not None, "closed without a close frame"
    return received.code, received.reason, seen
