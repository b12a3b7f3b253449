"""Running the app as production does, on a free loopback port, for tests and benchmarks.

``reflex run --env prod`` serves the built frontend and the backend on one
port. The process group is stopped on exit, granian workers included.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
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


@contextmanager
def running_app(database_url: str, log_path: Path) -> Iterator[str]:
    """Start the app against ``database_url``; yields its base URL until the block ends."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "FRONTEND_PORT": str(port),
        "BACKEND_PORT": str(port),
        "API_URL": base,
        "REFLEX_USE_SYSTEM_BUN": "1",
        "MIGRATE_ON_START": "false",
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
        deadline = time.monotonic() + START_TIMEOUT_S
        while not answers(f"{base}/ping"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the app did not start:\n{log_path.read_text()[-4000:]}")
            time.sleep(1)
        yield base
    finally:
        stop(process)
