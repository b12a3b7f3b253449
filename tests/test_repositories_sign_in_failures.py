"""The sign-in failure log: counting and pruning failures over a sliding window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from chat_app.database import unit_of_work
from chat_app.models import SignInFailure
from chat_app.repositories import sign_in_failures
from tests.factories import count_rows


@pytest.fixture
def now(db):
    with unit_of_work(db) as session:
        return sign_in_failures.now(session=session)


def add_failures(db, username_key, *created_at):
    with unit_of_work(db) as session:
        session.add_all(
            SignInFailure(username_key=username_key, created_at=moment) for moment in created_at
        )


def ago(now, seconds):
    return now - timedelta(seconds=seconds)


def test_now_is_the_database_clock(db):
    with unit_of_work(db) as session:
        database_now = sign_in_failures.now(session=session)

    assert database_now.tzinfo is not None
    assert abs(database_now - datetime.now(UTC)) < timedelta(seconds=30)


def test_create_records_a_failure_at_database_time(db, now):
    with unit_of_work(db) as session:
        sign_in_failures.create(session=session, username_key="alice")
        created_at = session.exec(select(SignInFailure.created_at)).one()
        since = ago(sign_in_failures.now(session=session), 60)
        assert sign_in_failures.count_since(session=session, username_key="alice", since=since) == 1

    assert abs(created_at - now) < timedelta(seconds=30)
    assert count_rows(db, "sign_in_failures") == 1


def test_count_since_counts_only_the_window_and_the_key(db, now):
    add_failures(db, "alice", ago(now, 120), ago(now, 61), ago(now, 60), ago(now, 30), now)
    add_failures(db, "bob", ago(now, 10), ago(now, 5))

    with unit_of_work(db) as session:
        count = sign_in_failures.count_since(
            session=session, username_key="alice", since=ago(now, 60)
        )
        unknown = sign_in_failures.count_since(
            session=session, username_key="carol", since=ago(now, 60)
        )

    assert count == 3  # 60 s ago (the boundary), 30 s ago and now
    assert unknown == 0


def test_oldest_since_is_the_oldest_failure_inside_the_window(db, now):
    add_failures(db, "alice", ago(now, 300), ago(now, 45), ago(now, 20))
    add_failures(db, "bob", ago(now, 50))

    with unit_of_work(db) as session:
        oldest = sign_in_failures.oldest_since(
            session=session, username_key="alice", since=ago(now, 60)
        )

    assert oldest == ago(now, 45)


def test_oldest_since_without_failures_is_none(db, now):
    add_failures(db, "alice", ago(now, 300))

    with unit_of_work(db) as session:
        assert (
            sign_in_failures.oldest_since(session=session, username_key="alice", since=ago(now, 60))
            is None
        )


def test_delete_for_forgets_only_that_key(db, now):
    add_failures(db, "alice", ago(now, 10), ago(now, 5))
    add_failures(db, "bob", ago(now, 10))

    with unit_of_work(db) as session:
        sign_in_failures.delete_for(session=session, username_key="alice")

    with unit_of_work(db) as session:
        since = ago(now, 60)
        assert sign_in_failures.count_since(session=session, username_key="alice", since=since) == 0
        assert sign_in_failures.count_since(session=session, username_key="bob", since=since) == 1


def test_delete_older_than_prunes_strictly_older_rows(db, now):
    cutoff = ago(now, 60)
    add_failures(db, "alice", ago(now, 3600), ago(now, 61), cutoff, ago(now, 1))
    add_failures(db, "bob", ago(now, 120))

    with unit_of_work(db) as session:
        deleted = sign_in_failures.delete_older_than(session=session, cutoff=cutoff)

    assert deleted == 3
    with unit_of_work(db) as session:
        remaining = sorted(session.exec(select(SignInFailure.created_at)).all())
    assert remaining == [cutoff, ago(now, 1)]
