"""Every untrustworthy token is refused with 4401 before any event is sent."""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest
from sqlalchemy import Engine, text

from chat_app import access_tokens
from chat_app.realtime.limits import Limits
from chat_app.services import auth, sessions
from chat_app.services.direct_chats import open_direct_chat
from chat_app.settings import get_settings
from tests.chat_factories import make_users, send
from tests.realtime.conftest import RealtimeServer, close_code, open_socket, sign_in, token_for


def _claims(user_id: int, **changes: object) -> dict[str, object]:
    settings = get_settings()
    now = int(time.time())
    claims: dict[str, object] = {
        "sub": str(user_id),
        "iat": now,
        "exp": now + 600,
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "typ": access_tokens.ACCESS,
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
    short = token_for(alice.id, now=time.time() - settings.jwt_ttl_seconds + 1.5)
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


# --- sessions ---------------------------------------------------------------------------


def _session_of(token: str) -> int:
    return access_tokens.verify_token(token).session_id


def test_a_correctly_signed_token_for_a_user_that_does_not_exist_is_refused(
    realtime: RealtimeServer, db: Engine
) -> None:
    [alice] = make_users(db, "alice")
    token = token_for(alice.id)
    with db.begin() as connection:
        connection.execute(text("DELETE FROM users WHERE id = :id"), {"id": alice.id})
    nobody = _signed(_claims(alice.id + 1000, sid="1"))

    for refused in (token, nobody):
        with open_socket(realtime) as ws:
            ws.send(json.dumps({"type": "auth", "token": refused}))
            code, _reason, seen = close_code(ws)
        assert code == 4401
        assert seen == []


def test_a_token_of_a_signed_out_session_is_refused(realtime: RealtimeServer, db: Engine) -> None:
    [alice] = make_users(db, "alice")
    token = token_for(alice.id)
    auth.sign_out(token)

    with open_socket(realtime) as ws:
        ws.send(json.dumps({"type": "auth", "token": token}))
        code, _reason, seen = close_code(ws)

    assert code == 4401
    assert seen == []


def test_sockets_of_a_session_ended_elsewhere_close_with_4401_within_seconds(
    realtime: RealtimeServer, db: Engine
) -> None:
    """Bob logs his laptop out from his phone: the laptop's sockets close, the phone's stay."""
    [bob] = make_users(db, "bob")
    laptop, phone = token_for(bob.id), token_for(bob.id)
    with open_socket(realtime) as laptop_ws, open_socket(realtime) as phone_ws:
        for ws, token in ((laptop_ws, laptop), (phone_ws, phone)):
            ws.send(json.dumps({"type": "auth", "token": token}))
            assert json.loads(ws.recv(timeout=5))["type"] == "ready"

        sessions.revoke(user_id=bob.id, session_id=_session_of(laptop))
        started = time.monotonic()
        code, reason, _seen = close_code(laptop_ws, timeout=6)
        took = time.monotonic() - started

        assert code == 4401, reason
        assert took < Limits().session_check_s + 1.5
        phone_ws.send(json.dumps({"type": "typing", "chat_id": 999999}))
        assert json.loads(phone_ws.recv(timeout=5))["type"] == "error"  # still open, still heard
