"""Presence across instances: online while any socket is open anywhere, last seen after.

Two instances share the test database; people who share a chat hear of each
other coming and going, strangers never do, and the web app's read agrees.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, text

from chat_app.services.direct_chats import open_direct_chat
from chat_app.services.errors import NotFound
from chat_app.services.presence import PresenceView, presence_of
from tests.chat_factories import execute, make_users, scalar, send
from tests.realtime.conftest import (
    PRESENCE_LIMITS,
    RealtimeChild,
    RealtimeServer,
    events_until,
    next_presence,
    nothing_arrives,
    running,
    sign_in,
    token_for,
)


def last_seen_in_db(db: Engine, user_id: int) -> datetime | None:
    return scalar(db, "SELECT last_seen_at FROM users WHERE id = :id", id=user_id)


def went_offline(frame: dict, user_id: int) -> datetime:
    """The offline event's last seen time, after checking it is one for ``user_id``."""
    assert frame["id"] is None
    assert frame["data"]["user_id"] == user_id
    assert frame["data"]["online"] is False
    return datetime.fromisoformat(frame["data"]["last_seen_at"])


def test_presence_follows_sockets_across_two_instances(
    db: Engine, two_realtimes: tuple[RealtimeServer, RealtimeServer]
) -> None:
    first, second = two_realtimes
    alice, bob, carol = make_users(db, "alice", "bob", "carol")
    open_direct_chat(user_id=alice.id, other_user_id=bob.id)
    before = datetime.now(UTC)
    with sign_in(second, bob.id) as (bob_ws, _), sign_in(second, carol.id) as (carol_ws, _):
        with sign_in(first, alice.id) as (alice_first, _):
            online = next_presence(bob_ws)
            assert online == {
                "type": "event",
                "v": 1,
                "id": None,
                "kind": "presence",
                "data": {"user_id": alice.id, "online": True, "last_seen_at": None},
            }
            assert nothing_arrives(carol_ws, presence=True)
            assert presence_of(viewer_id=bob.id, user_id=alice.id) == PresenceView(True, None)
            assert presence_of(viewer_id=alice.id, user_id=alice.id).online
            with pytest.raises(NotFound):
                presence_of(viewer_id=carol.id, user_id=alice.id)

            # A second socket elsewhere, then the first closes: still online throughout.
            with sign_in(second, alice.id) as (alice_second, _):
                alice_first.close()
                assert nothing_arrives(bob_ws, 1.0, presence=True)
                assert presence_of(viewer_id=bob.id, user_id=alice.id).online
                assert nothing_arrives(alice_second, 0.1, presence=True)

        seen = went_offline(next_presence(bob_ws), alice.id)
        assert before <= seen <= datetime.now(UTC)
        assert last_seen_in_db(db, alice.id) == seen
        assert presence_of(viewer_id=bob.id, user_id=alice.id) == PresenceView(False, seen)
        assert nothing_arrives(carol_ws, 0.2, presence=True)


def test_a_crashed_instance_is_swept_and_its_people_go_offline(
    db: Engine, realtime_child: RealtimeChild
) -> None:
    survivor = RealtimeServer(PRESENCE_LIMITS)
    alice, bob = make_users(db, "alice", "bob")
    open_direct_chat(user_id=alice.id, other_user_id=bob.id)
    with (
        running(survivor),
        sign_in(survivor, bob.id) as (bob_ws, _),
        sign_in(realtime_child, alice.id),
    ):
        assert next_presence(bob_ws)["data"]["online"] is True
        assert presence_of(viewer_id=bob.id, user_id=alice.id).online
        realtime_child.kill()
        killed_at = datetime.now(UTC)

        seen = went_offline(next_presence(bob_ws, timeout=10), alice.id)
        # Last seen is the dead instance's last heartbeat, just before it died.
        assert seen <= killed_at
        assert last_seen_in_db(db, alice.id) == seen
        assert presence_of(viewer_id=bob.id, user_id=alice.id) == PresenceView(False, seen)
        # The dead instance and Alice's session on it are gone; Bob's on the survivor stays.
        sessions = "SELECT array_agg(user_id) FROM presence_sessions WHERE instance_id = :id"
        assert scalar(db, sessions, id=survivor.instance_id) == [bob.id]
        assert (
            scalar(db, "SELECT count(*) FROM presence_sessions WHERE user_id = :id", id=alice.id)
            == 0
        )


def test_a_graceful_stop_takes_its_people_offline_at_once(
    db: Engine, realtime: RealtimeServer
) -> None:
    """With production's 30 s TTL, only the stopping instance's own cleanup is this quick."""
    stopping = RealtimeServer()
    alice, bob = make_users(db, "alice", "bob")
    open_direct_chat(user_id=alice.id, other_user_id=bob.id)
    with running(stopping), sign_in(realtime, bob.id) as (bob_ws, _):
        with sign_in(stopping, alice.id):
            assert next_presence(bob_ws)["data"]["online"] is True
            stopped = time.monotonic()
            stopping.stop()
        went_offline(next_presence(bob_ws), alice.id)
        assert time.monotonic() - stopped < 5
        instances = scalar(db, "SELECT array_agg(id) FROM realtime_instances")
        assert realtime.instance_id in instances
        assert stopping.instance_id not in instances


def test_an_instance_swept_while_alive_registers_again_with_its_people(
    db: Engine, two_realtimes: tuple[RealtimeServer, RealtimeServer]
) -> None:
    """As if it lost its database past the TTL and another instance swept it meanwhile."""
    first, second = two_realtimes
    alice, bob = make_users(db, "alice", "bob")
    open_direct_chat(user_id=alice.id, other_user_id=bob.id)
    with sign_in(second, bob.id) as (bob_ws, _), sign_in(first, alice.id):
        assert next_presence(bob_ws)["data"]["online"] is True
        execute(db, "DELETE FROM realtime_instances WHERE id = :id", id=first.instance_id)
        assert not presence_of(viewer_id=bob.id, user_id=alice.id).online

        assert next_presence(bob_ws)["data"] == {
            "user_id": alice.id,
            "online": True,
            "last_seen_at": None,
        }
        assert presence_of(viewer_id=bob.id, user_id=alice.id).online
        on_first = "SELECT count(*) FROM presence_sessions WHERE instance_id = :id"
        assert scalar(db, on_first, id=first.instance_id) == 1


def test_a_stuck_presence_write_never_holds_up_a_socket(
    db: Engine, two_realtimes: tuple[RealtimeServer, RealtimeServer]
) -> None:
    """Alice's presence write waits on her locked row; her socket works meanwhile."""
    server, _ = two_realtimes
    alice, bob = make_users(db, "alice", "bob")
    chat_id = open_direct_chat(user_id=alice.id, other_user_id=bob.id)
    server.wait_caught_up(db)
    # Signed in before the lock: a new session row waits on its person's row too.
    alice_token = token_for(alice.id)
    with db.connect() as locker, sign_in(server, bob.id) as (bob_ws, _):
        locker.execute(text("SELECT 1 FROM users WHERE id = :id FOR UPDATE"), {"id": alice.id})
        with sign_in(server, alice.id, alice_token) as (alice_ws, _):
            sent = send(bob, chat_id, "are you there?")
            for ws in (alice_ws, bob_ws):
                [event] = events_until(ws, 1)
                assert event["data"]["message_id"] == sent.message_id
            assert nothing_arrives(bob_ws, 0.5, presence=True)

            locker.commit()
            assert next_presence(bob_ws)["data"]["online"] is True
