"""The wake-up after commit: heard by a listener, and coalesced under a burst."""

from __future__ import annotations

import select
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import psycopg2
import psycopg2.extensions
from sqlalchemy import Engine

from chat_app.database import unit_of_work
from chat_app.protocol import EventKind
from chat_app.realtime.listener import psycopg2_dsn
from chat_app.repositories.realtime_events import CHANNEL
from chat_app.services.direct_chats import open_direct_chat
from chat_app.services.outbox import publish
from tests.chat_factories import make_users, send


class Listening:
    def __init__(self, database_url: str) -> None:
        self.connection = psycopg2.connect(psycopg2_dsn(database_url))
        self.connection.set_isolation_level(psycopg2.extensions.ISOLATION_LEVEL_AUTOCOMMIT)
        with self.connection.cursor() as cursor:
            cursor.execute(f"LISTEN {CHANNEL}")

    def heard(self, wait: float) -> int:
        """How many NOTIFYs arrive within ``wait`` seconds."""
        count = 0
        deadline = time.monotonic() + wait
        while (left := deadline - time.monotonic()) > 0:
            if select.select([self.connection], [], [], left)[0]:
                self.connection.poll()
                count += len(self.connection.notifies)
                self.connection.notifies.clear()
        return count

    def close(self) -> None:
        self.connection.close()


def test_a_send_wakes_a_listener_after_commit(db: Engine, database_url: str) -> None:
    alice, bob = make_users(db, "alice", "bob")
    chat_id = open_direct_chat(user_id=alice.id, other_user_id=bob.id)
    listening = Listening(database_url)
    try:
        send(alice, chat_id, "wake up")
        assert listening.heard(0.5) == 1
    finally:
        listening.close()


def test_a_rolled_back_transaction_wakes_nobody(db: Engine, database_url: str) -> None:
    alice, bob = make_users(db, "alice", "bob")
    chat_id = open_direct_chat(user_id=alice.id, other_user_id=bob.id)
    listening = Listening(database_url)
    try:
        try:
            with unit_of_work() as session:
                publish(session, EventKind.MESSAGE_UPDATED, chat_id=chat_id, message_id=1)
                raise RuntimeError("abandon")
        except RuntimeError:
            pass
        assert listening.heard(0.3) == 0
    finally:
        listening.close()


def test_a_burst_of_sends_is_coalesced_into_far_fewer_notifies(
    db: Engine, database_url: str, settings_env: Callable[..., None]
) -> None:
    # One person sends 200 at once here, far past the send limits this is not about.
    settings_env(SEND_BURST_MAX="1000", SEND_SUSTAINED_MAX="1000")
    people = make_users(db, *[f"user{n}" for n in range(9)])
    chats = [open_direct_chat(user_id=people[0].id, other_user_id=p.id) for p in people[1:]]
    listening = Listening(database_url)
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(lambda n: send(people[0], chats[n % 8], f"burst {n}"), range(200)))
        heard = listening.heard(0.5)
        assert 1 <= heard < 100
    finally:
        listening.close()
