"""The topology's PostgreSQL: an embedded server it owns, or DATABASE_URL's.

Only a server the stack started itself can be stopped and started again (the
failover tests restart it); one given by URL is used as it is.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path
from typing import Protocol

from chat_app.embedded_postgres import start_embedded_postgres

START_RETRY_S = 20


class Database(Protocol):
    url: str
    is_up: bool

    def restart(self, *, crash: bool = True) -> None: ...

    def down(self, *, crash: bool = True) -> None: ...

    def up(self) -> None: ...

    def close(self) -> None: ...


class GivenDatabase:
    """A server someone else runs: the stack migrates and uses it, nothing more."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_up = True

    def down(self, *, crash: bool = True) -> None:
        raise self._not_ours()

    def up(self) -> None:
        raise self._not_ours()

    def restart(self, *, crash: bool = True) -> None:
        raise self._not_ours()

    @staticmethod
    def _not_ours() -> RuntimeError:
        return RuntimeError("the stack did not start this PostgreSQL, so it cannot stop it")

    def close(self) -> None:
        """Not ours to stop."""


class EmbeddedDatabase:
    """pgserver in ``pgdata``, stopped when the stack stops.

    Its socket directory is derived from ``pgdata``, so after a restart the
    same URL reaches it and clients reconnect by themselves.
    """

    def __init__(self, pgdata: Path) -> None:
        self.pgdata = pgdata
        self.url = start_embedded_postgres(pgdata)
        import pgserver  # after start_embedded_postgres, which prepares its runtime folder

        self._server = pgserver.get_server(pgdata)
        self.is_up = True

    def down(self, *, crash: bool = True) -> None:
        """Stop the server; ``crash`` is an immediate stop (no checkpoint, recovery
        from the write-ahead log at the next start), as a killed machine leaves it."""
        import pgserver

        mode = "immediate" if crash else "fast"
        try:
            pgserver.pg_ctl(
                ["-w", "-m", mode, "stop"], pgdata=self.pgdata, user=self._server.system_user
            )
        except subprocess.CalledProcessError as error:
            if (self.pgdata / "postmaster.pid").exists():
                log = (self.pgdata / "log").read_text(errors="replace")[-3000:]
                raise RuntimeError(f"PostgreSQL did not stop:\n{log}") from error
        self.is_up = False

    def up(self) -> None:
        """Start again; retried for a while, since after an immediate stop the old
        server's processes may still hold its shared memory for a moment."""
        deadline = time.monotonic() + START_RETRY_S
        while True:
            try:
                self._server.ensure_postgres_running()
            except subprocess.CalledProcessError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
            else:
                break
        self.is_up = True

    def restart(self, *, crash: bool = True) -> None:
        self.down(crash=crash)
        self.up()

    def close(self) -> None:
        self._server.cleanup()
