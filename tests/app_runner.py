"""Running the app as production does, on free loopback ports, for tests and benchmarks.

``reflex run --env prod`` serves the built frontend and the backend on one
port. The process group is stopped on exit, granian workers included. The
realtime service is either the app's own child (the development default) or
a :class:`RealtimeProcess` the caller controls, which tests stop and restart.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from chat_app.settings import PROJECT_ROOT

START_TIMEOUT_S = 600
# Flags for the system Chromium on a machine with no outside network and no sandbox.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def chromium_executable() -> str:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def wait_until_answers(url: str, process: subprocess.Popen, log_path: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not answers(url):
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer:\n{log_path.read_text()[-4000:]}")
        time.sleep(0.2)


class RealtimeProcess:
    """``python -m chat_app.realtime`` on a free port, as production runs it.

    Stopping and starting again keeps the port, so browsers reconnect to the
    same address, as they would to a restarted instance behind the proxy.
    """

    def __init__(self, database_url: str, log_path: Path) -> None:
        self.database_url = database_url
        self.log_path = log_path
        self.port = free_port()
        self.url = f"ws://127.0.0.1:{self.port}/realtime"
        self._process: subprocess.Popen | None = None

    def start(self) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "REALTIME_HOST": "127.0.0.1",
            "REALTIME_PORT": str(self.port),
        }
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "chat_app.realtime"],
                cwd=PROJECT_ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_until_answers(f"http://127.0.0.1:{self.port}/health", self._process, self.log_path, 60)

    def kill(self) -> None:
        """Die at once, as a crashed instance does: sockets drop without a close frame."""
        if self._process is not None and self._process.poll() is None:
            os.killpg(self._process.pid, signal.SIGKILL)
            self._process.wait(timeout=10)

    def stop(self) -> None:
        if self._process is not None:
            stop(self._process)


@contextmanager
def running_app(
    database_url: str, log_path: Path, realtime: RealtimeProcess | None = None
) -> Iterator[str]:
    """Start the app against ``database_url``; yields its base URL until the block ends.

    Without ``realtime`` the app starts its own realtime service on a free port.
    """
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    realtime_port = realtime.port if realtime else free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "FRONTEND_PORT": str(port),
        "BACKEND_PORT": str(port),
        "API_URL": base,
        "REFLEX_USE_SYSTEM_BUN": "1",
        "MIGRATE_ON_START": "false",
        "REALTIME_HOST": "127.0.0.1",
        "REALTIME_PORT": str(realtime_port),
        "REALTIME_URL": f"ws://127.0.0.1:{realtime_port}/realtime",
        "REALTIME_AUTOSTART": "false" if realtime else "true",
    }
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            ["reflex", "run", "--env", "prod", "--backend-host", "127.0.0.1"],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until_answers(f"{base}/ping", process, log_path, START_TIMEOUT_S)
        if realtime is None:
            health = f"http://127.0.0.1:{realtime_port}/health"
            wait_until_answers(health, process, log_path, 60)
        yield base
    finally:
        stop(process)
