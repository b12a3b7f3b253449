"""Queries on ``former_members``: groups kept read-only by people no longer in them."""

from __future__ import annotations

from sqlalchemy import delete, text
from sqlmodel import Session

from chat_app.models import FormerMember


def get(*, session: Session, chat_id: int, user_id: int) -> FormerMember | None:
    return session.get(FormerMember, (chat_id, user_id))


def keep_from_membership(
    *, session: Session, chat_id: int, user_id: int, until_message_id: int
) -> None:
    """Record that a member is leaving, with their flags; call before the membership
    row is deleted. A second going (after being added back) replaces the first."""
    session.execute(
        text(
            "INSERT INTO former_members (chat_id, user_id, until_message_id, muted, archived, "
            "pinned_at) SELECT chat_id, user_id, :until, muted, archived, pinned_at "
            "FROM chat_members WHERE chat_id = :chat AND user_id = :user "
            "ON CONFLICT (chat_id, user_id) DO UPDATE SET "
            "until_message_id = EXCLUDED.until_message_id, left_at = now(), "
            "muted = EXCLUDED.muted, archived = EXCLUDED.archived, pinned_at = EXCLUDED.pinned_at"
        ),
        {"chat": chat_id, "user": user_id, "until": until_message_id},
    )


def forget(*, session: Session, chat_id: int, user_ids: list[int]) -> int:
    """Drop the rows (the chat was deleted from their list, or they are back in it)."""
    if not user_ids:
        return 0
    result = session.exec(
        delete(FormerMember).where(
            FormerMember.chat_id == chat_id,
            FormerMember.user_id.in_(user_ids),  # type: ignore[attr-defined]
        )
    )
    return int(result.rowcount or 0)
