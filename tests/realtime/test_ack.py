"""Acks as flow control: a client may have only so many events unacknowledged."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from websockets.sync.client import ClientConnection

from chat_app.services.direct_chats import open_direct_chat
from tests.chat_factories import make_users, send
from tests.realtime.conftest import (
    TEST_LIMITS,
    RealtimeServer,
    close_code,
    events_until,
    nothing_arrives,
    receive,
    running,
    sign_in,
)

MAX_UNACKED = 3


@pytest.fixture
def strict(db: Engine) -> Iterator[RealtimeServer]:
    server = RealtimeServer(dataclasses.replace(TEST_LIMITS, max_unacked_events=MAX_UNACKED))
    with running(server):
        yield server


def ack(ws: ClientConnection, event_id: int) -> None:
    ws.send(json.dumps({"type": "ack", "last_event_id": event_id}))


def chat(db: Engine, strict: RealtimeServer) -> tuple[int, int, int]:
    """Alice, Bob and their chat, with the service past the events that made it."""
    alice, bob = make_users(db, "alice", "bob")
    chat_id = open_direct_chat(user_id=alice.id, other_user_id=bob.id)
    strict.wait_caught_up(db)
    return alice.id, bob.id, chat_id


def test_acks_make_room_for_more_events(db: Engine, strict: RealtimeServer) -> None:
    alice, bob, chat_id = chat(db, strict)
    with sign_in(strict, bob) as (ws, _):
        for round_ in range(3):
            sent = [send(alice, chat_id, f"{round_}.{n}").message_id for n in range(MAX_UNACKED)]
            got = events_until(ws, MAX_UNACKED)
            assert [e["data"]["message_id"] for e in got] == sent
            ack(ws, got[-1]["id"])
            assert nothing_arrives(ws, 0.2)


def test_too_many_unacknowledged_events_close_with_1013(db: Engine, strict: RealtimeServer) -> None:
    alice, bob, chat_id = chat(db, strict)
    with sign_in(strict, bob) as (ws, _):
        send(alice, chat_id, "one")
        [first] = events_until(ws, 1)
        ack(ws, first["id"] - 1)  # an ack below it leaves it outstanding
        for n in range(MAX_UNACKED):
            send(alice, chat_id, f"more {n}")
        code, reason, seen = close_code(ws)
    assert code == 1013
    assert "reconnect and resume" in reason
    # The one outstanding plus two more fill the allowance; the third is not sent.
    assert [json.loads(frame)["type"] for frame in seen] == ["event"] * (MAX_UNACKED - 1)


def test_an_ack_beyond_what_was_sent_is_refused_and_the_socket_stays_open(
    db: Engine, strict: RealtimeServer
) -> None:
    alice, bob, chat_id = chat(db, strict)
    with sign_in(strict, bob) as (ws, ready):
        ack(ws, ready["last_event_id"])
        assert nothing_arrives(ws, 0.2)
        ack(ws, ready["last_event_id"] + 1)
        error = receive(ws)
        assert error["type"] == "error"
        assert error["code"] == "bad_frame"
        assert error["reason"].startswith("ack above the last event sent")
        sent = send(alice, chat_id, "still open")
        [event] = events_until(ws, 1)
        assert event["data"]["message_id"] == sent.message_id


def test_a_long_resume_waits_for_acks_instead_of_overrunning(
    db: Engine, strict: RealtimeServer
) -> None:
    alice, bob, chat_id = chat(db, strict)
    with sign_in(strict, bob) as (ws, _):
        send(alice, chat_id, "seen")
        [seen] = events_until(ws, 1)
    missed = [send(alice, chat_id, f"missed {n}").message_id for n in range(7)]
    strict.wait_caught_up(db)
    with sign_in(strict, bob) as (ws, _):
        ws.send(json.dumps({"type": "resume", "last_event_id": seen["id"]}))
        got: list[int] = []
        while len(got) < len(missed):
            batch = events_until(ws, min(MAX_UNACKED, len(missed) - len(got)))
            got += [e["data"]["message_id"] for e in batch]
            assert nothing_arrives(ws, 0.3)
            ack(ws, batch[-1]["id"])
        assert got == missed
