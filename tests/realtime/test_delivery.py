"""Live delivery, resume and restarts against a running service and real sockets."""

from __future__ import annotations

import json
import time

from sqlalchemy import Engine

from chat_app.protocol import SERVER_FRAME, MessageCreated, ProfileUpdated
from chat_app.services import people
from chat_app.services.direct_chats import open_direct_chat
from chat_app.services.groups import create_group, remove_member
from tests.chat_factories import execute, make_users, scalar, send
from tests.realtime.conftest import (
    RealtimeServer,
    events_until,
    nothing_arrives,
    receive,
    sign_in,
)


def test_members_receive_a_sent_message_and_a_stranger_never_does(
    db: Engine, realtime: RealtimeServer
) -> None:
    alice, bob, carol = make_users(db, "alice", "bob", "carol")
    chat_id = open_direct_chat(user_id=alice.id, other_user_id=bob.id)
    with (
        sign_in(realtime, alice.id) as (alice_ws, _),
        sign_in(realtime, bob.id) as (bob_ws, _),
        sign_in(realtime, carol.id) as (carol_ws, _),
    ):
        sent = send(alice, chat_id, "hi bob")
        for ws in (alice_ws, bob_ws):
            [event] = events_until(ws, 1)
            parsed = SERVER_FRAME.validate_python(event)
            assert parsed.data == MessageCreated(
                chat_id=chat_id, message_id=sent.message_id, seq=sent.seq, sender_id=alice.id
            )
            assert event["kind"] == "message.created"
            assert event["v"] == 1
        assert nothing_arrives(carol_ws)


def test_a_removed_member_hears_of_the_removal_and_then_nothing_more(
    db: Engine, realtime: RealtimeServer
) -> None:
    alice, bob = make_users(db, "alice", "bob")
    chat_id = create_group(user_id=alice.id, title="Team", member_ids=[bob.id])
    with sign_in(realtime, bob.id) as (bob_ws, _):
        remove_member(user_id=alice.id, chat_id=chat_id, member_id=bob.id)
        # Membership is read at delivery: the removal's system line is not his to see
        # (an event from before he connected may still arrive first: at least once).
        event = events_until(bob_ws, 1)[0]
        while event["kind"] != "member.removed":
            event = events_until(bob_ws, 1)[0]
        assert event["data"] == {"chat_id": chat_id, "user_id": bob.id}
        send(alice, chat_id, "after bob left")
        assert nothing_arrives(bob_ws)


def test_resume_after_a_disconnect_delivers_every_missed_event_once_in_order(
    db: Engine, realtime: RealtimeServer
) -> None:
    alice, bob, carol = make_users(db, "alice", "bob", "carol")
    chat_id = open_direct_chat(user_id=alice.id, other_user_id=bob.id)
    other_chat = open_direct_chat(user_id=alice.id, other_user_id=carol.id)
    with sign_in(realtime, bob.id) as (bob_ws, _):
        send(alice, chat_id, "before")
        [seen] = events_until(bob_ws, 1)
    missed = [send(alice, chat_id, f"missed {n}").message_id for n in range(5)]
    send(alice, other_chat, "not for bob")
    with sign_in(realtime, bob.id) as (again, _):
        again.send(json.dumps({"type": "resume", "last_event_id": seen["id"]}))
        got = events_until(again, 5)
        assert [e["data"]["message_id"] for e in got] == missed
        ids = [e["id"] for e in got]
        assert ids == sorted(set(ids))
        assert nothing_arrives(again)
        live = send(alice, chat_id, "live again")
        [event] = events_until(again, 1)
        assert event["data"]["message_id"] == live.message_id


def test_without_resume_a_client_starts_at_the_current_event(
    db: Engine, realtime: RealtimeServer
) -> None:
    alice, bob = make_users(db, "alice", "bob")
    chat_id = open_direct_chat(user_id=alice.id, other_user_id=bob.id)
    send(alice, chat_id, "old news")
    realtime.wait_caught_up(db)
    with sign_in(realtime, bob.id) as (bob_ws, ready):
        assert ready["last_event_id"] >= 1
        assert nothing_arrives(bob_ws, 0.4)
        fresh = send(alice, chat_id, "new")
        [event] = events_until(bob_ws, 1)
        assert event["data"]["message_id"] == fresh.message_id
        assert event["id"] > ready["last_event_id"]


def test_resume_from_a_pruned_id_gets_resync(db: Engine, realtime: RealtimeServer) -> None:
    alice, bob = make_users(db, "alice", "bob")
    chat_id = open_direct_chat(user_id=alice.id, other_user_id=bob.id)
    for n in range(3):
        send(alice, chat_id, f"old {n}")
    kept = send(alice, chat_id, "recent")
    # The first three events age past the retention; the service's pruning drops them.
    execute(
        db,
        "UPDATE events SET created_at = now() - interval '3 days' WHERE payload->>'message_id' "
        "IS NOT NULL AND (payload->>'message_id')::bigint < :kept",
        kept=kept.message_id,
    )
    realtime.wait_caught_up(db)
    deadline = time.monotonic() + 5
    while scalar(db, "SELECT count(*) FROM events") > 1:
        assert time.monotonic() < deadline, "old events were not pruned"
        time.sleep(0.05)
    with sign_in(realtime, bob.id) as (bob_ws, _):
        bob_ws.send(json.dumps({"type": "resume", "last_event_id": 0}))
        frame = receive(bob_ws)
        assert frame["type"] == "resync"
        assert frame["last_event_id"] >= 4
        live = send(alice, chat_id, "after resync")
        [event] = events_until(bob_ws, 1)
        assert event["data"]["message_id"] == live.message_id


def test_a_restarted_service_loses_nothing(db: Engine, realtime: RealtimeServer) -> None:
    alice, bob = make_users(db, "alice", "bob")
    chat_id = open_direct_chat(user_id=alice.id, other_user_id=bob.id)
    with sign_in(realtime, bob.id) as (bob_ws, _):
        send(alice, chat_id, "first")
        [seen] = events_until(bob_ws, 1)
        realtime.stop()
    sent_while_down = [send(alice, chat_id, f"while down {n}").message_id for n in range(3)]
    realtime.start()
    with sign_in(realtime, bob.id) as (again, _):
        again.send(json.dumps({"type": "resume", "last_event_id": seen["id"]}))
        got = events_until(again, 3)
        assert [e["data"]["message_id"] for e in got] == sent_while_down
        assert nothing_arrives(again)


def test_an_event_behind_an_uncommitted_one_waits_for_it(
    db: Engine, realtime: RealtimeServer
) -> None:
    """Ids are handed out before commit: a later id must not overtake an earlier one."""
    from chat_app.database import unit_of_work
    from chat_app.protocol import EventKind
    from chat_app.services.outbox import publish

    alice, bob = make_users(db, "alice", "bob")
    chat_id = open_direct_chat(user_id=alice.id, other_user_id=bob.id)
    # Another chat of Bob's, so the open transaction locks nothing the send needs.
    group_id = create_group(user_id=alice.id, title="Slow", member_ids=[bob.id])
    realtime.wait_caught_up(db)
    with sign_in(realtime, bob.id) as (bob_ws, _):
        with unit_of_work() as slow:
            publish(slow, EventKind.MESSAGE_UPDATED, chat_id=group_id, message_id=1)
            later = send(alice, chat_id, "committed first")
            assert nothing_arrives(bob_ws, 0.4)
        got = events_until(bob_ws, 2)
        assert [e["kind"] for e in got] == ["message.updated", "message.created"]
        assert got[1]["data"]["message_id"] == later.message_id


def test_a_new_name_reaches_those_who_share_a_chat_and_no_one_else(
    db: Engine, realtime: RealtimeServer
) -> None:
    alice, bob, carol = make_users(db, "alice", "bob", "carol")
    open_direct_chat(user_id=alice.id, other_user_id=bob.id)
    with (
        sign_in(realtime, alice.id) as (alice_ws, _),
        sign_in(realtime, bob.id) as (bob_ws, _),
        sign_in(realtime, carol.id) as (carol_ws, _),
    ):
        people.update_profile(user_id=alice.id, display_name="Alice Again", about="")
        for ws in (alice_ws, bob_ws):
            [event] = events_until(ws, 1)
            assert SERVER_FRAME.validate_python(event).data == ProfileUpdated(user_id=alice.id)
            assert event["kind"] == "profile.updated"
        assert nothing_arrives(carol_ws)
