"""The chat list: rows with previews and unread counts, and the per-person chat flags."""

from __future__ import annotations

from typing import Any

from chat_app.database import unit_of_work
from chat_app.models import ChatKind, MessageKind
from chat_app.protocol import EventKind
from chat_app.repositories import chats as chats_repo
from chat_app.repositories import former_members as former_repo
from chat_app.repositories import members as members_repo
from chat_app.services import system_lines
from chat_app.services.access import access_chat, access_readable
from chat_app.services.errors import Forbidden
from chat_app.services.outbox import publish
from chat_app.services.previews import DELETED_ACCOUNT, one_line, tick_status
from chat_app.services.read_models import ChatSummary

CHAT_LIST_LIMIT = 500


def _summary(row: dict[str, Any], user_id: int) -> ChatSummary:
    has_last = row["last_message_id"] is not None
    mine = has_last and row["last_sender_id"] == user_id and row["last_kind"] != MessageKind.SYSTEM
    is_group = row["kind"] == ChatKind.GROUP
    preview = ""
    if has_last:
        body = row["last_body"]
        if row["last_kind"] == MessageKind.SYSTEM:
            body = system_lines.wording(body, actor_id=row["last_sender_id"], viewer_id=user_id)
        preview = one_line(
            kind=row["last_kind"],
            body=body,
            deleted=row["last_deleted_at"] is not None,
            attachment_name=row["last_attachment_name"],
        )
        if is_group and not mine and row["last_kind"] != MessageKind.SYSTEM:
            preview = f"{row['last_sender_name'] or DELETED_ACCOUNT}: {preview}"
    return ChatSummary(
        chat_id=row["chat_id"],
        kind=row["kind"],
        name=(row["title"] if is_group else row["peer_name"]) or DELETED_ACCOUNT,
        avatar_path=row["avatar_path"] if is_group else row["peer_avatar"],
        peer_id=row["peer_id"],
        last_activity_at=row["last_activity_at"],
        last_message_id=row["last_message_id"],
        last_preview=preview,
        last_sender_name=row["last_sender_name"] or "",
        last_is_mine=mine,
        last_status=tick_status(
            message_id=row["last_message_id"],
            others_delivered=row["min_delivered"],
            others_read=row["min_read"],
        )
        if mine
        else "",
        unread=int(row["unread"]),
        muted=row["muted"],
        archived=row["archived"],
        pinned_at=row["pinned_at"],
        draft=one_line(kind=MessageKind.TEXT, body=row["draft"] or "", deleted=False),
        former=row["until_message_id"] is not None,
    )


def list_chats(*, user_id: int, limit: int = CHAT_LIST_LIMIT) -> list[ChatSummary]:
    """Everyone's list, pinned first then newest; loading it marks messages delivered."""
    with unit_of_work() as session:
        for chat_id, delivered in members_repo.mark_all_delivered(session=session, user_id=user_id):
            publish(
                session,
                EventKind.RECEIPT_UPDATED,
                chat_id=chat_id,
                user_id=user_id,
                delivered_to=delivered,
            )
        rows = chats_repo.list_for_user(session=session, user_id=user_id, limit=limit)
    return [_summary(row, user_id) for row in rows]


def chat_summary(*, user_id: int, chat_id: int) -> ChatSummary | None:
    """One row of the list, for refreshing it after a change (also a group I am no
    longer in, until I delete it)."""
    with unit_of_work() as session:
        access_readable(session, chat_id=chat_id, user_id=user_id)
        rows = chats_repo.list_for_user(session=session, user_id=user_id, limit=1, chat_id=chat_id)
    return _summary(rows[0], user_id) if rows else None


def is_member(*, user_id: int, chat_id: int) -> bool:
    """Whether the person may open the chat (a link may name any chat)."""
    with unit_of_work() as session:
        return members_repo.get(session=session, chat_id=chat_id, user_id=user_id) is not None


def unread_total(*, user_id: int) -> int:
    with unit_of_work() as session:
        return chats_repo.unread_total(session=session, user_id=user_id)


def set_chat_flags(
    *,
    user_id: int,
    chat_id: int,
    pinned: bool | None = None,
    muted: bool | None = None,
    archived: bool | None = None,
) -> None:
    """Pin, mute or archive a chat for myself only."""
    with unit_of_work() as session:
        _, member = access_chat(session, chat_id=chat_id, user_id=user_id)
        pinned_at: Any = False
        if pinned is not None:
            pinned_at = chats_repo.now(session=session) if pinned else None
        members_repo.set_flags(
            session=session, member=member, muted=muted, archived=archived, pinned_at=pinned_at
        )


def delete_former_chat(*, user_id: int, chat_id: int) -> None:
    """Delete a group I left or was removed from from my list, for good: its history
    stays for everyone still in it. A participant must leave the group first."""
    with unit_of_work() as session:
        readable = access_readable(session, chat_id=chat_id, user_id=user_id)
        if readable.former is None:
            raise Forbidden("Leave the group before deleting it.")
        former_repo.forget(session=session, chat_id=chat_id, user_ids=[user_id])
