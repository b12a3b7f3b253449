"""Reading a chat: keyset pages of history, the read cursor, receipts and chat details."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from chat_app.database import unit_of_work
from chat_app.models import ChatKind, MessageKind
from chat_app.protocol import EventKind
from chat_app.repositories import attachments as attachments_repo
from chat_app.repositories import members as members_repo
from chat_app.repositories import messages as messages_repo
from chat_app.services import system_lines
from chat_app.services.access import Readable, access_chat, access_readable
from chat_app.services.media_links import sign_file_url
from chat_app.services.message_changes import access_message, editable
from chat_app.services.outbox import publish
from chat_app.services.previews import DELETED_ACCOUNT, DELETED_TEXT, one_line, tick_status
from chat_app.services.read_models import (
    AttachmentView,
    ChatDetails,
    HistoryPage,
    MemberView,
    MessageInfo,
    MessageView,
    PersonView,
    ReactionView,
    Receipt,
    ReplyPreview,
)

PAGE_SIZE = 50
FILE_KINDS = (MessageKind.IMAGE, MessageKind.FILE)
UNREAD_DIVIDER_CAP = 999


def _views(
    session: Session, rows: list[dict[str, Any]], *, chat_id: int, user_id: int
) -> list[MessageView]:
    """Turn page rows into views with their attachments, reactions and ticks.

    Each extra statement is a round trip on the hot path of opening a chat, so
    attachments are only looked up when the page has photo or file messages.
    """
    with_files = [row["id"] for row in rows if row["kind"] in FILE_KINDS]
    attachments: dict[int, list[AttachmentView]] = defaultdict(list)
    for a in attachments_repo.for_messages(session=session, message_ids=with_files):
        assert a.id is not None
        assert a.message_id is not None
        attachments[a.message_id].append(
            AttachmentView(
                id=a.id,
                name=a.original_name,
                mime_type=a.mime_type,
                size_bytes=a.size_bytes,
                is_image=a.mime_type.startswith("image/"),
                width=a.width,
                height=a.height,
                url=sign_file_url(attachment_id=a.id, name=a.original_name, viewer_id=user_id),
            )
        )
    reactions = {
        row["id"]: [
            ReactionView(r["emoji"], int(r["count"]), bool(r["mine"])) for r in row["reactions"]
        ]
        for row in rows
        if row["reactions"]
    }
    delivered = rows[0]["others_delivered"] if rows else 0
    read = rows[0]["others_read"] if rows else 0
    # The edit window shown here is a hint; edit_message enforces it on the database clock.
    now = datetime.now(UTC)
    return [_view(row, user_id, now, delivered, read, attachments, reactions) for row in rows]


def _body(row: dict[str, Any], user_id: int) -> str:
    """A message's text; a system line worded for the one reading it."""
    if row["kind"] == MessageKind.SYSTEM:
        return system_lines.wording(row["body"], actor_id=row["sender_id"], viewer_id=user_id)
    return row["body"]


def _view(
    row: dict[str, Any],
    user_id: int,
    now: datetime,
    delivered: int,
    read: int,
    attachments: dict[int, list[AttachmentView]],
    reactions: dict[int, list[ReactionView]],
) -> MessageView:
    deleted = row["deleted_at"] is not None
    mine = row["sender_id"] == user_id and row["kind"] != MessageKind.SYSTEM
    reply = None
    if row["reply_to_id"] is not None:
        reply = ReplyPreview(
            message_id=row["reply_to_id"],
            sender_name="You"
            if row["reply_sender_id"] == user_id
            else row["reply_sender_name"] or "",
            snippet=one_line(
                kind=row["reply_kind"],
                body=row["reply_body"] or "",
                deleted=row["reply_deleted_at"] is not None,
            ),
        )
    return MessageView(
        id=row["id"],
        chat_id=row["chat_id"],
        sender_id=row["sender_id"],
        sender_name=row["sender_name"] or DELETED_ACCOUNT,
        kind=row["kind"],
        body=DELETED_TEXT if deleted else _body(row, user_id),
        created_at=row["created_at"],
        edited=row["edited_at"] is not None and not deleted,
        deleted=deleted,
        is_mine=mine,
        status=tick_status(message_id=row["id"], others_delivered=delivered, others_read=read)
        if mine
        else "",
        can_edit=editable(
            sender_id=row["sender_id"],
            kind=row["kind"],
            deleted=deleted,
            created_at=row["created_at"],
            user_id=user_id,
            now=now,
        ),
        reply=reply,
        attachments=[] if deleted else attachments.get(row["id"], []),
        reactions=[] if deleted else reactions.get(row["id"], []),
    )


def _readable_rows(rows: list[dict[str, Any]], readable: Readable) -> list[dict[str, Any]]:
    """Only the messages this person may read (a former member: none after their going)."""
    if readable.until_id is None:
        return rows
    return [row for row in rows if readable.may_read(row["id"])]


def _latest_for_former(
    session: Session, readable: Readable, *, chat_id: int, user_id: int, limit: int
) -> HistoryPage:
    """A former member's newest page ends at the line that recorded their going."""
    until = readable.until_id
    assert until is not None
    rows = messages_repo.page_before(
        session=session, chat_id=chat_id, before_id=until, limit=limit, viewer_id=user_id
    )
    last = messages_repo.get_row(
        session=session, chat_id=chat_id, message_id=until, viewer_id=user_id
    )
    rows = rows + ([last] if last is not None else [])
    views = _views(session, rows[-limit:], chat_id=chat_id, user_id=user_id)
    return HistoryPage(
        messages=views, has_older=len(rows) > limit, first_unread_id=None, unread_count=0
    )


def load_latest(*, user_id: int, chat_id: int, limit: int = PAGE_SIZE) -> HistoryPage:
    """The newest page, and where the unread divider goes (it may be above this page)."""
    with unit_of_work() as session:
        readable = access_readable(session, chat_id=chat_id, user_id=user_id)
        if readable.member is None:
            return _latest_for_former(
                session, readable, chat_id=chat_id, user_id=user_id, limit=limit
            )
        member = readable.member
        unread, first_unread = messages_repo.unread_after(
            session=session,
            chat_id=chat_id,
            after_id=member.last_read_message_id,
            user_id=user_id,
            cap=UNREAD_DIVIDER_CAP,
        )
        rows = messages_repo.page_before(
            session=session,
            chat_id=chat_id,
            before_id=messages_repo.PAST_NEWEST,
            limit=limit + 1,
            viewer_id=user_id,
        )
        views = _views(session, rows[-limit:], chat_id=chat_id, user_id=user_id)
    return HistoryPage(
        messages=views,
        has_older=len(rows) > limit,
        first_unread_id=first_unread,
        unread_count=unread,
    )


def load_older(
    *, user_id: int, chat_id: int, before_id: int, limit: int = PAGE_SIZE
) -> HistoryPage:
    with unit_of_work() as session:
        readable = access_readable(session, chat_id=chat_id, user_id=user_id)
        rows = messages_repo.page_before(
            session=session,
            chat_id=chat_id,
            before_id=before_id,
            limit=limit + 1,
            viewer_id=user_id,
        )
        rows = _readable_rows(rows, readable)
        has_older = len(rows) > limit
        views = _views(session, rows[-limit:], chat_id=chat_id, user_id=user_id)
    return HistoryPage(messages=views, has_older=has_older, first_unread_id=None, unread_count=0)


def load_newer(
    *, user_id: int, chat_id: int, after_id: int, limit: int = PAGE_SIZE
) -> list[MessageView]:
    with unit_of_work() as session:
        readable = access_readable(session, chat_id=chat_id, user_id=user_id)
        rows = messages_repo.page_after(
            session=session, chat_id=chat_id, after_id=after_id, limit=limit, viewer_id=user_id
        )
        rows = _readable_rows(rows, readable)
        return _views(session, rows, chat_id=chat_id, user_id=user_id)


def load_messages(*, user_id: int, chat_id: int, message_ids: list[int]) -> list[MessageView]:
    """Fresh views of specific messages (after an edit, a reaction, a receipt)."""
    with unit_of_work() as session:
        readable = access_readable(session, chat_id=chat_id, user_id=user_id)
        found = (
            messages_repo.get_row(session=session, chat_id=chat_id, message_id=m, viewer_id=user_id)
            for m in message_ids
            if readable.may_read(m)
        )
        rows = [row for row in found if row is not None]
        return _views(session, rows, chat_id=chat_id, user_id=user_id)


def mark_read(*, user_id: int, chat_id: int, up_to_message_id: int) -> bool:
    """Move my read (and delivered) cursor forward to a message I have seen."""
    return _advance(user_id=user_id, chat_id=chat_id, up_to=up_to_message_id, read=True)


def mark_delivered(*, user_id: int, chat_id: int, up_to_message_id: int) -> bool:
    """A message reached my device (a live event arrived): its sender sees ✓✓."""
    return _advance(user_id=user_id, chat_id=chat_id, up_to=up_to_message_id, read=False)


def _advance(*, user_id: int, chat_id: int, up_to: int, read: bool) -> bool:
    """Cursors only move forward and never past the chat's newest message; a move is
    published so the senders' ticks change live. True when a cursor moved."""
    with unit_of_work() as session:
        chat, _ = access_chat(session, chat_id=chat_id, user_id=user_id)
        target = min(up_to, chat.last_message_id or 0)
        if target <= 0:
            return False
        read_to = target if read else None
        moved = members_repo.advance_cursors(
            session=session, chat_id=chat_id, user_id=user_id, read_to=read_to, delivered_to=target
        )
        if moved:
            publish(
                session,
                EventKind.RECEIPT_UPDATED,
                chat_id=chat_id,
                user_id=user_id,
                delivered_to=target,
                **({"read_to": target} if read else {}),
            )
        return moved


def tick_statuses(*, user_id: int, chat_id: int, message_ids: list[int]) -> dict[int, str]:
    """The ticks of my messages now, after someone's cursors moved (one statement)."""
    with unit_of_work() as session:
        access_chat(session, chat_id=chat_id, user_id=user_id)
        delivered, read = members_repo.others_cursors(
            session=session, chat_id=chat_id, viewer_id=user_id
        )
    return {
        message_id: tick_status(message_id=message_id, others_delivered=delivered, others_read=read)
        for message_id in message_ids
    }


def message_info(*, user_id: int, message_id: int) -> MessageInfo:
    """Who has read, received, or not yet received one of my messages."""
    with unit_of_work() as session:
        message = access_message(session, message_id=message_id, user_id=user_id)
        read_by, delivered_to, pending = [], [], []
        for member, person in members_repo.list_with_users(
            session=session, chat_id=message.chat_id
        ):
            if person.id == message.sender_id:
                continue
            assert person.id is not None
            is_read = member.last_read_message_id >= message_id
            is_delivered = member.last_delivered_message_id >= message_id
            receipt = Receipt(person.id, person.display_name, is_delivered or is_read, is_read)
            (read_by if is_read else delivered_to if is_delivered else pending).append(receipt)
    return MessageInfo(
        message_id=message_id, read_by=read_by, delivered_to=delivered_to, pending=pending
    )


def chat_details(*, user_id: int, chat_id: int) -> ChatDetails:
    """The header and settings; for a former member the group as a read-only name,
    with no members (who is in it now is no longer theirs to see) and no role."""
    with unit_of_work() as session:
        readable = access_readable(session, chat_id=chat_id, user_id=user_id)
        chat, me = readable.chat, readable.member
        if me is None:
            former = readable.former
            assert chat.id is not None
            assert former is not None
            return ChatDetails(
                chat_id=chat.id,
                kind=chat.kind,
                name=chat.title or "",
                avatar_path=chat.avatar_path,
                my_role="",
                members=[],
                peer=None,
                muted=former.muted,
                archived=former.archived,
                pinned=former.pinned_at is not None,
                former=True,
            )
        members = [
            MemberView(p.id or 0, p.display_name, p.username, p.avatar_path, m.role)
            for m, p in members_repo.list_with_users(session=session, chat_id=chat_id)
        ]
        peer = None
        if chat.kind == ChatKind.DIRECT:
            other = next((m for m in members if m.user_id != user_id), None)
            if other is not None:
                peer = PersonView(
                    other.user_id, other.username, other.display_name, avatar_path=other.avatar_path
                )
        assert chat.id is not None
        return ChatDetails(
            chat_id=chat.id,
            kind=chat.kind,
            name=(chat.title or "")
            if chat.kind == ChatKind.GROUP
            else (peer.display_name if peer else DELETED_ACCOUNT),
            avatar_path=chat.avatar_path
            if chat.kind == ChatKind.GROUP
            else (peer.avatar_path if peer else None),
            my_role=me.role,
            members=members,
            peer=peer,
            muted=me.muted,
            archived=me.archived,
            pinned=me.pinned_at is not None,
        )
