"""Each process of the topology, started the way Compose starts it.

The commands are the ones ``docker-compose.yml`` runs; only the addresses
differ (free 127.0.0.1 ports instead of service names).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from chat_app.settings import PROJECT_ROOT, get_settings
from tests.app_runner import Service

CADDYFILE = PROJECT_ROOT / "Caddyfile"
EXPORT_DIR = PROJECT_ROOT / ".web" / "build" / "client"
EXPORT_TIMEOUT_S = 900
BACKEND_START_TIMEOUT_S = 180


def redis_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def redis_server(port: int, workdir: Path, logs: Path) -> Service:
    """Reflex's state manager: sessions only, so nothing is written to disk."""
    workdir.mkdir(parents=True, exist_ok=True)
    command = [
        shutil.which("redis-server") or "redis-server",
        *("--port", str(port), "--bind", "127.0.0.1", "--dir", str(workdir)),
        *("--save", "", "--appendonly", "no"),
    ]
    return Service(
        "redis",
        command,
        {},
        ready=lambda: redis_answers(port),
        log_path=logs / "redis.log",
        port=port,
    )


def backend(name: str, port: int, env: Mapping[str, str], workdir: Path, logs: Path) -> Service:
    """``reflex run --env prod --backend-only`` (granian), ready when ``/_health``
    finds the database and Redis.

    Each gets its own Reflex states folder, as each container has its own disk:
    a starting backend empties that folder, and two emptying one folder at once
    trip over each other's files."""
    command = [
        *("reflex", "run", "--env", "prod", "--backend-only"),
        *("--backend-host", "127.0.0.1", "--backend-port", str(port)),
    ]
    return Service(
        name,
        command,
        {**_backend_env(env, port), "REFLEX_STATES_WORKDIR": str(workdir / name / "states")},
        ready=f"http://127.0.0.1:{port}/_health",
        log_path=logs / f"{name}.log",
        start_timeout=BACKEND_START_TIMEOUT_S,
        port=port,
    )


def _backend_env(env: Mapping[str, str], port: int) -> dict[str, str]:
    """The reflex command line reads FRONTEND_PORT as ``--frontend-port``, which
    a backend-only run refuses."""
    backend_env = {**env, "BACKEND_PORT": str(port)}
    backend_env.pop("FRONTEND_PORT", None)
    return backend_env


def upstreams(ports: Sequence[int]) -> str:
    return " ".join(f"127.0.0.1:{port}" for port in ports)


def caddy_settings(
    port: int, frontend_root: Path, backend_ports: Sequence[int], realtime_ports: Sequence[int]
) -> dict[str, str]:
    """The Caddyfile's placeholders on loopback (Compose sets the same ones)."""
    return {
        "SITE_ADDRESS": f"http://127.0.0.1:{port}",
        "FRONTEND_ROOT": str(frontend_root),
        "BACKEND_UPSTREAMS": upstreams(backend_ports),
        "REALTIME_UPSTREAMS": upstreams(realtime_ports),
        # The backends' setting, so Caddy's cap on uploads matches their guard.
        "MAX_UPLOAD_BYTES": str(get_settings().max_upload_bytes),
    }


def caddy_home(workdir: Path) -> dict[str, str]:
    """Where Caddy keeps its state (certificates it will never need, the autosaved
    config): a folder of ours, not the user's home."""
    workdir.mkdir(parents=True, exist_ok=True)
    return {
        "HOME": str(workdir),
        "XDG_DATA_HOME": str(workdir / "data"),
        "XDG_CONFIG_HOME": str(workdir / "config"),
    }


def caddy_command(subcommand: str) -> list[str]:
    return [
        shutil.which("caddy") or "caddy",
        *(subcommand, "--config", str(CADDYFILE), "--adapter", "caddyfile"),
    ]


def caddy(
    port: int,
    frontend_root: Path,
    backend_ports: Sequence[int],
    realtime_ports: Sequence[int],
    workdir: Path,
    logs: Path,
) -> Service:
    """The repository's Caddyfile with the loopback values."""
    env = {
        **caddy_home(workdir),
        **caddy_settings(port, frontend_root, backend_ports, realtime_ports),
    }
    return Service(
        "caddy",
        caddy_command("run"),
        env,
        ready=f"http://127.0.0.1:{port}/",
        log_path=logs / "caddy.log",
        port=port,
    )


def migrate_command() -> list[str]:
    """What the one-shot migrate job runs (its advisory lock makes repeats safe)."""
    return [sys.executable, "-m", "alembic", "upgrade", "head"]


def migrate(env: Mapping[str, str], logs: Path) -> None:
    _run("migrate", migrate_command(), env, logs / "migrate.log", timeout=300)


def export_frontend(env: Mapping[str, str], dest: Path, logs: Path) -> None:
    """``reflex export --frontend-only --no-zip``, copied out of ``.web`` so a later
    build in this checkout (the browser tests, a developer) cannot change it."""
    command = ["reflex", "export", "--frontend-only", "--no-zip"]
    _run("frontend export", command, env, logs / "export.log", timeout=EXPORT_TIMEOUT_S)
    shutil.copytree(EXPORT_DIR, dest, dirs_exist_ok=True)


def _run(
    what: str, command: Sequence[str], env: Mapping[str, str], log: Path, timeout: float
) -> None:
    with log.open("ab") as out:
        done = subprocess.run(
            command,
            cwd=PROJECT_ROOT,
            env=dict(env),
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=timeout,
        )
    if done.returncode != 0:
        raise RuntimeError(f"{what} failed:\n{log.read_text(errors='replace')[-4000:]}")
