"""Sign-up, sign-in and resolving a session token to a person.

Wrong passwords and unknown usernames get the same message and take the same
time (a dummy hash is verified), so the form never reveals who has an account.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.exc import IntegrityError

from chat_app import tokens
from chat_app.database import unit_of_work
from chat_app.models import User
from chat_app.models.user import DISPLAY_NAME_MAX, USERNAME_MAX
from chat_app.repositories import sign_in_failures
from chat_app.repositories import users as users_repo
from chat_app.services import passwords
from chat_app.services.errors import InvalidInput, NotAuthenticated, TooManyAttempts
from chat_app.services.text_rules import refuse_control_characters
from chat_app.settings import get_settings

USERNAME_MIN = 3
USERNAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.]*")
USERNAME_RULE = (
    f"{USERNAME_MIN}–{USERNAME_MAX} characters: letters a–z, digits, '_' and '.', "
    "starting with a letter or digit."
)
WRONG_CREDENTIALS = "Wrong username or password."


@dataclass(frozen=True)
class SessionUser:
    """What the UI may know about the signed-in person."""

    id: int
    username: str
    display_name: str
    # The stored name of my profile picture: every screen's header shows it.
    avatar_path: str | None = None

    @classmethod
    def of(cls, user: User) -> SessionUser:
        assert user.id is not None
        return cls(
            id=user.id,
            username=user.username,
            display_name=user.display_name,
            avatar_path=user.avatar_path,
        )


@dataclass(frozen=True)
class SignedIn:
    token: str
    user: SessionUser


def check_username(username: str) -> str:
    username = username.strip()
    if not username:
        raise InvalidInput("username", "Enter a username.")
    if len(username) < USERNAME_MIN or len(username) > USERNAME_MAX:
        raise InvalidInput("username", f"Usernames are {USERNAME_RULE}")
    if not USERNAME_PATTERN.fullmatch(username):
        raise InvalidInput("username", f"Usernames are {USERNAME_RULE}")
    return username


def check_display_name(display_name: str) -> str:
    display_name = " ".join(display_name.split())
    if not display_name:
        raise InvalidInput("display_name", "Enter the name people will see.")
    if len(display_name) > DISPLAY_NAME_MAX:
        raise InvalidInput("display_name", f"Use at most {DISPLAY_NAME_MAX} characters.")
    return refuse_control_characters("display_name", display_name)


def check_password(password: str, *, username: str = "", display_name: str = "") -> str:
    problem = passwords.password_problem(password, personal=[username, display_name])
    if problem:
        raise InvalidInput("password", problem)
    return password


def sign_up(*, username: str, display_name: str, password: str) -> SignedIn:
    username = check_username(username)
    display_name = check_display_name(display_name)
    check_password(password, username=username, display_name=display_name)
    password_hash = passwords.hash_password(password)
    try:
        with unit_of_work() as session:
            if users_repo.get_by_username(session=session, username=username):
                raise InvalidInput("username", "This username is taken.")
            user = users_repo.create(
                session=session,
                username=username,
                display_name=display_name,
                password_hash=password_hash,
            )
            signed_in = _signed_in(user)
    except IntegrityError:
        # Two sign-ups raced for the same name; the unique index decided.
        raise InvalidInput("username", "This username is taken.") from None
    return signed_in


def sign_in(*, username: str, password: str) -> SignedIn:
    """Check the credentials; refuse for a while after too many failures."""
    settings = get_settings()
    key = username.strip().lower()[:64]
    if not key or not password:
        raise InvalidInput(
            "username" if not key else "password", "Enter your username and password."
        )
    with unit_of_work() as session:
        _refuse_if_throttled(
            session, key, settings.sign_in_max_failures, settings.sign_in_window_seconds
        )
        user = users_repo.get_by_username(session=session, username=key)
        if not passwords.verify_password(user.password_hash if user else None, password):
            now = sign_in_failures.now(session=session)
            sign_in_failures.delete_older_than(
                session=session, cutoff=now - timedelta(seconds=settings.sign_in_window_seconds)
            )
            sign_in_failures.create(session=session, username_key=key)
            failed = True
        else:
            assert user is not None
            sign_in_failures.delete_for(session=session, username_key=key)
            if passwords.needs_rehash(user.password_hash):
                users_repo.update_password_hash(
                    session=session, user=user, password_hash=passwords.hash_password(password)
                )
            failed = False
            signed_in = _signed_in(user)
    if failed:
        # Raised after the block so the recorded failure commits.
        raise InvalidInput("password", WRONG_CREDENTIALS)
    return signed_in


def _refuse_if_throttled(session, key: str, max_failures: int, window_seconds: int) -> None:
    now = sign_in_failures.now(session=session)
    since = now - timedelta(seconds=window_seconds)
    if sign_in_failures.count_since(session=session, username_key=key, since=since) < max_failures:
        return
    oldest = sign_in_failures.oldest_since(session=session, username_key=key, since=since)
    wait = window_seconds if oldest is None else (oldest - since).total_seconds()
    retry_after = max(1, math.ceil(wait))
    raise TooManyAttempts(
        f"Too many failed attempts. Try again in {retry_after} seconds.", retry_after
    )


def session_user(token: str) -> SessionUser:
    """The person a token belongs to; NotAuthenticated when it cannot be trusted."""
    if not token:
        raise NotAuthenticated("Please sign in.")
    try:
        claims = tokens.verify_token(token)
    except tokens.InvalidToken:
        raise NotAuthenticated("Your session has ended. Please sign in again.") from None
    with unit_of_work() as session:
        user = users_repo.get(session=session, user_id=claims.user_id)
        if user is None:
            raise NotAuthenticated("Your session has ended. Please sign in again.")
        return SessionUser.of(user)


def _signed_in(user: User) -> SignedIn:
    assert user.id is not None
    return SignedIn(token=tokens.issue_token(user.id), user=SessionUser.of(user))
