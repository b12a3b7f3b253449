"""In development the backend starts the realtime service beside itself and takes it down
with it, however it ends. The backend is played by a small process entering the same
lifespan task Reflex enters; the service it starts is the real one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager

from tests.app_runner import answers, free_port

BACKEND = textwrap.dedent(
    """
    import asyncio, sys
    from chat_app.realtime_launcher import realtime_beside_backend

    async def main():
        async with realtime_beside_backend():
            print("serving", flush=True)
            await asyncio.to_thread(sys.stdin.readline)

    asyncio.run(main())
    """
)


@contextmanager
def backend(database_url: str, port: int, autostart: str) -> Iterator[subprocess.Popen[str]]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REALTIME_HOST": "127.0.0.1",
        "REALTIME_PORT": str(port),
        "REALTIME_AUTOSTART": autostart,
    }
    process = subprocess.Popen(
        [sys.executable, "-c", BACKEND],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "serving"
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def health(port: int) -> str:
    return f"http://127.0.0.1:{port}/health"


def eventually(check, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def test_the_service_runs_while_the_backend_runs_and_stops_with_it(database_url: str) -> None:
    port = free_port()
    with backend(database_url, port, "true") as process:
        assert eventually(lambda: answers(health(port)))
        assert process.stdin is not None
        process.stdin.write("stop\n")
        process.stdin.flush()
        process.wait(timeout=20)
    assert not answers(health(port))


def test_a_killed_backend_takes_the_service_with_it(database_url: str) -> None:
    port = free_port()
    with backend(database_url, port, "true") as process:
        assert eventually(lambda: answers(health(port)))
        os.kill(process.pid, signal.SIGKILL)
        assert eventually(lambda: not answers(health(port))), "the service outlived its backend"


def test_production_starts_no_service_beside_the_backend(database_url: str) -> None:
    port = free_port()
    with backend(database_url, port, "false"):
        time.sleep(2)
        assert not answers(health(port))
