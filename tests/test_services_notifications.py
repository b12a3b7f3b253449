"""Which arriving messages may become a notification, and what it says.

Built from the chat list's real row for the receiver (PostgreSQL, the
services), as ``LiveState`` builds it when a message arrives.
"""

from __future__ import annotations

from sqlalchemy import Engine

from chat_app.services.chat_list import chat_summary, set_chat_flags
from chat_app.services.direct_chats import open_direct_chat
from chat_app.services.groups import create_group
from chat_app.services.notifications import Notice, notice_for
from tests.chat_factories import make_users, send


def _send(sender_id: int, chat_id: int, body: str) -> int:
    return send(sender_id, chat_id, body).message_id


def _notice(viewer_id: int, chat_id: int, message_id: int) -> Notice | None:
    summary = chat_summary(user_id=viewer_id, chat_id=chat_id)
    assert summary is not None
    return notice_for(summary, message_id=message_id)


def test_a_direct_message_names_its_sender(db: Engine) -> None:
    alice, bob = make_users(db, "alice", "bob")
    chat_id = open_direct_chat(user_id=alice.id, other_user_id=bob.id)
    message_id = _send(alice.id, chat_id, "Lunch?")
    assert _notice(bob.id, chat_id, message_id) == Notice(
        id=message_id, chat_id=chat_id, title=alice.display_name, body="Lunch?"
    )
    assert _notice(alice.id, chat_id, message_id) is None, "never for my own message"


def test_a_group_message_is_titled_by_the_group(db: Engine) -> None:
    alice, bob = make_users(db, "alice", "bob")
    chat_id = create_group(user_id=alice.id, title="Book club", member_ids=[bob.id])
    message_id = _send(alice.id, chat_id, "Chapter 3 tonight")
    notice = _notice(bob.id, chat_id, message_id)
    assert notice is not None
    assert (notice.title, notice.body) == ("Book club", f"{alice.display_name}: Chapter 3 tonight")


def test_muted_and_archived_chats_stay_quiet(db: Engine) -> None:
    alice, bob = make_users(db, "alice", "bob")
    chat_id = open_direct_chat(user_id=alice.id, other_user_id=bob.id)
    set_chat_flags(user_id=bob.id, chat_id=chat_id, muted=True)
    assert _notice(bob.id, chat_id, _send(alice.id, chat_id, "one")) is None
    set_chat_flags(user_id=bob.id, chat_id=chat_id, muted=False, archived=True)
    assert _notice(bob.id, chat_id, _send(alice.id, chat_id, "two")) is None
    set_chat_flags(user_id=bob.id, chat_id=chat_id, archived=False)
    assert _notice(bob.id, chat_id, _send(alice.id, chat_id, "three")) is not None


def test_a_message_overtaken_by_a_newer_one_leaves_it_to_the_newer(db: Engine) -> None:
    alice, bob = make_users(db, "alice", "bob")
    chat_id = open_direct_chat(user_id=alice.id, other_user_id=bob.id)
    first = _send(alice.id, chat_id, "first")
    second = _send(alice.id, chat_id, "second")
    assert _notice(bob.id, chat_id, first) is None
    notice = _notice(bob.id, chat_id, second)
    assert notice is not None
    assert notice.body == "second"
