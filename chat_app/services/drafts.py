"""Drafts: the text a person has typed in a chat and not sent, kept per (person, chat).

Saved as they type (the browser batches keystrokes), read when the chat opens
and shown in the chat list as "Draft: …". Only a member may keep one, and a
draft obeys the same rules as the message it will become (no control
characters, at most ``BODY_MAX`` characters); it is kept as typed, spaces and
line breaks included, and an empty or blank draft is no draft.
"""

from __future__ import annotations

from chat_app.database import unit_of_work
from chat_app.repositories import drafts as drafts_repo
from chat_app.services.access import access_chat
from chat_app.services.message_send import refuse_over_long
from chat_app.services.text_rules import is_blank, refuse_control_characters


def check_draft(body: str) -> str:
    """The draft as it will be stored ("" for none); raises InvalidInput when refused."""
    text = body.replace("\r\n", "\n")
    if is_blank(text):
        return ""
    refuse_control_characters("body", text, multiline=True)
    return refuse_over_long(text)


def save_draft(*, user_id: int, chat_id: int, body: str, typed_over: str | None = None) -> str:
    """Keep (or, when blank, forget) my draft in a chat I am a member of; the draft
    as kept.

    ``typed_over`` is what the composer showed when typing began there, if the
    chat's stored draft had not reached the page yet (a slow load, typed at once):
    the stored draft then takes that place, and what was typed stays after it,
    so text kept earlier (or on another device) is never overwritten by text
    written without seeing it.
    """
    text = check_draft(body)
    with unit_of_work() as session:
        access_chat(session, chat_id=chat_id, user_id=user_id)
        if typed_over is not None and body.startswith(typed_over):
            stored = drafts_repo.get(session=session, chat_id=chat_id, user_id=user_id) or ""
            if stored != typed_over:
                text = check_draft(stored + body[len(typed_over) :])
        if text:
            drafts_repo.put(session=session, chat_id=chat_id, user_id=user_id, body=text)
        else:
            drafts_repo.remove(session=session, chat_id=chat_id, user_id=user_id)
        return text


def draft_of(*, user_id: int, chat_id: int) -> str:
    """My draft in a chat ("" when there is none)."""
    with unit_of_work() as session:
        access_chat(session, chat_id=chat_id, user_id=user_id)
        return drafts_repo.get(session=session, chat_id=chat_id, user_id=user_id) or ""
