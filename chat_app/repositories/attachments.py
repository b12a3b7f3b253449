"""Queries on ``attachments``."""

from __future__ import annotations

from sqlalchemy import delete
from sqlmodel import Session, select

from chat_app.models import Attachment


def create(
    *,
    session: Session,
    chat_id: int,
    message_id: int | None,
    uploader_id: int | None,
    storage_name: str,
    original_name: str,
    mime_type: str,
    size_bytes: int,
    width: int | None = None,
    height: int | None = None,
) -> Attachment:
    attachment = Attachment(
        chat_id=chat_id,
        message_id=message_id,
        uploader_id=uploader_id,
        storage_name=storage_name,
        original_name=original_name,
        mime_type=mime_type,
        size_bytes=size_bytes,
        width=width,
        height=height,
    )
    session.add(attachment)
    session.flush()
    session.refresh(attachment)
    return attachment


def get(*, session: Session, attachment_id: int) -> Attachment | None:
    return session.get(Attachment, attachment_id)


def for_messages(*, session: Session, message_ids: list[int]) -> list[Attachment]:
    if not message_ids:
        return []
    statement = (
        select(Attachment)
        .where(Attachment.message_id.in_(message_ids))
        .order_by(Attachment.message_id, Attachment.id)
    )
    return list(session.exec(statement))


def delete_for_message(*, session: Session, message_id: int) -> list[str]:
    """Remove a message's attachment rows; returns their storage names so the
    caller can delete the bytes once the transaction has committed."""
    result = session.exec(
        delete(Attachment)
        .where(Attachment.message_id == message_id)
        .returning(Attachment.storage_name)
    )
    return list(result.scalars())
