"""Sign-up, sign-in with throttling, and resolving a session token."""

from __future__ import annotations

import time

import pytest
from argon2 import PasswordHasher
from sqlalchemy import text

from chat_app import access_tokens
from chat_app.database import unit_of_work
from chat_app.repositories import users as users_repo
from chat_app.services import auth, passwords
from chat_app.services.errors import InvalidInput, NotAuthenticated, TooManyAttempts
from tests.factories import PASSWORD, count_rows, make_token, make_user

STRONG = "violet-otter-harbour-42"
WEAK = "This password is too easy to guess."


def stored_user(db, user_id):
    with unit_of_work(db) as session:
        return users_repo.get(session=session, user_id=user_id)


def failures_for(db, account):
    """Failed sign-ins counted against an account from this (unknown) address."""
    query = text("SELECT count(*) FROM rate_limit_hits WHERE bucket = :bucket")
    with db.connect() as connection:
        return connection.execute(query, {"bucket": f"sign-in:pair:?:{account}"}).scalar_one()


def fail_sign_in(username, times):
    for _ in range(times):
        with pytest.raises(InvalidInput):
            auth.sign_in(username=username, password="not-the-password")


# --- sign_up ------------------------------------------------------------------


def test_sign_up_creates_the_user_and_signs_them_in(db):
    signed = auth.sign_up(username="alice", display_name="Alice Liddell", password=STRONG)

    assert access_tokens.verify_token(signed.token).user_id == signed.user.id
    claims = access_tokens.verify_token(signed.token)
    assert signed.user == auth.SessionUser(
        id=signed.user.id,
        username="alice",
        display_name="Alice Liddell",
        session_id=claims.session_id,
    )
    stored = stored_user(db, signed.user.id)
    assert (stored.username, stored.display_name) == ("alice", "Alice Liddell")


@pytest.mark.parametrize("username", ["abc", "a" * 32, "Al_ice.99", "9lives"])
def test_sign_up_accepts_usernames_within_the_rules(db, username):
    signed = auth.sign_up(username=username, display_name="Someone", password=STRONG)

    assert signed.user.username == username
    assert stored_user(db, signed.user.id).username == username


def test_sign_up_trims_the_username(db):
    signed = auth.sign_up(username="  alice ", display_name="A", password=STRONG)

    assert stored_user(db, signed.user.id).username == "alice"


@pytest.mark.parametrize(
    ("username", "display_name", "password", "field", "message_part"),
    [
        pytest.param("", "Alice", STRONG, "username", "Enter a username", id="empty-username"),
        pytest.param("   ", "Alice", STRONG, "username", "Enter a username", id="blank-username"),
        pytest.param("al", "Alice", STRONG, "username", auth.USERNAME_RULE, id="too-short"),
        pytest.param("a" * 33, "Alice", STRONG, "username", auth.USERNAME_RULE, id="too-long"),
        pytest.param("bad name", "Alice", STRONG, "username", auth.USERNAME_RULE, id="space"),
        pytest.param("émile", "Alice", STRONG, "username", auth.USERNAME_RULE, id="accent"),
        pytest.param("a/b", "Alice", STRONG, "username", auth.USERNAME_RULE, id="slash"),
        pytest.param(".alice", "Alice", STRONG, "username", auth.USERNAME_RULE, id="leading-dot"),
        pytest.param("_alice", "Alice", STRONG, "username", auth.USERNAME_RULE, id="leading-_"),
        pytest.param("alice", "Alice", "1234567", "password", "at least 8", id="short-password"),
        pytest.param("alice", "Alice", "x" * 129, "password", "at most 128", id="long-password"),
        pytest.param("alice", "Alice", "password123", "password", WEAK, id="common"),
        pytest.param("alice", "Alice", "PassWord123", "password", WEAK, id="common-case"),
        pytest.param("alice", "", STRONG, "display_name", "Enter the name", id="empty-name"),
        pytest.param("alice", " \t\n ", STRONG, "display_name", "Enter the name", id="blank-name"),
        pytest.param("alice", "x" * 65, STRONG, "display_name", "at most 64", id="long-name"),
        pytest.param("alice", "Ali\x07ce", STRONG, "display_name", "control", id="control-char"),
    ],
)
def test_sign_up_refusals_name_the_field_and_create_nothing(
    db, username, display_name, password, field, message_part
):
    with pytest.raises(InvalidInput) as excinfo:
        auth.sign_up(username=username, display_name=display_name, password=password)

    assert excinfo.value.field == field
    assert message_part in str(excinfo.value)
    assert count_rows(db, "users") == 0


@pytest.mark.parametrize(
    ("password", "advice"),
    [
        pytest.param("aaaaaaaa", 'Repeats like "aaa" are easy to guess.', id="repeats"),
        pytest.param("carol123", "Common names and surnames are easy to guess.", id="name-123"),
        # Each of these three passes zxcvbn on its own: only the person's own
        # username and name, given as its user inputs, make them guessable.
        pytest.param("zephyrquill", "Add another word or two.", id="the-username"),
        pytest.param("Zephyr Quillon", "Add another word or two.", id="the-display-name"),
        pytest.param("zephyrquill7", "Add another word or two.", id="username-and-digit"),
        pytest.param("qwertyuiop", "This is a top-100 common password.", id="keyboard-row"),
    ],
)
def test_sign_up_refuses_a_guessable_password_with_advice(db, password, advice):
    with pytest.raises(InvalidInput) as excinfo:
        auth.sign_up(username="zephyrquill", display_name="Zephyr Quillon", password=password)

    assert excinfo.value.field == "password"
    assert str(excinfo.value).startswith(WEAK)
    assert advice in str(excinfo.value)
    assert count_rows(db, "users") == 0
    # A passphrase of uncommon words is fine, with or without symbols.
    for strong in ["violet-otter-harbour-42", "correct horse battery staple", "Tr4m-l1ne!Quokka"]:
        assert (
            passwords.password_problem(strong, personal=["zephyrquill", "Zephyr Quillon"]) is None
        )


@pytest.mark.parametrize("taken", ["Alice", "ALICE", "alice"])
def test_sign_up_refuses_a_username_taken_in_another_letter_case(db, taken):
    make_user(db, taken)

    with pytest.raises(InvalidInput) as excinfo:
        auth.sign_up(username="alice", display_name="Other Alice", password=STRONG)

    assert excinfo.value.field == "username"
    assert str(excinfo.value) == "This username is taken."
    assert count_rows(db, "users") == 1


def test_sign_up_collapses_whitespace_in_the_display_name(db):
    signed = auth.sign_up(username="alice", display_name="  Alice \t  Liddell \n", password=STRONG)

    assert signed.user.display_name == "Alice Liddell"
    assert stored_user(db, signed.user.id).display_name == "Alice Liddell"


def test_display_name_of_exactly_the_maximum_length_is_accepted(db):
    name = "x" * 64

    signed = auth.sign_up(username="alice", display_name=name, password=STRONG)

    assert stored_user(db, signed.user.id).display_name == name


def test_password_is_stored_as_an_argon2id_hash_only(db):
    signed = auth.sign_up(username="alice", display_name="Alice", password=STRONG)

    stored = stored_user(db, signed.user.id)
    assert stored.password_hash.startswith("$argon2id$")
    assert STRONG not in stored.password_hash
    with db.connect() as connection:
        whole_row = connection.execute(
            text("SELECT row_to_json(users)::text FROM users WHERE id = :id"), {"id": stored.id}
        ).scalar_one()
    assert STRONG not in whole_row


# --- sign_in ------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["Alice", "alice", "ALICE", "  aLiCe  "])
def test_sign_in_with_the_right_password_in_any_letter_case(db, typed):
    user = make_user(db, "Alice")

    signed = auth.sign_in(username=typed, password=PASSWORD)

    assert signed.user == auth.SessionUser(
        id=user.id,
        username="Alice",
        display_name="Alice",
        session_id=access_tokens.verify_token(signed.token).session_id,
    )
    assert access_tokens.verify_token(signed.token).user_id == user.id


def test_wrong_password_and_unknown_username_look_the_same(db):
    make_user(db, "alice")

    with pytest.raises(InvalidInput) as wrong_password:
        auth.sign_in(username="alice", password="not-the-password")
    with pytest.raises(InvalidInput) as unknown_user:
        auth.sign_in(username="nobody", password=PASSWORD)

    assert wrong_password.value.field == unknown_user.value.field == "password"
    assert str(wrong_password.value) == str(unknown_user.value) == auth.WRONG_CREDENTIALS


def test_password_is_case_sensitive(db):
    make_user(db, "alice")

    with pytest.raises(InvalidInput):
        auth.sign_in(username="alice", password=PASSWORD.upper())


@pytest.mark.parametrize(
    ("username", "password", "field"),
    [("", PASSWORD, "username"), ("   ", PASSWORD, "username"), ("alice", "", "password")],
)
def test_sign_in_with_a_blank_field(db, username, password, field):
    make_user(db, "alice")

    with pytest.raises(InvalidInput) as excinfo:
        auth.sign_in(username=username, password=password)

    assert excinfo.value.field == field
    assert failures_for(db, "alice") == 0


def test_failures_are_recorded_per_lowercased_username(db):
    make_user(db, "alice")

    fail_sign_in("Alice", 2)
    fail_sign_in("ALICE", 1)

    assert failures_for(db, "alice") == 3


def test_sixth_attempt_is_refused_even_with_the_right_password(db):
    make_user(db, "alice")
    fail_sign_in("alice", 5)

    with pytest.raises(TooManyAttempts) as excinfo:
        auth.sign_in(username="alice", password=PASSWORD)

    assert 1 <= excinfo.value.retry_after <= 60
    assert f"{excinfo.value.retry_after} seconds" in str(excinfo.value)
    # A refused attempt is not another failure (it would extend the lock-out).
    assert failures_for(db, "alice") == 5


def test_throttling_ignores_the_letter_case_of_the_username(db):
    make_user(db, "alice")
    fail_sign_in("alice", 5)

    with pytest.raises(TooManyAttempts):
        auth.sign_in(username="ALICE", password=PASSWORD)


def test_throttling_applies_to_unknown_usernames_too(db):
    fail_sign_in("ghost", 5)

    with pytest.raises(TooManyAttempts):
        auth.sign_in(username="ghost", password=PASSWORD)


def test_throttling_one_username_leaves_others_alone(db):
    make_user(db, "alice")
    make_user(db, "bob")
    fail_sign_in("alice", 5)

    assert auth.sign_in(username="bob", password=PASSWORD).user.username == "bob"


def test_successful_sign_in_clears_the_failure_count(db):
    make_user(db, "alice")
    fail_sign_in("alice", 4)

    auth.sign_in(username="alice", password=PASSWORD)

    assert failures_for(db, "alice") == 0
    fail_sign_in("alice", 4)  # 8 in all: would be refused had the first 4 been kept
    assert auth.sign_in(username="alice", password=PASSWORD).user.username == "alice"


def test_sign_in_upgrades_an_outdated_hash(db):
    """A hash made with weaker Argon2 parameters is replaced on the next sign-in."""
    weak = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)
    user = make_user(db, "alice", password_hash_value=weak)

    auth.sign_in(username="alice", password=PASSWORD)

    upgraded = stored_user(db, user.id).password_hash
    assert upgraded != weak
    assert upgraded.startswith("$argon2id$")
    assert PasswordHasher().verify(upgraded, PASSWORD)
    assert not PasswordHasher().check_needs_rehash(upgraded)


# --- session_user ---------------------------------------------------------------


def test_session_user_for_a_valid_token(db):
    signed = auth.sign_up(username="alice", display_name="Alice", password=STRONG)

    assert auth.session_user(signed.token) == auth.SessionUser(
        id=signed.user.id,
        username="alice",
        display_name="Alice",
        session_id=signed.user.session_id,
    )


def test_session_user_reflects_the_current_row(db):
    user = make_user(db, "alice", display_name="Alice")
    token = make_token(db, user.id)
    with db.begin() as connection:
        connection.execute(
            text("UPDATE users SET display_name = 'Alice L.' WHERE id = :id"), {"id": user.id}
        )

    assert auth.session_user(token).display_name == "Alice L."


@pytest.mark.parametrize("token", ["", "garbage", "a.b.c"])
def test_session_user_refuses_a_missing_or_garbage_token(db, token):
    with pytest.raises(NotAuthenticated):
        auth.session_user(token)


def test_session_user_refuses_an_expired_token(db):
    user = make_user(db, "alice")
    token = make_token(db, user.id, now=time.time() - 10**7)

    with pytest.raises(NotAuthenticated) as excinfo:
        auth.session_user(token)

    assert "sign in" in str(excinfo.value)


def test_session_user_refuses_the_token_of_a_deleted_user(db):
    user = make_user(db, "alice")
    token = make_token(db, user.id)
    assert auth.session_user(token).id == user.id

    with db.begin() as connection:
        connection.execute(text("DELETE FROM users WHERE id = :id"), {"id": user.id})

    with pytest.raises(NotAuthenticated):
        auth.session_user(token)
