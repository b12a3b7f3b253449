"""Queries on ``messages``: inserting, editing, and keyset pages of history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, text, update
from sqlmodel import Session, select

from chat_app.models import Message

_PAGE_COLUMNS = """
    m.id, m.chat_id, m.seq, m.sender_id, m.kind, m.body, m.reply_to_id, m.client_msg_id,
    m.created_at, m.edited_at, m.deleted_at,
    s.display_name AS sender_name,
    r.body AS reply_body, r.kind AS reply_kind, r.deleted_at AS reply_deleted_at,
    r.sender_id AS reply_sender_id, rs.display_name AS reply_sender_name,
    (SELECT coalesce(min(o.last_delivered_message_id), 0) FROM chat_members o
     WHERE o.chat_id = :chat_id AND o.user_id <> :viewer_id) AS others_delivered,
    (SELECT coalesce(min(o.last_read_message_id), 0) FROM chat_members o
     WHERE o.chat_id = :chat_id AND o.user_id <> :viewer_id) AS others_read,
    reacted.reactions
"""
# The two cursor columns are uncorrelated, so PostgreSQL evaluates each once per
# page (an InitPlan): the ticks' source rides along instead of costing a query.
# Reactions come grouped per message (emoji, count, whether the viewer is one of
# them) through the reactions primary key, also inside the same statement.
_PAGE_JOINS = """
    FROM messages m
    LEFT JOIN users s ON s.id = m.sender_id
    LEFT JOIN messages r ON r.id = m.reply_to_id
    LEFT JOIN users rs ON rs.id = r.sender_id
    LEFT JOIN LATERAL (
        SELECT json_agg(json_build_object('emoji', g.emoji, 'count', g.n, 'mine', g.mine)
                        ORDER BY g.first_at) AS reactions
        FROM (SELECT emoji, count(*) AS n, bool_or(user_id = :viewer_id) AS mine,
                     min(created_at) AS first_at
              FROM reactions WHERE message_id = m.id GROUP BY emoji) g
    ) reacted ON true
"""
# Keyset pages walk the (chat_id, seq) unique index: seq rises with id inside a
# chat (both are assigned under the chat-row lock), and unlike ordering by id it
# cannot tempt the planner into scanning the whole table backwards by primary
# key for a busy chat that has since gone quiet. Callers keep speaking in ids.
_SEQ_OF = (
    "COALESCE((SELECT b.seq FROM messages b WHERE b.id = :bound AND b.chat_id = :chat_id), "
    ":fallback)"
)
_BEFORE_SQL = text(
    f"SELECT {_PAGE_COLUMNS} {_PAGE_JOINS} "
    f"WHERE m.chat_id = :chat_id AND m.seq < {_SEQ_OF} ORDER BY m.seq DESC LIMIT :limit"
)
_AFTER_SQL = text(
    f"SELECT {_PAGE_COLUMNS} {_PAGE_JOINS} "
    f"WHERE m.chat_id = :chat_id AND m.seq > {_SEQ_OF} ORDER BY m.seq ASC LIMIT :limit"
)
# Bounds beyond any message: "before the end" and "after the start".
PAST_NEWEST = 2**62
_ONE_SQL = text(
    f"SELECT {_PAGE_COLUMNS} {_PAGE_JOINS} WHERE m.id = :message_id AND m.chat_id = :chat_id"
)


def get(*, session: Session, message_id: int) -> Message | None:
    return session.get(Message, message_id)


def get_by_client_id(*, session: Session, sender_id: int, client_msg_id: str) -> Message | None:
    statement = select(Message).where(
        Message.sender_id == sender_id, Message.client_msg_id == client_msg_id
    )
    return session.exec(statement).first()


def send_edges(
    *, session: Session, sender_id: int, windows: list[tuple[int, int]]
) -> tuple[datetime, list[datetime | None]]:
    """The database's now and, per ``(seconds, n)`` window, when the ``n``-th most
    recent message this person wrote within it was sent (None: fewer than ``n``).
    System lines do not count. One statement; each window walks
    ``ix_messages_sender_id_created_at`` backwards over at most ``n`` entries."""
    edges = ", ".join(
        "(SELECT created_at FROM messages WHERE sender_id = :sender_id AND kind <> 'system'"
        f" AND created_at > now() - make_interval(secs => :seconds_{i})"
        f" ORDER BY created_at DESC OFFSET :skip_{i} LIMIT 1)"
        for i in range(len(windows))
    )
    params: dict[str, Any] = {"sender_id": sender_id}
    for i, (seconds, n) in enumerate(windows):
        params[f"seconds_{i}"], params[f"skip_{i}"] = seconds, n - 1
    row = session.connection().execute(text(f"SELECT now(), {edges}"), params).one()
    return row[0], list(row[1:])


def create(
    *,
    session: Session,
    chat_id: int,
    seq: int,
    sender_id: int | None,
    kind: str,
    body: str,
    reply_to_id: int | None = None,
    client_msg_id: str | None = None,
) -> Message:
    message = Message(
        chat_id=chat_id,
        seq=seq,
        sender_id=sender_id,
        kind=kind,
        body=body,
        reply_to_id=reply_to_id,
        client_msg_id=client_msg_id,
    )
    session.add(message)
    session.flush()
    return message


def page_before(
    *, session: Session, chat_id: int, before_id: int, limit: int, viewer_id: int
) -> list[dict[str, Any]]:
    """Up to ``limit`` messages older than ``before_id`` (or the newest, given
    PAST_NEWEST), oldest first."""
    params = {
        "chat_id": chat_id,
        "bound": before_id,
        "fallback": PAST_NEWEST if before_id >= PAST_NEWEST else 0,
        "limit": limit,
        "viewer_id": viewer_id,
    }
    rows = session.execute(_BEFORE_SQL, params).mappings()
    return [dict(row) for row in reversed(list(rows))]


def page_after(
    *, session: Session, chat_id: int, after_id: int, limit: int, viewer_id: int
) -> list[dict[str, Any]]:
    """Up to ``limit`` messages newer than ``after_id`` (0: from the start), oldest first."""
    params = {
        "chat_id": chat_id,
        "bound": after_id,
        "fallback": 0 if after_id <= 0 else PAST_NEWEST,
        "limit": limit,
        "viewer_id": viewer_id,
    }
    rows = session.execute(_AFTER_SQL, params).mappings()
    return [dict(row) for row in rows]


def get_row(
    *, session: Session, chat_id: int, message_id: int, viewer_id: int
) -> dict[str, Any] | None:
    params = {"chat_id": chat_id, "message_id": message_id, "viewer_id": viewer_id}
    row = session.execute(_ONE_SQL, params).mappings().first()
    return None if row is None else dict(row)


def set_body(*, session: Session, message: Message, body: str) -> None:
    message.body = body
    message.edited_at = session.exec(select(func.now())).one()
    session.add(message)
    session.flush()


def mark_deleted(*, session: Session, message: Message) -> None:
    session.exec(
        update(Message)
        .where(Message.id == message.id)
        .values(deleted_at=func.now(), body="", reply_to_id=None)
    )
    session.refresh(message)


def unread_after(
    *, session: Session, chat_id: int, after_id: int, user_id: int, cap: int
) -> tuple[int, int | None]:
    """(how many, the first) messages after a cursor that others sent, counting up to ``cap``.

    What the "N unread messages" divider says and where it goes, in one round trip.
    """
    row = session.execute(
        text(
            "SELECT count(*), min(id) FROM (SELECT id FROM messages WHERE chat_id = :chat_id "
            "AND id > :after_id AND sender_id IS DISTINCT FROM :user_id "
            "AND kind <> 'system' ORDER BY id LIMIT :cap) r"
        ),
        {"chat_id": chat_id, "after_id": after_id, "user_id": user_id, "cap": cap},
    ).one()
    return int(row[0]), row[1]
