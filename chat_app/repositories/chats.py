"""Queries on ``chats``, including the chat list a person sees."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, text, update
from sqlmodel import Session, select

from chat_app.models import Chat

# Unread counts stop at this many per chat ("999+"), so a neglected chat with
# a million messages costs the same as one with a thousand.
UNREAD_CAP = 1000

_CHAT_LIST_SQL = text(
    f"""
    SELECT c.id AS chat_id, c.kind, c.title, c.avatar_path,
           coalesce(m.left_at, c.last_activity_at) AS last_activity_at,
           m.role, m.muted, m.archived, m.pinned_at, m.last_read_message_id,
           m.until_message_id,
           lm.id AS last_message_id, lm.kind AS last_kind, lm.body AS last_body,
           lm.sender_id AS last_sender_id, lm.created_at AS last_created_at,
           lm.deleted_at AS last_deleted_at, sender.display_name AS last_sender_name,
           att.original_name AS last_attachment_name,
           peer.id AS peer_id, peer.display_name AS peer_name,
           peer.avatar_path AS peer_avatar, peer.username AS peer_username,
           cursors.min_delivered, cursors.min_read, d.body AS draft,
           CASE WHEN m.until_message_id IS NULL
                     AND c.last_message_id > m.last_read_message_id THEN
               (SELECT count(*) FROM (
                   SELECT 1 FROM messages x
                   WHERE x.chat_id = c.id AND x.id > m.last_read_message_id
                     AND x.sender_id IS DISTINCT FROM :user_id AND x.kind <> 'system'
                   LIMIT {UNREAD_CAP}) unread_rows)
           ELSE 0 END AS unread
    FROM (
        SELECT chat_id, role, muted, archived, pinned_at, last_read_message_id,
               CAST(NULL AS bigint) AS until_message_id, CAST(NULL AS timestamptz) AS left_at
        FROM chat_members WHERE user_id = :user_id
        UNION ALL
        SELECT chat_id, NULL, muted, archived, pinned_at, until_message_id,
               until_message_id, left_at
        FROM former_members WHERE user_id = :user_id
    ) m
    JOIN chats c ON c.id = m.chat_id
    LEFT JOIN messages lm ON lm.id = coalesce(m.until_message_id, c.last_message_id)
    LEFT JOIN users sender ON sender.id = lm.sender_id
    LEFT JOIN drafts d ON d.chat_id = c.id AND d.user_id = :user_id
    LEFT JOIN LATERAL (
        SELECT a.original_name FROM attachments a WHERE a.message_id = lm.id
        ORDER BY a.id LIMIT 1) att ON true
    LEFT JOIN LATERAL (
        SELECT u.id, u.display_name, u.avatar_path, u.username
        FROM chat_members pm JOIN users u ON u.id = pm.user_id
        WHERE pm.chat_id = c.id AND pm.user_id <> :user_id
        LIMIT 1) peer ON c.kind = 'direct'
    LEFT JOIN LATERAL (
        SELECT min(o.last_delivered_message_id) AS min_delivered,
               min(o.last_read_message_id) AS min_read
        FROM chat_members o WHERE o.chat_id = c.id AND o.user_id <> :user_id
        ) cursors ON m.until_message_id IS NULL
    WHERE (c.last_message_id IS NOT NULL OR c.kind = 'group' OR c.created_by = :user_id
           OR d.body IS NOT NULL)
      AND (CAST(:chat_id AS bigint) IS NULL OR c.id = :chat_id)
    ORDER BY m.pinned_at DESC NULLS LAST, coalesce(m.left_at, c.last_activity_at) DESC, c.id DESC
    LIMIT :limit
    """
)

_UNREAD_TOTAL_SQL = text(
    f"""
    SELECT coalesce(sum(LEAST(unread, {UNREAD_CAP})), 0) FROM (
        SELECT (SELECT count(*) FROM (
                   SELECT 1 FROM messages x
                   WHERE x.chat_id = m.chat_id AND x.id > m.last_read_message_id
                     AND x.sender_id IS DISTINCT FROM :user_id AND x.kind <> 'system'
                   LIMIT {UNREAD_CAP}) r) AS unread
        FROM chat_members m
        JOIN chats c ON c.id = m.chat_id
        WHERE m.user_id = :user_id AND NOT m.archived AND c.last_message_id > m.last_read_message_id
    ) per_chat
    """
)


def get(*, session: Session, chat_id: int) -> Chat | None:
    return session.get(Chat, chat_id)


def get_by_direct_key(*, session: Session, direct_key: str) -> Chat | None:
    return session.exec(select(Chat).where(Chat.direct_key == direct_key)).first()


def create(
    *,
    session: Session,
    kind: str,
    created_by: int,
    title: str | None = None,
    direct_key: str | None = None,
) -> Chat:
    chat = Chat(kind=kind, title=title, direct_key=direct_key, created_by=created_by)
    session.add(chat)
    session.flush()
    session.refresh(chat)
    return chat


def create_direct_if_absent(*, session: Session, direct_key: str, created_by: int) -> Chat | None:
    """Insert the pair's chat unless a concurrent transaction already did (then None)."""
    row = session.execute(
        text(
            "INSERT INTO chats (kind, direct_key, created_by) VALUES ('direct', :key, :by) "
            "ON CONFLICT (direct_key) DO NOTHING RETURNING id"
        ),
        {"key": direct_key, "by": created_by},
    ).first()
    return None if row is None else session.get(Chat, row[0])


def lock(*, session: Session, chat_id: int) -> bool:
    """Lock the chat row until commit (False when there is no such chat).

    Changes to a chat's members and details serialise on this lock, so the
    same change made twice at once happens once.
    """
    statement = select(Chat.id).where(Chat.id == chat_id).with_for_update()
    return session.exec(statement).first() is not None


def lock_for_send(*, session: Session, chat_id: int) -> int:
    """Lock the chat row until commit and return its last sequence number.

    Sends to one chat serialise here, which orders ``seq`` without gaps and
    lets a retried send see the first attempt once it committed.
    """
    statement = select(Chat.last_seq).where(Chat.id == chat_id).with_for_update()
    return session.exec(statement).one()


def record_message(*, session: Session, chat_id: int, seq: int, message_id: int) -> None:
    session.exec(
        update(Chat)
        .where(Chat.id == chat_id)
        .values(last_seq=seq, last_message_id=message_id, last_activity_at=func.now())
    )


def update_details(
    *, session: Session, chat: Chat, title: str | None = None, avatar_path: str | None = None
) -> None:
    if title is not None:
        chat.title = title
    if avatar_path is not None:
        chat.avatar_path = avatar_path
    session.add(chat)
    session.flush()


def list_for_user(
    *, session: Session, user_id: int, limit: int, chat_id: int | None = None
) -> list[dict[str, Any]]:
    """The rows of a person's chat list (or one row of it), pinned first, newest first."""
    rows = session.execute(
        _CHAT_LIST_SQL, {"user_id": user_id, "limit": limit, "chat_id": chat_id}
    ).mappings()
    return [dict(row) for row in rows]


def unread_total(*, session: Session, user_id: int) -> int:
    return int(session.execute(_UNREAD_TOTAL_SQL, {"user_id": user_id}).scalar_one())


def now(*, session: Session) -> datetime:
    return session.exec(select(func.now())).one()
