"""Caps on open sockets: per person and per client address, refused with 4409."""

from __future__ import annotations

import dataclasses
import json
import time
from contextlib import ExitStack

from sqlalchemy import Engine
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection

from chat_app.realtime import codes
from chat_app.services.direct_chats import open_direct_chat
from chat_app.settings import get_settings
from tests.chat_factories import make_users, send
from tests.realtime.conftest import (
    TEST_LIMITS,
    RealtimeServer,
    close_code,
    events_until,
    open_socket,
    receive,
    running,
    sign_in,
    token_for,
)


def test_one_socket_more_than_the_cap_for_a_person_is_refused(
    db: Engine, realtime: RealtimeServer
) -> None:
    alice, bob = make_users(db, "alice", "bob")
    chat_id = open_direct_chat(user_id=alice.id, other_user_id=bob.id)
    cap = get_settings().realtime_max_sockets_per_user
    assert cap == 20
    with ExitStack() as stack:
        sockets = [stack.enter_context(sign_in(realtime, bob.id))[0] for _ in range(cap)]

        extra = stack.enter_context(open_socket(realtime))
        extra.send(json.dumps({"type": "auth", "token": token_for(bob.id)}))
        code, reason, seen = close_code(extra)
        assert (code, reason, seen) == (
            codes.TOO_MANY_SOCKETS,
            "too many sockets for this person",
            [],
        )

        # The first ``cap`` keep working, and Alice is not limited by Bob's sockets.
        sent = send(alice, chat_id, "still there?")
        for ws in sockets:
            [event] = events_until(ws, 1)
            assert event["data"]["message_id"] == sent.message_id
        with sign_in(realtime, alice.id) as (_, ready):
            assert ready["user_id"] == alice.id


def test_a_closed_socket_frees_its_place(db: Engine, realtime: RealtimeServer) -> None:
    [bob] = make_users(db, "bob")
    cap = get_settings().realtime_max_sockets_per_user
    with ExitStack() as stack:
        for _ in range(cap - 1):
            stack.enter_context(sign_in(realtime, bob.id))
        with sign_in(realtime, bob.id):
            pass
        wait_for(lambda: realtime.hub.sockets_of(bob.id) == cap - 1)
        with sign_in(realtime, bob.id) as (_, ready):
            assert ready["type"] == "ready"


def test_one_socket_more_than_the_cap_for_an_address_is_refused(db: Engine) -> None:
    """Counted before sign-in, so unauthenticated sockets cannot pile up either."""
    [bob] = make_users(db, "bob")
    limits = dataclasses.replace(TEST_LIMITS, max_sockets_per_address=5, auth_timeout_s=10.0)
    server = RealtimeServer(limits)
    with running(server), ExitStack() as stack:
        idle = [stack.enter_context(open_socket(server)) for _ in range(4)]
        stack.enter_context(sign_in(server, bob.id))

        extra = stack.enter_context(open_socket(server))
        code, reason, _ = close_code(extra)
        assert (code, reason) == (codes.TOO_MANY_SOCKETS, "too many sockets from this address")

        # Once one closes (the server notices within moments) there is room again.
        idle[0].close()
        wait_for(lambda: first_frame_or_close(server, bob.id) == "ready")


def first_frame_or_close(server: RealtimeServer, user_id: int) -> str | int:
    with open_socket(server) as ws:
        ws.send(json.dumps({"type": "auth", "token": token_for(user_id)}))
        try:
            return receive(ws)["type"]
        except ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd else "closed without a code"


def wait_for(condition, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_behind_a_trusted_proxy_each_client_address_counts_on_its_own(db: Engine) -> None:
    """The tests connect from loopback, which development trusts as a proxy: the
    address in X-Forwarded-For is the one counted, as behind Caddy."""
    limits = dataclasses.replace(TEST_LIMITS, max_sockets_per_address=2, auth_timeout_s=10.0)
    server = RealtimeServer(limits)

    def from_address(address: str) -> ClientConnection:
        return open_socket(server, {"X-Forwarded-For": address})

    with running(server), ExitStack() as stack:
        for _ in range(2):
            stack.enter_context(from_address("192.0.2.1"))
        third = stack.enter_context(from_address("192.0.2.1"))
        assert close_code(third)[0] == codes.TOO_MANY_SOCKETS

        elsewhere = stack.enter_context(from_address("192.0.2.2"))
        [bob] = make_users(db, "bob")
        elsewhere.send(json.dumps({"type": "auth", "token": token_for(bob.id)}))
        assert receive(elsewhere)["type"] == "ready"
