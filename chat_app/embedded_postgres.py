"""A PostgreSQL server shipped as a Python package, for when DATABASE_URL is unset.

A fresh checkout then needs no database installation: the first process that
asks starts the server in the data folder, later processes (Reflex's backend
workers, alembic, the tests) attach to it, and it stops when the last of them
exits.
"""

from __future__ import annotations

import os
from pathlib import Path

from chat_app.settings import normalize_database_url


def _ensure_runtime_dir(data_dir: Path) -> None:
    """pgserver keeps its lock files in XDG_RUNTIME_DIR, which must be private (0700)."""
    if os.environ.get("XDG_RUNTIME_DIR"):
        return
    runtime = data_dir / "run"
    runtime.mkdir(parents=True, exist_ok=True)
    runtime.chmod(0o700)
    os.environ["XDG_RUNTIME_DIR"] = str(runtime)


def start_embedded_postgres(pgdata: Path, *, database: str = "postgres") -> str:
    """Start (or attach to) the server in ``pgdata`` and return a psycopg2 URL."""
    pgdata.mkdir(parents=True, exist_ok=True)
    _ensure_runtime_dir(pgdata.parent)
    import pgserver  # imported late: it reads XDG_RUNTIME_DIR at import time

    server = pgserver.get_server(pgdata, cleanup_mode="stop")
    return normalize_database_url("embedded PostgreSQL", server.get_uri(database))
