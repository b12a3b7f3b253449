"""Helpers for the chat service tests: people, sends, bulk history and table snapshots.

Rows the services would write are written through the services; only what no
service writes yet (image and file messages, thousands of messages at once) is
inserted directly, keeping ``chats.last_seq``/``last_message_id`` and the
sender's cursors consistent the way a send does.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from sqlalchemy import Engine, text

from chat_app.database import unit_of_work
from chat_app.models import Attachment, Chat, Message, MessageKind, User
from chat_app.services.message_send import Sent, send_message
from tests.factories import make_user

T = TypeVar("T")

# Every table a chat operation may touch, with the order that makes a snapshot stable.
SNAPSHOT_TABLES = {
    "users": "id",
    "chats": "id",
    "chat_members": "chat_id, user_id",
    "former_members": "chat_id, user_id",
    "messages": "id",
    "reactions": "message_id, user_id",
    "attachments": "id",
    "events": "id",
}


def make_users(db: Engine, *usernames: str) -> list[User]:
    return [make_user(db, name) for name in usernames]


def new_client_id() -> str:
    return "c-" + uuid.uuid4().hex


def send(user: User | int, chat_id: int, body: str = "hello", **kwargs: Any) -> Sent:
    """Send text through the service with a fresh client id (unless one is given)."""
    kwargs.setdefault("client_msg_id", new_client_id())
    user_id = user if isinstance(user, int) else user.id
    return send_message(user_id=user_id, chat_id=chat_id, body=body, **kwargs)


def snapshot(db: Engine) -> dict[str, list[tuple]]:
    """Every row of every chat table, for "nothing changed" assertions."""
    with db.connect() as connection:
        return {
            table: [
                tuple(row)
                for row in connection.execute(text(f"SELECT * FROM {table} ORDER BY {order}"))
            ]
            for table, order in SNAPSHOT_TABLES.items()
        }


def changed_tables(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> set[str]:
    return {table for table in before if before[table] != after[table]}


def scalar(db: Engine, sql: str, **params: Any) -> Any:
    with db.connect() as connection:
        return connection.execute(text(sql), params).scalar_one()


def rows(db: Engine, sql: str, **params: Any) -> list[dict[str, Any]]:
    with db.connect() as connection:
        return [dict(row) for row in connection.execute(text(sql), params).mappings()]


def execute(db: Engine, sql: str, **params: Any) -> None:
    with db.begin() as connection:
        connection.execute(text(sql), params)


def events(db: Engine, kind: str | None = None) -> list[dict[str, Any]]:
    """Outbox rows (oldest first), optionally of one kind."""
    return rows(
        db,
        "SELECT id, chat_id, kind, payload, recipient_ids FROM events "
        "WHERE CAST(:kind AS text) IS NULL OR kind = :kind ORDER BY id",
        kind=kind,
    )


def member_row(db: Engine, chat_id: int, user_id: int) -> dict[str, Any] | None:
    found = rows(
        db,
        "SELECT * FROM chat_members WHERE chat_id = :chat_id AND user_id = :user_id",
        chat_id=chat_id,
        user_id=user_id,
    )
    return found[0] if found else None


def chat_row(db: Engine, chat_id: int) -> dict[str, Any]:
    [row] = rows(db, "SELECT * FROM chats WHERE id = :chat_id", chat_id=chat_id)
    return row


def message_row(db: Engine, message_id: int) -> dict[str, Any]:
    [row] = rows(db, "SELECT * FROM messages WHERE id = :message_id", message_id=message_id)
    return row


def seed_messages(db: Engine, chat_id: int, sender_id: int, count: int) -> list[int]:
    """``count`` text messages ("bulk 1".."bulk N") in one statement; returns their ids.

    Bumps the chat's ``last_seq``/``last_message_id``/activity and moves the
    sender's cursors to the last one, as ``count`` sends would.
    """
    with db.begin() as connection:
        connection.execute(
            text(
                """
                WITH inserted AS (
                    INSERT INTO messages (chat_id, seq, sender_id, kind, body)
                    SELECT c.id, c.last_seq + g, :sender_id, 'text', 'bulk ' || g
                    FROM chats c, generate_series(1, :count) AS g
                    WHERE c.id = :chat_id
                    ORDER BY g
                    RETURNING id, seq
                ), chat_update AS (
                    UPDATE chats SET last_seq = (SELECT max(seq) FROM inserted),
                                     last_message_id = (SELECT max(id) FROM inserted),
                                     last_activity_at = clock_timestamp()
                    WHERE id = :chat_id
                )
                UPDATE chat_members
                SET last_read_message_id = (SELECT max(id) FROM inserted),
                    last_delivered_message_id = (SELECT max(id) FROM inserted)
                WHERE chat_id = :chat_id AND user_id = :sender_id
                """
            ),
            {"chat_id": chat_id, "sender_id": sender_id, "count": count},
        )
        ids = connection.execute(
            text(
                "SELECT id FROM messages WHERE chat_id = :chat_id AND body LIKE 'bulk %' "
                "ORDER BY id DESC LIMIT :count"
            ),
            {"chat_id": chat_id, "count": count},
        ).scalars()
        return sorted(ids)


def insert_attachment_message(
    db: Engine,
    chat_id: int,
    sender_id: int,
    *,
    kind: MessageKind,
    caption: str = "",
    file_name: str = "file.bin",
    mime_type: str = "application/octet-stream",
    size_bytes: int = 1234,
) -> int:
    """An image or file message with one attachment, inserted like a send would."""
    with unit_of_work(db) as session:
        chat = session.get(Chat, chat_id, with_for_update=True)
        assert chat is not None
        message = Message(
            chat_id=chat_id,
            seq=chat.last_seq + 1,
            sender_id=sender_id,
            kind=kind,
            body=caption,
        )
        session.add(message)
        session.flush()
        session.add(
            Attachment(
                chat_id=chat_id,
                message_id=message.id,
                uploader_id=sender_id,
                storage_name=uuid.uuid4().hex,
                original_name=file_name,
                mime_type=mime_type,
                size_bytes=size_bytes,
                width=640 if kind == MessageKind.IMAGE else None,
                height=480 if kind == MessageKind.IMAGE else None,
            )
        )
        session.execute(
            text(
                "UPDATE chats SET last_seq = :seq, last_message_id = :id, "
                "last_activity_at = clock_timestamp() WHERE id = :chat_id"
            ),
            {"seq": message.seq, "id": message.id, "chat_id": chat_id},
        )
        session.execute(
            text(
                "UPDATE chat_members SET last_read_message_id = :id, "
                "last_delivered_message_id = :id WHERE chat_id = :chat_id AND user_id = :user_id"
            ),
            {"id": message.id, "chat_id": chat_id, "user_id": sender_id},
        )
        assert message.id is not None
        return message.id


def age_message(db: Engine, message_id: int, *, minutes: float) -> None:
    """Pretend the message was sent ``minutes`` ago."""
    execute(
        db,
        "UPDATE messages SET created_at = now() - make_interval(secs => :secs) WHERE id = :id",
        secs=minutes * 60,
        id=message_id,
    )


def all_at_once(count: int, call: Callable[[int], T]) -> list[T]:
    """Run ``call(i)`` for i in range(count) on ``count`` threads released together."""
    barrier = threading.Barrier(count)

    def run(index: int) -> T:
        barrier.wait(timeout=30)
        return call(index)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))
