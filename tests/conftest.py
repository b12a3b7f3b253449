"""Shared fixtures: a real PostgreSQL for every test run, never the development one.

The run gets its own database on TEST_DATABASE_URL's server when that is set,
otherwise on an embedded server kept in .data/test-postgres; it is migrated
once and dropped at the end. Tests that touch data take the ``db`` fixture,
which empties every table afterwards, so no test sees another's rows.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect, sync_playwright
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

# Settings are read once per process: point them at test-only places before any
# test asks for them (nothing in chat_app reads them at import time).
_SCRATCH = Path(tempfile.mkdtemp(prefix="chat-app-tests-"))
os.environ.update(
    {
        "APP_ENV": "development",
        "DATA_DIR": str(_SCRATCH / "data"),
        "UPLOAD_DIR": str(_SCRATCH / "uploads"),
        "JWT_SECRET": "test-" + uuid.uuid4().hex * 2,
        "SIGN_IN_MAX_FAILURES": "5",
        "SIGN_IN_WINDOW_SECONDS": "60",
        "MIGRATE_ON_START": "false",
    }
)

import chat_app.models  # noqa: E402, F401  (registers the tables on SQLModel.metadata)
from chat_app import database, settings  # noqa: E402
from chat_app.embedded_postgres import start_embedded_postgres  # noqa: E402
from chat_app.migrations import upgrade_to_head  # noqa: E402
from tests.app_runner import CHROMIUM_ARGS, chromium_executable  # noqa: E402

# The production topology on loopback, for the failover tests and the soak.
pytest_plugins = ["tests.stack.fixtures"]


def _server_url() -> str:
    configured = os.environ.get("TEST_DATABASE_URL", "").strip()
    if configured:
        return settings.normalize_database_url("TEST_DATABASE_URL", configured)
    return start_embedded_postgres(settings.PROJECT_ROOT / ".data" / "test-postgres")


class DatabaseServer:
    """Creates and drops throw-away databases on the test server."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._admin = create_engine(url, isolation_level="AUTOCOMMIT")

    def create(self, prefix: str = "chat_test") -> str:
        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        with self._admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        return make_url(self.url).set(database=name).render_as_string(hide_password=False)

    def drop(self, url: str) -> None:
        name = make_url(url).database
        with self._admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def close(self) -> None:
        self._admin.dispose()


@pytest.fixture(scope="session")
def database_server() -> Iterator[DatabaseServer]:
    server = DatabaseServer(_server_url())
    yield server
    server.close()


@pytest.fixture(scope="session")
def database_url(database_server: DatabaseServer) -> Iterator[str]:
    """The run's own migrated database; the app code under test uses it through settings."""
    url = database_server.create()
    upgrade_to_head(url)
    os.environ["DATABASE_URL"] = url
    settings.get_settings.cache_clear()
    database.database_url.cache_clear()
    database.get_engine.cache_clear()
    yield url
    database.get_engine().dispose()
    database_server.drop(url)


@pytest.fixture
def db(database_url: str) -> Iterator[Engine]:
    """The app's engine on the test database; every table is emptied after the test.

    Event ids carry on where they were, as a real outbox's do: a realtime instance
    kept running across tests (the browser tests') reads after its cursor, and ids
    starting again at 1 would sit below it unseen."""
    engine = database.get_engine()
    yield engine
    with engine.begin() as connection:
        events_seq = connection.execute(
            text("SELECT pg_get_serial_sequence('events', 'id')")
        ).scalar_one()
        last_event_id = connection.execute(
            text(f"SELECT last_value FROM {events_seq}")
        ).scalar_one()
        tables = ", ".join(table.name for table in SQLModel.metadata.sorted_tables)
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        connection.execute(
            text("SELECT setval(:seq, :last)"), {"seq": events_seq, "last": last_event_id}
        )


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """Set variables for one test, read through the environment as in real use:
    ``settings_env(SEND_BURST_MAX="5")``."""

    def apply(**values: str) -> None:
        for name, value in values.items():
            monkeypatch.setenv(name, value)
        settings.get_settings.cache_clear()

    yield apply
    monkeypatch.undo()
    settings.get_settings.cache_clear()


@pytest.fixture
def empty_database(database_server: DatabaseServer) -> Iterator[str]:
    """A brand-new database with no schema, dropped after the test."""
    url = database_server.create("chat_empty")
    yield url
    database_server.drop(url)


# What a page shows after a round trip to the server can take a few seconds on a
# busy machine; Playwright's 5 s default made such checks flaky, not stricter.
expect.set_options(timeout=10_000)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One real Chromium for the run: the browser tests and the topology's share it."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_executable(), args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
