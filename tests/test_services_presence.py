"""The presence a conversation header shows, read by the web app from PostgreSQL.

Sessions are written through the realtime service's own store calls, as an
instance writes them when someone's first socket opens.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from chat_app.realtime import store
from chat_app.repositories.presence import PRESENCE_TTL_S
from chat_app.services.direct_chats import open_direct_chat
from chat_app.services.errors import NotFound
from chat_app.services.groups import create_group
from chat_app.services.presence import PresenceView, presence_of
from tests.chat_factories import execute, make_users, scalar


def connect(instance_id: str, user_id: int) -> None:
    store.register_instance(instance_id)
    assert store.add_sessions(instance_id, [user_id], PRESENCE_TTL_S)


def test_strangers_and_missing_people_get_the_same_not_found(db: Engine) -> None:
    alice, mallory = make_users(db, "alice", "mallory")
    with pytest.raises(NotFound) as stranger:
        presence_of(viewer_id=mallory.id, user_id=alice.id)
    with pytest.raises(NotFound) as missing:
        presence_of(viewer_id=mallory.id, user_id=10**12)
    assert str(stranger.value) == str(missing.value)


def test_people_sharing_any_chat_see_each_other(db: Engine) -> None:
    alice, bob, carol = make_users(db, "alice", "bob", "carol")
    open_direct_chat(user_id=alice.id, other_user_id=bob.id)
    create_group(user_id=bob.id, title="Trio", member_ids=[alice.id, carol.id])
    connect("one", alice.id)
    for viewer in (alice, bob, carol):
        assert presence_of(viewer_id=viewer.id, user_id=alice.id) == PresenceView(True, None)
    never = presence_of(viewer_id=alice.id, user_id=carol.id)
    assert never == PresenceView(False, None)


def test_an_instance_that_stopped_beating_stops_counting_before_any_sweep(db: Engine) -> None:
    """Even with every instance dead (nobody left to sweep), no one stays online."""
    alice, bob = make_users(db, "alice", "bob")
    open_direct_chat(user_id=alice.id, other_user_id=bob.id)
    connect("dead", alice.id)
    execute(db, "UPDATE realtime_instances SET heartbeat_at = now() - interval '1 hour'")
    heartbeat = scalar(db, "SELECT heartbeat_at FROM realtime_instances")

    assert presence_of(viewer_id=bob.id, user_id=alice.id) == PresenceView(False, heartbeat)
