"""A real realtime service on a free loopback port, and real websocket clients.

The service runs in this process (uvicorn in a thread, its own event loop)
against the run's test database, with tighter timings than production so
the tests stay quick. It is started per test because ``db`` restarts the
event ids after every test. :class:`RealtimeChild` runs one in a process of
its own, for the tests that kill an instance outright.

Presence events arrive whenever someone who shares a chat connects or leaves;
the frame helpers skip them unless a test asks for them.
"""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from sqlalchemy import Engine
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from chat_app.database import get_engine
from chat_app.realtime.limits import Limits
from chat_app.realtime.server import server_config
from chat_app.settings import PROJECT_ROOT
from tests.app_runner import answers, free_port, wait_until_answers
from tests.chat_factories import scalar
from tests.factories import make_token

# The auth deadline is short so the test of a silent socket is quick, but not so
# short that a busy shared machine (CI once took over a second to pass on a
# client's first frame) closes a socket that did send its auth frame.
TEST_LIMITS = Limits(auth_timeout_s=3.0, prune_interval_s=0.2, gap_timeout_s=1.0)
# Heartbeats and sweeps fast enough that a dead instance is noticed within seconds.
PRESENCE_LIMITS = dataclasses.replace(
    TEST_LIMITS, heartbeat_interval_s=0.2, presence_ttl_s=2.0, offline_grace_s=0.3
)

Frame = dict[str, Any]


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

    @property
    def hub(self) -> Any:
        return self._app.state.hub

    def healthy(self) -> bool:
        return answers(f"{self.base}/health")

    @property
    def instance_id(self) -> str:
        return self._app.state.hub.presence.instance_id


# The child's whole program: the service as ``python -m chat_app.realtime`` runs it,
# with the limits the test chose (argv: port, limits as JSON).
_CHILD = textwrap.dedent(
    """
    import json, sys, uvicorn
    from chat_app.realtime.limits import Limits
    from chat_app.realtime.server import server_config

    limits = Limits(**json.loads(sys.argv[2]))
    uvicorn.Server(server_config("127.0.0.1", int(sys.argv[1]), limits)).run()
    """
)


class RealtimeChild:
    """The service in a process of its own, so a test can kill it as a crash would:
    no shutdown, no cleanup, sockets dropped without a close frame."""

    def __init__(self, limits: Limits, log_path: Path) -> None:
        self.limits = limits
        self.log_path = log_path
        self.port = free_port()
        self.ws_url = f"ws://127.0.0.1:{self.port}/realtime"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        argv = [str(self.port), json.dumps(dataclasses.asdict(self.limits))]
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(
                [sys.executable, "-c", _CHILD, *argv],
                cwd=PROJECT_ROOT,
                env=dict(os.environ),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        health = f"http://127.0.0.1:{self.port}/health"
        wait_until_answers(health, self._process, self.log_path, 60)

    def kill(self) -> None:
        if self._process is not None and self._process.poll() is None:
            os.killpg(self._process.pid, signal.SIGKILL)
            self._process.wait(timeout=10)


@contextmanager
def running(*servers: RealtimeServer) -> Iterator[None]:
    try:
        for server in servers:
            server.start()
        yield
    finally:
        for server in servers:
            server.stop()


@pytest.fixture
def realtime(db: Engine) -> Iterator[RealtimeServer]:
    server = RealtimeServer()
    with running(server):
        yield server


@pytest.fixture
def two_realtimes(db: Engine) -> Iterator[tuple[RealtimeServer, RealtimeServer]]:
    """Two instances on one database, beating and sweeping fast."""
    servers = (RealtimeServer(PRESENCE_LIMITS), RealtimeServer(PRESENCE_LIMITS))
    with running(*servers):
        yield servers


@pytest.fixture
def realtime_child(db: Engine, tmp_path: Path) -> Iterator[RealtimeChild]:
    child = RealtimeChild(PRESENCE_LIMITS, tmp_path / "realtime-child.log")
    child.start()
    yield child
    child.kill()


def token_for(user_id: int, *, now: float | None = None) -> str:
    """A token of a fresh session of this person, as signing in issues."""
    return make_token(get_engine(), user_id, now=now)


def open_socket(
    server: RealtimeServer | RealtimeChild, headers: dict[str, str] | None = None
) -> ClientConnection:
    return connect(
        server.ws_url,
        compression=None,
        open_timeout=5,
        close_timeout=2,
        additional_headers=headers,
    )


def is_presence(frame: Frame) -> bool:
    return frame.get("type") == "event" and frame.get("kind") == "presence"


def _next_frame(ws: ClientConnection, timeout: float, wanted: Callable[[Frame], bool]) -> Frame:
    """The next frame ``wanted`` accepts, dropping the others; TimeoutError when none comes."""
    deadline = time.monotonic() + timeout
    while True:
        frame = json.loads(ws.recv(timeout=max(0.01, deadline - time.monotonic())))
        if wanted(frame):
            return frame


def receive(ws: ClientConnection, timeout: float = 5.0) -> Frame:
    """The next frame that is not a presence event."""
    return _next_frame(ws, timeout, lambda frame: not is_presence(frame))


def next_presence(ws: ClientConnection, timeout: float = 5.0) -> Frame:
    """The next presence event (other frames are dropped)."""
    return _next_frame(ws, timeout, is_presence)


@contextmanager
def sign_in(
    server: RealtimeServer | RealtimeChild, user_id: int, token: str | None = None
) -> Iterator[tuple[ClientConnection, dict[str, Any]]]:
    """An authenticated socket and its ``ready`` frame, closed when the block ends."""
    with open_socket(server) as ws:
        ws.send(json.dumps({"type": "auth", "token": token or token_for(user_id)}))
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


def nothing_arrives(ws: ClientConnection, wait: float = 0.6, *, presence: bool = False) -> bool:
    """No frame for ``wait`` seconds; presence events count only with ``presence``."""
    try:
        frame = _next_frame(ws, wait, lambda frame: presence or not is_presence(frame))
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
