"""A throw-away database for a benchmark: created, migrated, pointed at, dropped.

Uses the server of DATABASE_URL when set, otherwise the embedded one
(``chat_app.database.database_url()``). The database is dropped on the way
out, also when the benchmark fails or is interrupted (Ctrl-C or SIGTERM).
"""

from __future__ import annotations

import os
import signal
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from chat_app import database, settings  # noqa: E402
from chat_app.migrations import upgrade_to_head  # noqa: E402


def _exit_on_sigterm(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


@contextmanager
def scratch_database(prefix: str = "bench") -> Iterator[tuple[str, str]]:
    """Yield (SQLAlchemy URL, libpq DSN) of a fresh migrated database the app now uses."""
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    server_url = database.database_url()
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server_url).set(database=name)
    try:
        os.environ["DATABASE_URL"] = url.render_as_string(hide_password=False)
        for cached in (settings.get_settings, database.database_url, database.get_engine):
            cached.cache_clear()
        upgrade_to_head(url.render_as_string(hide_password=False))
        dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        yield url.render_as_string(hide_password=False), dsn
    finally:
        database.get_engine().dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
