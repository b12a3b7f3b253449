"""Every untrustworthy token is refused with 4401 before any event is sent."""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest
from sqlalchemy import Engine

from chat_app import tokens
from chat_app.services.direct_chats import open_direct_chat
from chat_app.settings import get_settings
from tests.chat_factories import make_users, send
from tests.realtime.conftest import RealtimeServer, close_code, open_socket, sign_in


def _claims(user_id: int, **changes: object) -> dict[str, object]:
    settings = get_settings()
    now = int(time.time())
    claims: dict[str, object] = {
        "sub": str(user_id),
        "iat": now,
        "exp": now + 600,
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "typ": tokens.ACCESS,
    }
    claims.update(changes)
    return claims


def _signed(claims: dict[str, object], secret: str | None = None) -> str:
    return jwt.encode(claims, secret or get_settings().jwt_secret, algorithm="HS256")


def _unsigned(claims: dict[str, object]) -> str:
    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


BAD_TOKENS = {
    "garbage": lambda uid: "not-a-token",
    "expired": lambda uid: _signed(
        _claims(uid, iat=int(time.time()) - 700, exp=int(time.time()) - 100)
    ),
    "wrong audience": lambda uid: _signed(_claims(uid, aud="someone-else")),
    "wrong type": lambda uid: _signed(_claims(uid, typ="refresh")),
    "forged secret": lambda uid: _signed(_claims(uid), secret="forged-" + "x" * 40),
    "alg none": lambda uid: _unsigned(_claims(uid)),
}


@pytest.mark.parametrize("kind", list(BAD_TOKENS))
def test_a_bad_token_is_closed_with_4401_before_any_event(
    db: Engine, realtime: RealtimeServer, kind: str
) -> None:
    alice, bob = make_users(db, "alice", "bob")
    chat_id = open_direct_chat(user_id=alice.id, other_user_id=bob.id)
    with open_socket(realtime) as ws:
        send(alice, chat_id, "private")
        ws.send(json.dumps({"type": "auth", "token": BAD_TOKENS[kind](bob.id)}))
        code, reason, seen = close_code(ws)
    assert (code, seen) == (4401, [])
    assert reason


def test_no_auth_frame_is_closed_with_4401(db: Engine, realtime: RealtimeServer) -> None:
    with open_socket(realtime) as ws:
        code, reason, seen = close_code(ws)
    assert (code, seen) == (4401, [])
    assert "auth" in reason


@pytest.mark.parametrize(
    "first",
    [
        '{"type": "resume", "last_event_id": 0}',
        '{"type": "auth"}',
        "hello",
    ],
)
def test_a_first_frame_that_is_not_auth_is_closed_with_4401(
    db: Engine, realtime: RealtimeServer, first: str
) -> None:
    with open_socket(realtime) as ws:
        ws.send(first)
        code, _, seen = close_code(ws)
    assert (code, seen) == (4401, [])


def test_a_token_that_expires_during_the_connection_ends_it(
    db: Engine, realtime: RealtimeServer
) -> None:
    [alice] = make_users(db, "alice")
    settings = get_settings()
    short = tokens.issue_token(alice.id, now=time.time() - settings.jwt_ttl_seconds + 1.5)
    with open_socket(realtime) as ws:
        ws.send(json.dumps({"type": "auth", "token": short}))
        code, reason, seen = close_code(ws, timeout=5)
    assert code == 4401
    assert reason == "token expired"
    assert [json.loads(frame)["type"] for frame in seen] == ["ready"]


def test_a_valid_token_gets_ready(db: Engine, realtime: RealtimeServer) -> None:
    [alice] = make_users(db, "alice")
    with sign_in(realtime, alice.id) as (_, ready):
        assert ready["v"] == 1
