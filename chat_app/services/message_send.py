"""Sending messages: checks, the idempotent insert and its outbox event, in one transaction."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import Session

from chat_app.database import unit_of_work
from chat_app.models import Message, MessageKind
from chat_app.models.message import BODY_MAX, CLIENT_MSG_ID_MAX
from chat_app.protocol import EventKind
from chat_app.repositories import chats as chats_repo
from chat_app.repositories import drafts as drafts_repo
from chat_app.repositories import members as members_repo
from chat_app.repositories import messages as messages_repo
from chat_app.services import rate_limits
from chat_app.services.access import access_chat
from chat_app.services.errors import InvalidInput, WaitingForEarlier
from chat_app.services.outbox import publish
from chat_app.services.rate_limits import Limit
from chat_app.services.text_rules import is_blank, refuse_control_characters
from chat_app.settings import get_settings

CLIENT_MSG_ID_PATTERN = re.compile(rf"[A-Za-z0-9_-]{{8,{CLIENT_MSG_ID_MAX}}}")
TOO_FAST = "You're sending messages too fast."


@dataclass(frozen=True)
class Sent:
    message_id: int
    chat_id: int
    seq: int
    created: bool  # False when a retry found the first attempt


def check_body(body: str, *, allow_empty: bool = False) -> str:
    """Trim surrounding blank lines and spaces; refuse empty, invisible or over-long text."""
    text = body.replace("\r\n", "\n").strip()
    if is_blank(text):
        if not allow_empty:
            raise InvalidInput("body", "Type a message first.")
        text = ""
    refuse_control_characters("body", text, multiline=True)
    return refuse_over_long(text)


def refuse_over_long(text: str) -> str:
    """A message (or a draft of one) holds at most ``BODY_MAX`` characters."""
    if len(text) > BODY_MAX:
        raise InvalidInput(
            "body", f"Messages can be at most {BODY_MAX:,} characters (this one has {len(text):,})."
        )
    return text


def check_client_msg_id(client_msg_id: str) -> str:
    if not CLIENT_MSG_ID_PATTERN.fullmatch(client_msg_id or ""):
        raise InvalidInput("client_msg_id", "The message id from the app is malformed.")
    return client_msg_id


def refuse_if_sending_too_fast(session: Session, *, sender_id: int) -> None:
    """Per-person send limits: a burst (``SEND_BURST_MAX`` in ``SEND_BURST_SECONDS``)
    and a sustained rate (``SEND_SUSTAINED_MAX`` in ``SEND_SUSTAINED_SECONDS``).

    Counted from the person's own recent messages (one indexed statement), so a
    send costs no extra write. Concurrent sends from several tabs may pass
    together, overshooting by at most that many.
    """
    settings = get_settings()
    limits = [
        Limit(settings.send_burst_max, settings.send_burst_seconds),
        Limit(settings.send_sustained_max, settings.send_sustained_seconds),
    ]
    now, edges = messages_repo.send_edges(
        session=session,
        sender_id=sender_id,
        windows=[(limit.window_seconds, limit.max) for limit in limits],
    )
    wait = max(limit.wait(edge, now) for limit, edge in zip(limits, edges, strict=True))
    if wait:
        raise rate_limits.too_many(TOO_FAST, wait)


def send_message(
    *,
    user_id: int,
    chat_id: int,
    body: str,
    client_msg_id: str,
    reply_to_id: int | None = None,
    after_client_msg_id: str | None = None,
) -> Sent:
    """Send text; retrying with the same ``client_msg_id`` returns the first message.

    ``after_client_msg_id`` names the message written just before this one that
    the sender's app has not seen stored yet: messages sent together (a burst,
    an outbox emptied on reconnect) can meet the send limit one by one, and one
    that passed while an earlier one was held would be stored before it. Until
    that one is stored this one waits (``WaitingForEarlier``), so a chat reads in
    the order it was written."""
    text = check_body(body)
    client_msg_id = check_client_msg_id(client_msg_id)
    after = check_client_msg_id(after_client_msg_id) if after_client_msg_id is not None else None
    with unit_of_work() as session:
        access_chat(session, chat_id=chat_id, user_id=user_id)
        reply = _check_reply(session, chat_id=chat_id, reply_to_id=reply_to_id)
        sent = do_send(
            session,
            chat_id=chat_id,
            sender_id=user_id,
            kind=MessageKind.TEXT,
            body=text,
            reply_to_id=reply,
            client_msg_id=client_msg_id,
            after_client_msg_id=after,
        )
        # What was being written has gone out: the chat's draft goes with it.
        drafts_repo.remove(session=session, chat_id=chat_id, user_id=user_id)
        return sent


def do_send(
    session: Session,
    *,
    chat_id: int,
    sender_id: int,
    kind: MessageKind,
    body: str,
    reply_to_id: int | None = None,
    client_msg_id: str | None = None,
    after_client_msg_id: str | None = None,
) -> Sent:
    """Insert a message whose checks have passed, inside the caller's transaction.

    A person's own messages (not system lines) are held to the send limits; a
    retry of one already stored is not a new send and always gets its answer;
    a new one waits for ``after_client_msg_id`` (see ``send_message``).
    """
    last_seq = chats_repo.lock_for_send(session=session, chat_id=chat_id)
    if client_msg_id is not None:
        existing = messages_repo.get_by_client_id(
            session=session, sender_id=sender_id, client_msg_id=client_msg_id
        )
        if existing is not None:
            if existing.chat_id != chat_id:
                raise InvalidInput("client_msg_id", "This message id was already used elsewhere.")
            assert existing.id is not None
            return Sent(existing.id, existing.chat_id, existing.seq, created=False)
    if after_client_msg_id is not None and (
        messages_repo.get_by_client_id(
            session=session, sender_id=sender_id, client_msg_id=after_client_msg_id
        )
        is None
    ):
        raise WaitingForEarlier()
    if kind != MessageKind.SYSTEM:
        refuse_if_sending_too_fast(session, sender_id=sender_id)
    message = messages_repo.create(
        session=session,
        chat_id=chat_id,
        seq=last_seq + 1,
        sender_id=sender_id,
        kind=kind,
        body=body,
        reply_to_id=reply_to_id,
        client_msg_id=client_msg_id,
    )
    assert message.id is not None
    chats_repo.record_message(
        session=session, chat_id=chat_id, seq=message.seq, message_id=message.id
    )
    # My own message is read by me the moment I send it.
    members_repo.advance_cursors(
        session=session,
        chat_id=chat_id,
        user_id=sender_id,
        read_to=message.id,
        delivered_to=message.id,
    )
    publish(
        session,
        EventKind.MESSAGE_CREATED,
        chat_id=chat_id,
        message_id=message.id,
        seq=message.seq,
        sender_id=sender_id,
    )
    return Sent(message.id, chat_id, message.seq, created=True)


def internal_send_system(session: Session, *, chat_id: int, actor_id: int, text: str) -> Message:
    """A system line ("Alice added Bob") inside the caller's transaction."""
    sent = do_send(session, chat_id=chat_id, sender_id=actor_id, kind=MessageKind.SYSTEM, body=text)
    message = messages_repo.get(session=session, message_id=sent.message_id)
    assert message is not None
    return message


def _check_reply(session: Session, *, chat_id: int, reply_to_id: int | None) -> int | None:
    if reply_to_id is None:
        return None
    original = messages_repo.get(session=session, message_id=reply_to_id)
    if original is None or original.chat_id != chat_id or original.deleted_at is not None:
        raise InvalidInput("reply_to_id", "The message you are replying to is no longer there.")
    return reply_to_id
