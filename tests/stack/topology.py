"""The whole topology: started in dependency order, stopped in reverse, and the
levers the failover tests pull (kill or restart any process, restart
PostgreSQL, add a backend with its own database address)."""

from __future__ import annotations

import contextlib
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from tests.app_runner import RealtimeProcess, Service, free_port
from tests.stack import services
from tests.stack.postgres import Database, EmbeddedDatabase, GivenDatabase


@dataclass(frozen=True)
class StackOptions:
    port: int | None = None  # Caddy's; a free one when unset
    backends: int = 2
    realtimes: int = 2
    # Granian workers per backend (Reflex would start 2 x CPUs + 1 with Redis).
    backend_workers: int = 2
    # A server to use instead of starting an embedded one (it cannot be restarted).
    database_url: str | None = None
    # More settings for the backends and realtime instances.
    env: tuple[tuple[str, str], ...] = ()


# The Caddyfile's health_interval: how soon Caddy notices an upstream come or go.
HEALTH_INTERVAL_S = 1.0


class Stack:
    """Every process of the production topology on 127.0.0.1, as Compose runs them.

    Start it with ``with Stack(workdir) as stack:`` (or ``start()``/``stop()``);
    ``stack.url`` is where a browser goes. Whatever fails while starting stops
    what was already started.
    """

    def __init__(self, workdir: Path, options: StackOptions | None = None) -> None:
        self.workdir = workdir
        self.options = options or StackOptions()
        self.port = self.options.port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.logs = workdir / "logs"
        self.frontend_root = workdir / "frontend"
        self.upload_dir = workdir / "uploads"
        # Fresh for every stack: sign-ins do not outlive it, as its database may not.
        self.secret = secrets.token_urlsafe(48)
        self.redis_port = free_port()
        self.database: Database | None = None
        self.redis: Service | None = None
        self.backends: list[Service] = []
        self.realtimes: list[Service] = []
        self.caddy: Service | None = None

    # --- configuration ---------------------------------------------------------------

    @property
    def api_url(self) -> str:
        """The backend address built into the frontend. Reflex needs an absolute URL,
        and replaces a ``localhost`` host with the page's own in the browser, so the
        build does not name the host (as the Compose image, built with
        ``http://localhost``, does not)."""
        return f"http://localhost:{self.port}"

    @property
    def postgres(self) -> Database:
        if self.database is None:
            raise RuntimeError("the stack has not started")
        return self.database

    @property
    def database_url(self) -> str:
        return self.postgres.url

    def app_env(self, database_url: str | None = None) -> dict[str, str]:
        """What the backends, the realtime instances, the migrate job and the export
        read: the production settings, one secret, one upload folder."""
        return {
            **os.environ,
            "APP_ENV": "production",
            "JWT_SECRET": self.secret,
            "DATABASE_URL": database_url or self.database_url,
            "REFLEX_REDIS_URL": f"redis://127.0.0.1:{self.redis_port}",
            "DATA_DIR": str(self.workdir / "data"),
            "UPLOAD_DIR": str(self.upload_dir),
            "MIGRATE_ON_START": "false",
            "REALTIME_AUTOSTART": "false",
            "REALTIME_URL": "/realtime",
            "API_URL": self.api_url,
            # What browsers open, the one origin the backends answer with credentials.
            "PUBLIC_URL": self.url,
            "REFLEX_USE_SYSTEM_BUN": "1",
            "GRANIAN_WORKERS": str(self.options.backend_workers),
            # Caddy is the proxy in front, on loopback: its X-Forwarded-For counts.
            "TRUSTED_PROXIES": "127.0.0.1/32",
            **dict(self.options.env),
        }

    # --- lifetime --------------------------------------------------------------------

    def __enter__(self) -> Stack:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        try:
            self._start()
        except BaseException:
            self.stop()
            raise

    def _start(self) -> None:
        for folder in (self.logs, self.upload_dir, self.workdir / "data"):
            folder.mkdir(parents=True, exist_ok=True)
        given = self.options.database_url
        self.database = (
            GivenDatabase(given) if given else EmbeddedDatabase(self.workdir / "postgres")
        )
        self.redis = services.redis_server(self.redis_port, self.workdir / "redis", self.logs)
        self.redis.start()
        services.migrate(self.app_env(), self.logs)
        services.export_frontend(self.app_env(), self.frontend_root, self.logs)
        self.realtimes = [self._realtime(n + 1) for n in range(self.options.realtimes)]
        self.backends = [self._backend(n + 1) for n in range(self.options.backends)]
        starting = [*self.realtimes, *self.backends]
        for service in starting:
            service.spawn()
        for service in starting:
            service.wait_ready()
        self._start_caddy()

    def stop(self) -> None:
        """Stop everything that was started, newest first; idempotent."""
        for service in [self.caddy, *self.backends, *self.realtimes, self.redis]:
            if service is not None:
                with contextlib.suppress(Exception):
                    service.stop()
        if self.database is not None:
            with contextlib.suppress(Exception):
                self.database.close()

    # --- levers ----------------------------------------------------------------------

    def let_proxy_notice(self) -> None:
        """Wait out a few of Caddy's health checks, so a process that just started
        (or stopped answering) is in (or out of) its rotation."""
        time.sleep(3 * HEALTH_INTERVAL_S)

    def heal(self) -> None:
        """Start again whatever was stopped or killed (a test that broke something
        and failed before repairing it must not break the next one)."""
        if self.database is not None and not self.database.is_up:
            self.database.up()
        for service in [self.redis, *self.realtimes, *self.backends, self.caddy]:
            if service is not None and not service.running:
                service.start()

    def add_backend(self, database_url: str | None = None) -> Service:
        """One more backend (on its own database address, if given) and Caddy
        restarted to balance over it."""
        backend = self._backend(len(self.backends) + 1, database_url)
        self.backends.append(backend)
        backend.start()
        self._start_caddy()
        return backend

    def remove_backend(self, backend: Service) -> None:
        backend.stop()
        self.backends.remove(backend)
        self._start_caddy()

    def _backend(self, number: int, database_url: str | None = None) -> Service:
        return services.backend(
            f"backend{number}",
            free_port(),
            self.app_env(database_url),
            self.workdir / "backends",
            self.logs,
        )

    def _realtime(self, number: int) -> Service:
        return RealtimeProcess(
            self.database_url,
            self.logs / f"realtime{number}.log",
            env=self.app_env(),
            name=f"realtime{number}",
        )

    def _start_caddy(self) -> None:
        if self.caddy is not None:
            self.caddy.stop()
        self.caddy = services.caddy(
            self.port,
            self.frontend_root,
            [port for backend in self.backends if (port := backend.port)],
            [port for instance in self.realtimes if (port := instance.port)],
            self.workdir / "caddy",
            self.logs,
        )
        self.caddy.start()
