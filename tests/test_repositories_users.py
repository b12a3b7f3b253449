"""The users repository against the real database."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from chat_app.database import unit_of_work
from chat_app.repositories import users
from tests.factories import count_rows, password_hash


def create(db, username="Alice", display_name="Alice Liddell"):
    with unit_of_work(db) as session:
        return users.create(
            session=session,
            username=username,
            display_name=display_name,
            password_hash=password_hash(),
        )


def test_create_returns_the_stored_row(db):
    user = create(db)

    assert user.id is not None
    assert user.created_at is not None
    assert user.about == ""
    assert user.last_seen_at is None
    with unit_of_work(db) as session:
        stored = users.get(session=session, user_id=user.id)
    assert (stored.username, stored.display_name, stored.password_hash) == (
        "Alice",
        "Alice Liddell",
        password_hash(),
    )


def test_create_does_not_commit(db):
    """Repositories leave the transaction to the caller."""
    with Session(db) as session:
        users.create(session=session, username="alice", display_name="A", password_hash="h")
        session.rollback()

    assert count_rows(db, "users") == 0


def test_get_unknown_id_is_none(db):
    user = create(db)

    with unit_of_work(db) as session:
        assert users.get(session=session, user_id=user.id + 1000) is None


@pytest.mark.parametrize("asked", ["Alice", "alice", "ALICE", "aLiCe"])
def test_get_by_username_in_any_letter_case(db, asked):
    user = create(db, username="Alice")
    create(db, username="bob")

    with unit_of_work(db) as session:
        found = users.get_by_username(session=session, username=asked)

    assert found is not None
    assert found.id == user.id
    assert found.username == "Alice"


@pytest.mark.parametrize("asked", ["alic", "alice2", "bob", ""])
def test_get_by_username_unknown_is_none(db, asked):
    create(db, username="Alice")

    with unit_of_work(db) as session:
        assert users.get_by_username(session=session, username=asked) is None


def test_username_is_unique_whatever_the_letter_case(db):
    create(db, username="Alice")

    with pytest.raises(IntegrityError) as excinfo:
        create(db, username="alice")

    assert excinfo.value.orig.diag.constraint_name == "ux_users_username_lower"
    assert count_rows(db, "users") == 1


def test_update_password_hash(db):
    user = create(db)

    with unit_of_work(db) as session:
        stored = users.get(session=session, user_id=user.id)
        users.update_password_hash(session=session, user=stored, password_hash="$argon2id$new")

    with unit_of_work(db) as session:
        assert users.get(session=session, user_id=user.id).password_hash == "$argon2id$new"
