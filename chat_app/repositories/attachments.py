"""Queries on ``attachments``."""

from __future__ import annotations

from sqlmodel import Session, select

from chat_app.models import Attachment


def for_messages(*, session: Session, message_ids: list[int]) -> list[Attachment]:
    if not message_ids:
        return []
    statement = (
        select(Attachment)
        .where(Attachment.message_id.in_(message_ids))
        .order_by(Attachment.message_id, Attachment.id)
    )
    return list(session.exec(statement))
