"""Sign-up, sign-in and resolving a session token to a person.

Wrong passwords and unknown usernames get the same message and take the same
time (a dummy hash is verified), so the form never reveals who has an account.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from chat_app import access_tokens
from chat_app.client_address import address_key
from chat_app.database import unit_of_work
from chat_app.models import User
from chat_app.models.user import DISPLAY_NAME_MAX, USERNAME_MAX
from chat_app.repositories import rate_limit_hits
from chat_app.repositories import sessions as sessions_repo
from chat_app.repositories import users as users_repo
from chat_app.services import passwords, rate_limits, sessions
from chat_app.services.errors import InvalidInput, NotAuthenticated
from chat_app.services.rate_limits import Limit
from chat_app.services.text_rules import refuse_control_characters
from chat_app.settings import Settings, get_settings

USERNAME_MIN = 3
USERNAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.]*")
USERNAME_RULE = (
    f"{USERNAME_MIN}–{USERNAME_MAX} characters: letters a–z, digits, '_' and '.', "
    "starting with a letter or digit."
)
WRONG_CREDENTIALS = "Wrong username or password."
SESSION_ENDED = "Your session has ended. Please sign in again."


@dataclass(frozen=True)
class SessionUser:
    """What the UI may know about the signed-in person."""

    id: int
    username: str
    display_name: str
    # The stored name of my profile picture: every screen's header shows it.
    avatar_path: str | None = None
    # The ``sessions`` row this sign-in is: "This device" in Linked devices.
    session_id: int = 0

    @classmethod
    def of(cls, user: User, session_id: int) -> SessionUser:
        assert user.id is not None
        return cls(
            id=user.id,
            username=user.username,
            display_name=user.display_name,
            avatar_path=user.avatar_path,
            session_id=session_id,
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


@dataclass(frozen=True)
class _SignInLimits:
    """Where failed sign-ins are counted (see docs/architecture.md, "Limits").

    ``pair``: this account from this address, which an attacker elsewhere cannot
    fill. ``address``: any account from this address, which stops one address
    trying a password against many accounts. ``account``: any address, with a far
    higher limit; once it is full only addresses that have not failed on this
    account lately may try, so a spread-out attack slows to one guess per address
    while the owner's own device still gets in.

    A call with no address comes from this process (a script, a seed), not from
    a client: it has no address bucket, and its pair bucket is the account's.
    """

    pair: str
    address: str
    account: str

    @classmethod
    def of(cls, account: str, address: str) -> _SignInLimits:
        where = address_key(address)
        return cls(
            pair=f"sign-in:pair:{where}:{account}",
            address=f"sign-in:address:{where}" if address else "",
            account=f"sign-in:account:{account}",
        )


def _keep_seconds(settings: Settings) -> int:
    """How long a hit may still matter to any limit."""
    return max(
        settings.sign_in_window_seconds,
        settings.sign_in_address_window_seconds,
        settings.sign_in_account_window_seconds,
        settings.sign_up_window_seconds,
    )


def sign_up(
    *, username: str, display_name: str, password: str, address: str = "", user_agent: str = ""
) -> SignedIn:
    username = check_username(username)
    display_name = check_display_name(display_name)
    check_password(password, username=username, display_name=display_name)
    settings = get_settings()
    limit = Limit(settings.sign_up_max_per_address, settings.sign_up_window_seconds)
    # No address: a sign-up from this process (a script, a seed), not a client.
    bucket = f"sign-up:address:{address_key(address)}" if address else ""
    with unit_of_work() as session:
        # Checked before the deliberately slow hash too, so a flood costs no CPU.
        _refuse_sign_up_if_throttled(session, bucket, limit)
    password_hash = passwords.hash_password(password)
    try:
        with unit_of_work() as session:
            now = _refuse_sign_up_if_throttled(session, bucket, limit)
            # Each try counts, taken or not, so names cannot be probed in bulk.
            rate_limits.hit(session, [bucket], now=now, keep_seconds=_keep_seconds(settings))
            if users_repo.get_by_username(session=session, username=username):
                signed_in = None
            else:
                user = users_repo.create(
                    session=session,
                    username=username,
                    display_name=display_name,
                    password_hash=password_hash,
                )
                signed_in = _signed_in(session, user, user_agent)
    except IntegrityError:
        # Two sign-ups raced for the same name; the unique index decided.
        signed_in = None
    if signed_in is None:
        # Raised after the block so the counted try commits.
        raise InvalidInput("username", "This username is taken.")
    return signed_in


def _refuse_sign_up_if_throttled(session: Session, bucket: str, limit: Limit) -> datetime:
    now = rate_limit_hits.now(session=session)
    wait = rate_limits.wait_for(session, bucket, limit, now)
    if wait:
        raise rate_limits.too_many("Too many sign-ups from your network.", wait)
    return now


def sign_in(*, username: str, password: str, address: str = "", user_agent: str = "") -> SignedIn:
    """Check the credentials; refuse for a while after too many failures.

    ``address`` is the client's (see :mod:`chat_app.client_address`).
    """
    settings = get_settings()
    account = username.strip().lower()[:USERNAME_MAX]
    if not account or not password:
        raise InvalidInput(
            "username" if not account else "password", "Enter your username and password."
        )
    buckets = _SignInLimits.of(account, address)
    with unit_of_work() as session:
        now = rate_limit_hits.now(session=session)
        _refuse_if_throttled(session, buckets, settings, now)
        user = users_repo.get_by_username(session=session, username=account)
        if not passwords.verify_password(user.password_hash if user else None, password):
            rate_limits.hit(
                session,
                [buckets.pair, buckets.address, buckets.account],
                now=now,
                keep_seconds=_keep_seconds(settings),
            )
            failed = True
        else:
            assert user is not None
            rate_limit_hits.delete_bucket(session=session, bucket=buckets.pair)
            if passwords.needs_rehash(user.password_hash):
                users_repo.update_password_hash(
                    session=session, user=user, password_hash=passwords.hash_password(password)
                )
            failed = False
            signed_in = _signed_in(session, user, user_agent)
    if failed:
        # Raised after the block so the recorded failure commits.
        raise InvalidInput("password", WRONG_CREDENTIALS)
    return signed_in


def _refuse_if_throttled(
    session: Session, buckets: _SignInLimits, settings: Settings, now: datetime
) -> None:
    pair = Limit(settings.sign_in_max_failures, settings.sign_in_window_seconds)
    address = Limit(settings.sign_in_address_max_failures, settings.sign_in_address_window_seconds)
    account = Limit(settings.sign_in_account_max_failures, settings.sign_in_account_window_seconds)
    wait = max(
        rate_limits.wait_for(session, buckets.pair, pair, now),
        rate_limits.wait_for(session, buckets.address, address, now),
    )
    if not wait and rate_limits.wait_for(session, buckets.account, account, now):
        # The account is under attack: one failure per address per window.
        wait = rate_limits.wait_for(session, buckets.pair, Limit(1, account.window_seconds), now)
    if wait:
        raise rate_limits.too_many("Too many failed attempts.", wait)


def session_user(token: str) -> SessionUser:
    """The person a token belongs to; NotAuthenticated unless its session still counts.

    One primary-key lookup (the session joined to its person), run on every event;
    "last active" is written at most once a minute per session."""
    if not token:
        raise NotAuthenticated("Please sign in.")
    try:
        claims = access_tokens.verify_token(token)
    except access_tokens.InvalidToken:
        raise NotAuthenticated(SESSION_ENDED) from None
    with unit_of_work() as session:
        row, user = sessions_repo.get_with_user(session=session, session_id=claims.session_id)
        at = datetime.now(UTC)
        if (
            row is None
            or user is None
            or not sessions.still_valid(row, user_id=claims.user_id, at=at)
        ):
            raise NotAuthenticated(SESSION_ENDED)
        sessions.record_activity(session, row, at=at)
        return SessionUser.of(user, claims.session_id)


def sign_out(token: str) -> None:
    """End the token's session server-side; a token that is no longer valid ends nothing."""
    try:
        claims = access_tokens.verify_token(token)
    except access_tokens.InvalidToken:
        return
    sessions.end(user_id=claims.user_id, session_id=claims.session_id)


def _signed_in(session, user: User, user_agent: str) -> SignedIn:
    assert user.id is not None
    row = sessions.start(session, user_id=user.id, user_agent=user_agent)
    assert row.id is not None
    return SignedIn(
        token=access_tokens.issue_token(user.id, row.id), user=SessionUser.of(user, row.id)
    )
