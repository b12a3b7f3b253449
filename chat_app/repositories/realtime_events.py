"""What the realtime service reads: the outbox after a cursor, and who should see it.

Everything here only reads, except the wake-up itself (``pg_notify``), which
changes no rows. Events addressed to explicit ``recipient_ids`` go to those
people; the others to the chat's members as they are when the event is read.
"""

from __future__ import annotations

from sqlalchemy import Connection, text
from sqlmodel import Session, col, select

from chat_app.models import ChatMember, Event

# The one channel every wake-up and ephemeral signal travels on.
CHANNEL = "chat_events"

_LAST_ISSUED_ID = "pg_sequence_last_value(pg_get_serial_sequence('events', 'id')::regclass)"


def notify(connection: Connection, payload: str = "") -> None:
    """Queue a NOTIFY on :data:`CHANNEL`; it is delivered when ``connection`` commits."""
    connection.execute(
        text("SELECT pg_notify(:channel, :payload)"),
        {
            "channel": CHANNEL,
            "payload": payload,
        },
    )


def listen_statement() -> str:
    """The statement a raw listening connection runs once (LISTEN takes no parameters)."""
    return f"LISTEN {CHANNEL}"


def ping(*, session: Session) -> bool:
    return session.execute(text("SELECT 1")).scalar_one() == 1


def latest_id(*, session: Session) -> int:
    """The newest committed event id (or the last id handed out when the table is empty)."""
    row = session.execute(
        text(f"SELECT COALESCE((SELECT MAX(id) FROM events), {_LAST_ISSUED_ID}, 0)")
    ).scalar_one()
    return int(row)


def retained_floor(*, session: Session) -> int:
    """The smallest event id still stored, or the next id when none are.

    A client whose cursor is below ``floor - 1`` may have missed pruned events.
    """
    row = session.execute(
        text(f"SELECT COALESCE((SELECT MIN(id) FROM events), {_LAST_ISSUED_ID} + 1, 1)")
    ).scalar_one()
    return int(row)


def after(*, session: Session, after_id: int, limit: int) -> list[Event]:
    """Events with an id above ``after_id``, oldest first."""
    statement = select(Event).where(col(Event.id) > after_id).order_by(col(Event.id)).limit(limit)
    return list(session.exec(statement))


def concerning(
    *, session: Session, user_id: int, after_id: int, upto_id: int, limit: int
) -> list[Event]:
    """Events in ``(after_id, upto_id]`` addressed to ``user_id`` or to a chat they are in."""
    statement = text(
        "SELECT e.id FROM events e WHERE e.id > :after AND e.id <= :upto AND "
        "CASE WHEN e.recipient_ids IS NOT NULL THEN CAST(:user AS bigint) = ANY(e.recipient_ids) "
        "ELSE EXISTS (SELECT 1 FROM chat_members m WHERE m.chat_id = e.chat_id "
        "AND m.user_id = :user) END ORDER BY e.id LIMIT :limit"
    )
    ids = [
        row[0]
        for row in session.execute(
            statement, {"after": after_id, "upto": upto_id, "user": user_id, "limit": limit}
        )
    ]
    if not ids:
        return []
    return list(session.exec(select(Event).where(col(Event.id).in_(ids)).order_by(col(Event.id))))


def members_of(*, session: Session, chat_ids: list[int]) -> list[tuple[int, int]]:
    """(chat id, user id) for every member of ``chat_ids``."""
    if not chat_ids:
        return []
    statement = select(ChatMember.chat_id, ChatMember.user_id).where(
        col(ChatMember.chat_id).in_(chat_ids)
    )
    return [(int(chat), int(user)) for chat, user in session.exec(statement)]


def is_member(*, session: Session, chat_id: int, user_id: int) -> bool:
    return session.get(ChatMember, (chat_id, user_id)) is not None
