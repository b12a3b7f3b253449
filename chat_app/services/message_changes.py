"""Changing sent messages: edit (own text, 15 minutes), delete for everyone, react."""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta

from sqlmodel import Session

from chat_app.database import unit_of_work
from chat_app.models import Message, MessageKind
from chat_app.protocol import EventKind
from chat_app.repositories import chats as chats_repo
from chat_app.repositories import messages as messages_repo
from chat_app.repositories import reactions as reactions_repo
from chat_app.services.access import access_chat
from chat_app.services.attachments import detach_message_files, remove_files
from chat_app.services.errors import Forbidden, InvalidInput, NotFound
from chat_app.services.message_send import check_body
from chat_app.services.outbox import publish

EDIT_WINDOW = timedelta(minutes=15)
EMOJI_MAX = 16
MESSAGE_NOT_FOUND = "This message does not exist or you cannot see it."


def access_message(session: Session, *, message_id: int, user_id: int) -> Message:
    """Load a message the person can see (a member of its chat) or raise NotFound."""
    message = messages_repo.get(session=session, message_id=message_id)
    if message is None:
        raise NotFound(MESSAGE_NOT_FOUND)
    try:
        access_chat(session, chat_id=message.chat_id, user_id=user_id)
    except NotFound:
        raise NotFound(MESSAGE_NOT_FOUND) from None
    return message


def editable(
    *,
    sender_id: int | None,
    kind: str,
    deleted: bool,
    created_at: datetime | None,
    user_id: int,
    now: datetime,
) -> bool:
    """Own text, not deleted, sent within the edit window."""
    return (
        sender_id == user_id
        and kind == MessageKind.TEXT
        and not deleted
        and created_at is not None
        and now - created_at <= EDIT_WINDOW
    )


def edit_message(*, user_id: int, message_id: int, body: str) -> None:
    text = check_body(body)
    with unit_of_work() as session:
        message = access_message(session, message_id=message_id, user_id=user_id)
        if message.sender_id != user_id:
            raise Forbidden("You can only edit your own messages.")
        if message.deleted_at is not None or message.kind != MessageKind.TEXT:
            raise Forbidden("This message cannot be edited.")
        if not editable(
            sender_id=message.sender_id,
            kind=message.kind,
            deleted=False,
            created_at=message.created_at,
            user_id=user_id,
            now=chats_repo.now(session=session),
        ):
            raise Forbidden("Messages can only be edited within 15 minutes of sending.")
        if message.body == text:
            return
        messages_repo.set_body(session=session, message=message, body=text)
        publish(session, EventKind.MESSAGE_UPDATED, chat_id=message.chat_id, message_id=message_id)


def delete_message(*, user_id: int, message_id: int) -> None:
    """Delete for everyone: the text, reactions and attached files go, a "deleted"
    placeholder stays. The files' bytes are removed only once the rows are gone."""
    with unit_of_work() as session:
        message = access_message(session, message_id=message_id, user_id=user_id)
        if message.sender_id != user_id or message.kind == MessageKind.SYSTEM:
            raise Forbidden("You can only delete your own messages.")
        if message.deleted_at is not None:
            return
        messages_repo.mark_deleted(session=session, message=message)
        reactions_repo.remove_all(session=session, message_id=message_id)
        stored_files = detach_message_files(session, message_id=message_id)
        publish(session, EventKind.MESSAGE_DELETED, chat_id=message.chat_id, message_id=message_id)
    remove_files(stored_files)


# A symbol, the emoji presentation selector or a keycap mark makes it an emoji (keycaps too).
_EMOJI_MARKS = frozenset("\ufe0f\u20e3")


def check_emoji(emoji: str) -> str:
    emoji = emoji.strip()
    looks_like_emoji = any(
        unicodedata.category(ch) == "So" or ch in _EMOJI_MARKS for ch in emoji
    ) and not any(
        ch.isspace() or (ch.isascii() and ch.isalpha()) or unicodedata.category(ch) == "Cc"
        for ch in emoji
    )
    if not emoji or len(emoji) > EMOJI_MAX or not looks_like_emoji:
        raise InvalidInput("emoji", "Pick an emoji to react with.")
    return emoji


def react(*, user_id: int, message_id: int, emoji: str) -> str | None:
    """Set my reaction; choosing the one I already have removes it. Returns what remains."""
    emoji = check_emoji(emoji)
    with unit_of_work() as session:
        message = access_message(session, message_id=message_id, user_id=user_id)
        if message.deleted_at is not None or message.kind == MessageKind.SYSTEM:
            raise Forbidden("You cannot react to this message.")
        current = reactions_repo.get(session=session, message_id=message_id, user_id=user_id)
        if current is not None and current.emoji == emoji:
            reactions_repo.remove(session=session, message_id=message_id, user_id=user_id)
            result = None
        else:
            reactions_repo.put(session=session, message_id=message_id, user_id=user_id, emoji=emoji)
            result = emoji
        publish(
            session,
            EventKind.REACTION_CHANGED,
            chat_id=message.chat_id,
            message_id=message_id,
            user_id=user_id,
            emoji=result,
        )
        return result
