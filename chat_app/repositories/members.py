"""Queries on ``chat_members``: who is in a chat, their role and their cursors."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, text, update
from sqlmodel import Session, col, select

from chat_app.models import Chat, ChatMember, MemberRole, User


def get(*, session: Session, chat_id: int, user_id: int) -> ChatMember | None:
    return session.get(ChatMember, (chat_id, user_id))


def get_with_chat(
    *, session: Session, chat_id: int, user_id: int
) -> tuple[Chat, ChatMember] | None:
    """The chat and one person's membership of it, in one round trip."""
    statement = (
        select(Chat, ChatMember)
        .join(ChatMember, ChatMember.chat_id == Chat.id)
        .where(ChatMember.chat_id == chat_id, ChatMember.user_id == user_id)
    )
    row = session.exec(statement).first()
    return None if row is None else (row[0], row[1])


def add(*, session: Session, chat_id: int, user_id: int, role: str, cursor: int = 0) -> None:
    """Add a member with both cursors at ``cursor``; adding an existing member does nothing."""
    session.execute(
        text(
            "INSERT INTO chat_members (chat_id, user_id, role, last_read_message_id, "
            "last_delivered_message_id) VALUES (:chat, :user, :role, :cursor, :cursor) "
            "ON CONFLICT (chat_id, user_id) DO NOTHING"
        ),
        {"chat": chat_id, "user": user_id, "role": role, "cursor": cursor},
    )


def remove(*, session: Session, chat_id: int, user_id: int) -> None:
    session.exec(
        delete(ChatMember).where(ChatMember.chat_id == chat_id, ChatMember.user_id == user_id)
    )


def set_role(*, session: Session, member: ChatMember, role: str) -> None:
    member.role = role
    session.add(member)
    session.flush()


def user_ids(*, session: Session, chat_id: int) -> list[int]:
    statement = select(ChatMember.user_id).where(ChatMember.chat_id == chat_id)
    return list(session.exec(statement.order_by(ChatMember.joined_at, ChatMember.user_id)))


def sharing_a_chat_with(*, session: Session, user_id: int) -> list[int]:
    """Everyone in any chat with ``user_id`` (``user_id`` included when in any chat)."""
    mine = select(ChatMember.chat_id).where(ChatMember.user_id == user_id)
    statement = select(ChatMember.user_id).where(col(ChatMember.chat_id).in_(mine)).distinct()
    return sorted(int(found) for found in session.exec(statement))


def list_with_users(*, session: Session, chat_id: int) -> list[tuple[ChatMember, User]]:
    statement = (
        select(ChatMember, User)
        .join(User, User.id == ChatMember.user_id)
        .where(ChatMember.chat_id == chat_id)
        .order_by(ChatMember.role, func.lower(User.display_name))
    )
    return list(session.exec(statement))


def count_admins(*, session: Session, chat_id: int) -> int:
    statement = select(func.count()).where(
        ChatMember.chat_id == chat_id, ChatMember.role == MemberRole.ADMIN
    )
    return session.exec(statement).one()


def longest_serving(*, session: Session, chat_id: int) -> ChatMember | None:
    statement = (
        select(ChatMember)
        .where(ChatMember.chat_id == chat_id)
        .order_by(ChatMember.joined_at, ChatMember.user_id)
        .limit(1)
    )
    return session.exec(statement).first()


def advance_cursors(
    *, session: Session, chat_id: int, user_id: int, read_to: int | None, delivered_to: int
) -> bool:
    """Move the cursors forward only (never back); True when anything moved."""
    values: dict[str, Any] = {
        "last_delivered_message_id": func.greatest(
            ChatMember.last_delivered_message_id, delivered_to
        )
    }
    moved = ChatMember.last_delivered_message_id < delivered_to
    if read_to is not None:
        values["last_read_message_id"] = func.greatest(ChatMember.last_read_message_id, read_to)
        moved = moved | (ChatMember.last_read_message_id < read_to)
    result = session.exec(
        update(ChatMember)
        .where(ChatMember.chat_id == chat_id, ChatMember.user_id == user_id, moved)
        .values(**values)
    )
    return result.rowcount > 0


def others_cursors(*, session: Session, chat_id: int, viewer_id: int) -> tuple[int, int]:
    """The lowest delivered and read cursors among the other members (what ticks show)."""
    statement = select(
        func.coalesce(func.min(ChatMember.last_delivered_message_id), 0),
        func.coalesce(func.min(ChatMember.last_read_message_id), 0),
    ).where(ChatMember.chat_id == chat_id, ChatMember.user_id != viewer_id)
    delivered, read = session.exec(statement).one()
    return int(delivered), int(read)


def mark_all_delivered(*, session: Session, user_id: int) -> list[tuple[int, int]]:
    """Everything that reached this person's device: (chat id, new delivered cursor) moved."""
    rows = session.execute(
        text(
            "UPDATE chat_members m SET last_delivered_message_id = c.last_message_id "
            "FROM chats c WHERE c.id = m.chat_id AND m.user_id = :user_id "
            "AND c.last_message_id > m.last_delivered_message_id "
            "RETURNING m.chat_id, m.last_delivered_message_id"
        ),
        {"user_id": user_id},
    )
    return [(row[0], row[1]) for row in rows]


def set_flags(
    *,
    session: Session,
    member: ChatMember,
    muted: bool | None = None,
    archived: bool | None = None,
    pinned_at: datetime | bool | None = False,
) -> None:
    """Change the per-person flags; ``pinned_at=False`` leaves pinning alone."""
    if muted is not None:
        member.muted = muted
    if archived is not None:
        member.archived = archived
    if pinned_at is not False:
        member.pinned_at = pinned_at  # type: ignore[assignment]
    session.add(member)
    session.flush()
