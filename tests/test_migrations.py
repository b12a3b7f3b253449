"""Migrations: empty → head → base → head, schema equals the models, runs are serialised."""

from __future__ import annotations

import os
import re
import subprocess
import time
import warnings

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import CheckConstraint, create_engine, inspect, text
from sqlmodel import SQLModel

import chat_app.models  # noqa: F401  (registers every table on SQLModel.metadata)
from chat_app.migrations import alembic_config, downgrade_to_base, upgrade_to_head
from chat_app.settings import PROJECT_ROOT

APP_TABLES = {
    "users",
    "chats",
    "chat_members",
    "messages",
    "attachments",
    "reactions",
    "events",
    "rate_limit_hits",
    "realtime_instances",
    "presence_sessions",
    "sessions",
    "drafts",
    "former_members",
}
PRESENCE_TABLES = {"realtime_instances", "presence_sessions"}
# Tables from revisions after 0002, gone too when going back to 0001.
LATER_TABLES = {"sessions", "rate_limit_hits", "drafts", "former_members"}
# Tables of 0001 that later revisions replaced, back again at 0001.
REPLACED_TABLES = {"sign_in_failures"}
# Indexes whose expressions carry an operator class; alembic cannot compare
# those (it warns and skips them), so their definitions are checked directly.
OPERATOR_CLASS_INDEXES = {
    "ix_users_username_prefix": "(lower((username)::text) text_pattern_ops)",
    "ix_users_display_name_prefix": "(lower((display_name)::text) text_pattern_ops)",
}


def _migration_lock_key() -> int:
    """The advisory lock key, read from alembic/env.py so the test follows it."""
    source = (PROJECT_ROOT / "alembic" / "env.py").read_text()
    match = re.search(r"^MIGRATION_LOCK_KEY = (0x[0-9A-Fa-f]+|\d+)", source, re.MULTILINE)
    assert match, "alembic/env.py no longer defines MIGRATION_LOCK_KEY"
    return int(match.group(1), 0)


MIGRATION_LOCK_KEY = _migration_lock_key()


@pytest.fixture
def engine(empty_database):
    engine = create_engine(empty_database)
    yield engine
    engine.dispose()


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def table_names(engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def alembic_versions(engine) -> list[str]:
    with engine.connect() as connection:
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()


def start_alembic_upgrade(url) -> subprocess.Popen:
    return subprocess.Popen(
        ["alembic", "upgrade", "head"],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DATABASE_URL": url},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process, timeout=120) -> tuple[int, str]:
    try:
        _, stderr = process.communicate(timeout=timeout)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    return process.returncode, stderr


def assert_at_head(engine) -> None:
    assert table_names(engine) >= APP_TABLES
    assert alembic_versions(engine) == [head_revision()]


def test_upgrade_from_empty_to_head(empty_database, engine):
    assert table_names(engine) == set()

    upgrade_to_head(empty_database)

    assert table_names(engine) == APP_TABLES | {"alembic_version"}
    assert alembic_versions(engine) == [head_revision()]


def test_upgrade_twice_is_a_no_op(empty_database, engine):
    upgrade_to_head(empty_database)
    upgrade_to_head(empty_database)

    assert_at_head(engine)


def schema_differences(engine) -> list:
    """What alembic finds between the database and the models, plus any index it
    had to skip other than the operator-class ones (checked separately)."""
    with engine.connect() as connection, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": True}
        )
        diff = compare_metadata(context, SQLModel.metadata)
    messages = [str(warning.message) for warning in caught]
    return diff + [m for m in messages if not any(n in m for n in OPERATOR_CLASS_INDEXES)]


def test_migrated_schema_matches_the_models(empty_database, engine):
    upgrade_to_head(empty_database)

    assert schema_differences(engine) == []

    with engine.connect() as connection:
        index_definitions = dict(
            connection.execute(text("SELECT indexname, indexdef FROM pg_indexes")).all()
        )
    for name, expression in OPERATOR_CLASS_INDEXES.items():
        assert index_definitions[name].endswith(f"ON public.users USING btree {expression}")


def test_check_constraints_match_the_models(empty_database, engine):
    """Autogenerate does not compare CHECK constraints, so compare them by name."""
    upgrade_to_head(empty_database)
    expected = {
        (table.name, constraint.name)
        for table in SQLModel.metadata.tables.values()
        for constraint in table.constraints
        if isinstance(constraint, CheckConstraint)
    }

    with engine.connect() as connection:
        actual = set(
            connection.execute(
                text(
                    "SELECT conrelid::regclass::text, conname FROM pg_constraint"
                    " WHERE contype = 'c' AND connamespace = 'public'::regnamespace"
                )
            ).all()
        )

    assert actual == expected
    assert len(expected) == 4


def test_downgrade_to_base_then_upgrade_again(empty_database, engine):
    upgrade_to_head(empty_database)

    downgrade_to_base(empty_database)

    assert table_names(engine) & APP_TABLES == set()
    assert alembic_versions(engine) == []

    upgrade_to_head(empty_database)

    assert_at_head(engine)


def test_downgrading_presence_keeps_the_rest(empty_database, engine):
    """0002 takes only its own tables back; last seen times (from 0001) stay."""
    upgrade_to_head(empty_database)

    command.downgrade(alembic_config(empty_database), "0001")

    assert table_names(engine) == (APP_TABLES - PRESENCE_TABLES - LATER_TABLES) | {
        "alembic_version",
        *REPLACED_TABLES,
    }
    assert alembic_versions(engine) == ["0001"]
    assert "last_seen_at" in {column["name"] for column in inspect(engine).get_columns("users")}

    upgrade_to_head(empty_database)

    assert_at_head(engine)


def test_concurrent_alembic_runs_both_succeed(empty_database, engine):
    """Two migrate jobs at the same moment (two deploys racing, a restart policy
    running the one-shot job again): one applies every revision, the other
    waits, finds head and applies none, and the schema is the models' one."""
    first = start_alembic_upgrade(empty_database)
    second = start_alembic_upgrade(empty_database)

    first_rc, first_log = finish(first)
    second_rc, second_log = finish(second)

    assert first_rc == 0, first_log
    assert second_rc == 0, second_log
    revisions = len(list(ScriptDirectory.from_config(alembic_config()).walk_revisions()))
    applied = sorted(log.count("Running upgrade") for log in (first_log, second_log))
    assert applied == [0, revisions], (first_log, second_log)
    assert_at_head(engine)
    assert schema_differences(engine) == []


def waiting_advisory_locks(connection) -> int:
    """How many sessions wait for the migration lock in this database."""
    return connection.execute(
        text(
            "SELECT count(*) FROM pg_locks"
            " WHERE locktype = 'advisory' AND NOT granted"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            " AND ((classid::bigint << 32) | objid::bigint) = :key"
        ),
        {"key": MIGRATION_LOCK_KEY},
    ).scalar_one()


def test_alembic_waits_for_the_migration_lock(empty_database, engine):
    holder = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    process = None
    try:
        holder.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        process = start_alembic_upgrade(empty_database)

        deadline = time.monotonic() + 60
        while waiting_advisory_locks(holder) == 0:
            assert process.poll() is None, process.communicate()[1]
            assert time.monotonic() < deadline, "alembic never asked for the migration lock"
            time.sleep(0.1)
        time.sleep(2)

        assert process.poll() is None
        assert table_names(engine) == set()

        holder.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY})
        returncode, stderr = finish(process)
        assert returncode == 0, stderr
        assert_at_head(engine)
    finally:
        if process is not None and process.poll() is None:
            process.kill()
            process.communicate()
        holder.close()
