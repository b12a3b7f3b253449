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
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import partial
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


def http_status(url: str, timeout: float = 5) -> int:
    """The status a GET answers with; 0 when nothing answers at all."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def wait_until_answers(url: str, process: subprocess.Popen, log_path: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not answers(url):
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer:\n{log_path.read_text()[-4000:]}")
        time.sleep(0.2)


class Service:
    """One long-running process of ours: started in its own process group, ready
    when ``ready`` (a URL answering 200, or a check) says so, stopped or killed
    with everything it forked. Starting again reuses the same command and port,
    as a restart policy would."""

    def __init__(
        self,
        name: str,
        command: Sequence[str],
        env: Mapping[str, str],
        ready: str | Callable[[], bool],
        log_path: Path,
        start_timeout: float = 60,
        port: int | None = None,
    ) -> None:
        self.name = name
        self.command = list(command)
        self.env = {**os.environ, **env}
        self.ready = ready if callable(ready) else partial(answers, ready)
        self.log_path = log_path
        self.start_timeout = start_timeout
        self.port = port
        self._process: subprocess.Popen | None = None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self.running and self._process else None

    def spawn(self) -> None:
        """Start without waiting (several services can come up side by side)."""
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(
                self.command,
                cwd=PROJECT_ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_ready(self) -> None:
        self.wait_until(self.ready, self.start_timeout, "did not become ready")

    def start(self) -> None:
        self.spawn()
        self.wait_ready()

    def wait_until(self, condition: Callable[[], bool], timeout: float, what: str = "") -> None:
        """Until ``condition()`` holds; fails at once, with the log, if the process exits."""
        deadline = time.monotonic() + timeout
        while not condition():
            if not self.running or time.monotonic() > deadline:
                state = "is running" if self.running else "exited"
                raise RuntimeError(
                    f"{self.name} {what or 'never got there'} ({state}):\n"
                    f"{self.log_path.read_text(errors='replace')[-4000:]}"
                )
            time.sleep(0.2)

    def wait_until_answers(self, url: str, timeout: float) -> None:
        self.wait_until(partial(answers, url), timeout, f"did not answer on {url}")

    def kill(self) -> None:
        """Die at once, as a crashed instance does: sockets drop without a close frame."""
        if self._process is not None and self._process.poll() is None:
            os.killpg(self._process.pid, signal.SIGKILL)
            self._process.wait(timeout=10)

    def stop(self) -> None:
        if self._process is not None:
            stop(self._process)


class RealtimeProcess(Service):
    """``python -m chat_app.realtime`` on a free port, as production runs it.

    Stopping and starting again keeps the port, so browsers reconnect to the
    same address, as they would to a restarted instance behind the proxy.
    """

    def __init__(
        self,
        database_url: str,
        log_path: Path,
        env: Mapping[str, str] | None = None,
        name: str = "realtime",
    ) -> None:
        port = free_port()
        self.url = f"ws://127.0.0.1:{port}/realtime"
        super().__init__(
            name,
            [sys.executable, "-m", "chat_app.realtime"],
            {
                **(env or {}),
                "DATABASE_URL": database_url,
                "REALTIME_HOST": "127.0.0.1",
                "REALTIME_PORT": str(port),
            },
            ready=f"http://127.0.0.1:{port}/health",
            log_path=log_path,
            port=port,
        )


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
        # Its own states folder: reflex run empties the folder it uses when it starts.
        "REFLEX_STATES_WORKDIR": str(log_path.parent / "states"),
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
