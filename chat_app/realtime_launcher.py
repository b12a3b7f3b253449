"""Development convenience: the realtime service as a child of the Reflex backend.

``reflex run`` on a fresh machine should give a fully live app, but the
realtime service is its own process (production runs it separately, several
times). So in development the backend starts one beside itself and stops it
when it stops; the child also dies with the backend if that is killed
outright (Linux's parent-death signal), so no orphan keeps the port.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
import os
import signal
import subprocess
import sys
import urllib.request
from collections.abc import AsyncIterator

from chat_app.database import database_url
from chat_app.settings import PROJECT_ROOT, get_settings

log = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1
STOP_TIMEOUT_S = 10.0
# Loaded here, not in the forked child, which must not import or allocate before exec.
_LIBC = ctypes.CDLL(None, use_errno=True)


def _die_with_parent() -> None:
    """Runs in the child before exec: SIGTERM it when the backend process dies."""
    _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _already_serving(host: str, port: int) -> bool:
    """Another backend worker (or a service started by hand) already owns the port."""
    probe_host = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    try:
        with urllib.request.urlopen(f"http://{probe_host}:{port}/health", timeout=1) as answer:
            return answer.status == 200
    except OSError:
        return False


@contextlib.asynccontextmanager
async def realtime_beside_backend() -> AsyncIterator[None]:
    """A Reflex lifespan task: run ``python -m chat_app.realtime`` while the backend runs."""
    settings = get_settings()
    if not settings.realtime_autostart:
        yield
        return
    if await asyncio.to_thread(_already_serving, settings.realtime_host, settings.realtime_port):
        log.info("realtime service already answers on port %s", settings.realtime_port)
        yield
        return
    # The child uses the very database the backend uses (the embedded one included).
    env = {**os.environ, "DATABASE_URL": database_url()}
    child = subprocess.Popen(
        # Its own address is not one to open, so it reports only problems.
        [sys.executable, "-m", "chat_app.realtime", "--log-level", "warning"],
        cwd=PROJECT_ROOT,
        env=env,
        preexec_fn=_die_with_parent,
    )
    log.info("started the realtime service (pid %s) on port %s", child.pid, settings.realtime_port)
    try:
        yield
    finally:
        await asyncio.to_thread(_stop, child)


def _stop(child: subprocess.Popen[bytes]) -> None:
    if child.poll() is not None:
        return
    child.terminate()
    try:
        child.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
