"""Queries on ``messages``: inserting, editing, and keyset pages of history."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, text, update
from sqlmodel import Session, select

from chat_app.models import Message

_PAGE_COLUMNS = """
    m.id, m.chat_id, m.seq, m.sender_id, m.kind, m.body, m.reply_to_id, m.client_msg_id,
    m.created_at, m.edited_at, m.deleted_at,
    s.display_name AS sender_name,
    r.body AS reply_body, r.kind AS reply_kind, r.deleted_at AS reply_deleted_at,
    r.sender_id AS reply_sender_id, rs.display_name AS reply_sender_name
"""
_PAGE_JOINS = """
    FROM messages m
    LEFT JOIN users s ON s.id = m.sender_id
    LEFT JOIN messages r ON r.id = m.reply_to_id
    LEFT JOIN users rs ON rs.id = r.sender_id
"""
# Keyset pages on (chat_id, id): each page costs the same wherever it is in history.
_BEFORE_SQL = text(
    f"SELECT {_PAGE_COLUMNS} {_PAGE_JOINS} "
    "WHERE m.chat_id = :chat_id AND m.id < :before_id ORDER BY m.id DESC LIMIT :limit"
)
_AFTER_SQL = text(
    f"SELECT {_PAGE_COLUMNS} {_PAGE_JOINS} "
    "WHERE m.chat_id = :chat_id AND m.id > :after_id ORDER BY m.id ASC LIMIT :limit"
)
_ONE_SQL = text(f"SELECT {_PAGE_COLUMNS} {_PAGE_JOINS} WHERE m.id = :message_id")


def get(*, session: Session, message_id: int) -> Message | None:
    return session.get(Message, message_id)


def get_by_client_id(*, session: Session, sender_id: int, client_msg_id: str) -> Message | None:
    statement = select(Message).where(
        Message.sender_id == sender_id, Message.client_msg_id == client_msg_id
    )
    return session.exec(statement).first()


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
    session.refresh(message)
    return message


def page_before(
    *, session: Session, chat_id: int, before_id: int, limit: int
) -> list[dict[str, Any]]:
    """Up to ``limit`` messages older than ``before_id``, oldest first."""
    rows = session.execute(
        _BEFORE_SQL, {"chat_id": chat_id, "before_id": before_id, "limit": limit}
    ).mappings()
    return [dict(row) for row in reversed(list(rows))]


def page_after(
    *, session: Session, chat_id: int, after_id: int, limit: int
) -> list[dict[str, Any]]:
    """Up to ``limit`` messages newer than ``after_id``, oldest first."""
    rows = session.execute(
        _AFTER_SQL, {"chat_id": chat_id, "after_id": after_id, "limit": limit}
    ).mappings()
    return [dict(row) for row in rows]


def get_row(*, session: Session, message_id: int) -> dict[str, Any] | None:
    row = session.execute(_ONE_SQL, {"message_id": message_id}).mappings().first()
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
