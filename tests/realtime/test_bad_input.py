"""Bad input keeps the service up and changes nothing."""

from __future__ import annotations

import json
import urllib.request

from sqlalchemy import Engine

from chat_app.services.direct_chats import open_direct_chat
from tests.chat_factories import changed_tables, make_users, send, snapshot
from tests.realtime.conftest import (
    RealtimeServer,
    close_code,
    events_until,
    nothing_arrives,
    receive,
    sign_in,
)


def _still_serves(db: Engine, realtime: RealtimeServer) -> None:
    alice, bob = make_users(db, "later-a", "later-b")
    chat_id = open_direct_chat(user_id=alice.id, other_user_id=bob.id)
    with sign_in(realtime, bob.id) as (ws, _):
        sent = send(alice, chat_id, "still here")
        events = events_until(ws, 1)
        while events[-1]["data"].get("message_id") != sent.message_id:
            events = events_until(ws, 1)


def test_an_oversize_frame_closes_with_1009(db: Engine, realtime: RealtimeServer) -> None:
    [alice] = make_users(db, "alice")
    before = snapshot(db)
    with sign_in(realtime, alice.id) as (ws, _):
        ws.send(json.dumps({"type": "typing", "chat_id": 1, "pad": "x" * 9000}))
        code, _, _ = close_code(ws)
    assert code == 1009
    assert changed_tables(before, snapshot(db)) == set()
    _still_serves(db, realtime)


def test_non_json_and_unknown_types_get_error_frames_then_a_close(
    db: Engine, realtime: RealtimeServer
) -> None:
    [alice] = make_users(db, "alice")
    before = snapshot(db)
    with sign_in(realtime, alice.id) as (ws, _):
        ws.send("{not json")
        error = receive(ws)
        assert error == {
            "type": "error",
            "code": "bad_frame",
            "reason": "not JSON",
            "reconnect": False,
        }
        ws.send(json.dumps({"type": "delete_everything"}))
        assert receive(ws)["reason"] == "unknown frame type 'delete_everything'"
        ws.send(json.dumps({"type": "resume", "last_event_id": "yesterday"}))
        assert receive(ws)["reason"].startswith("last_event_id")
        for _ in range(3):
            ws.send("[]")
        code, reason, _ = close_code(ws)
    assert (code, reason) == (4400, "too many invalid frames")
    assert changed_tables(before, snapshot(db)) == set()
    _still_serves(db, realtime)


def test_typing_in_someone_elses_chat_is_refused(db: Engine, realtime: RealtimeServer) -> None:
    alice, bob, mallory = make_users(db, "alice", "bob", "mallory")
    chat_id = open_direct_chat(user_id=alice.id, other_user_id=bob.id)
    with (
        sign_in(realtime, bob.id) as (bob_ws, _),
        sign_in(realtime, mallory.id) as (mallory_ws, _),
    ):
        mallory_ws.send(json.dumps({"type": "typing", "chat_id": chat_id}))
        assert receive(mallory_ws)["code"] == "not_member"
        assert nothing_arrives(bob_ws, 0.5)


def test_typing_reaches_the_other_members_only(db: Engine, realtime: RealtimeServer) -> None:
    alice, bob, carol = make_users(db, "alice", "bob", "carol")
    chat_id = open_direct_chat(user_id=alice.id, other_user_id=bob.id)
    with (
        sign_in(realtime, alice.id) as (alice_ws, _),
        sign_in(realtime, bob.id) as (bob_ws, _),
        sign_in(realtime, carol.id) as (carol_ws, _),
    ):
        alice_ws.send(json.dumps({"type": "typing", "chat_id": chat_id}))
        frame = receive(bob_ws)
        assert frame == {
            "type": "event",
            "v": 1,
            "id": None,
            "kind": "typing",
            "data": {"chat_id": chat_id, "user_id": alice.id},
        }
        assert nothing_arrives(alice_ws, 0.3)
        assert nothing_arrives(carol_ws, 0.1)


def test_flooding_closes_with_4429(db: Engine, realtime: RealtimeServer) -> None:
    alice, bob = make_users(db, "alice", "bob")
    chat_id = open_direct_chat(user_id=alice.id, other_user_id=bob.id)
    with sign_in(realtime, alice.id) as (ws, _):
        for _ in range(40):
            ws.send(json.dumps({"type": "typing", "chat_id": chat_id}))
        code, reason, _ = close_code(ws)
    assert code == 4429
    assert "rate limit" in reason
    _still_serves(db, realtime)


def test_health_answers_ok(db: Engine, realtime: RealtimeServer) -> None:
    with urllib.request.urlopen(f"{realtime.base}/health", timeout=5) as response:
        assert response.status == 200
        assert json.loads(response.read()) == {"status": "ok"}
