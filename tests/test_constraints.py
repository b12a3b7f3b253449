"""Rules PostgreSQL itself enforces, so no code path (or race) can break them.

Each refusal is checked by the constraint PostgreSQL names, so a test cannot
pass because of some other error (a missing foreign key row, say).
"""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from chat_app.database import unit_of_work
from chat_app.models import Chat, ChatKind, ChatMember, MemberRole, Message, MessageKind, Reaction
from tests.factories import count_rows, make_direct_chat, make_message, make_user

UNIQUE_VIOLATION = "23505"
CHECK_VIOLATION = "23514"


@pytest.fixture
def alice(db):
    return make_user(db, "alice")


@pytest.fixture
def bob(db):
    return make_user(db, "bob")


@pytest.fixture
def chat(db, alice, bob):
    return make_direct_chat(db, alice, bob)


def insert(db, *rows) -> None:
    with unit_of_work(db) as session:
        session.add_all(rows)
        session.flush()


def refused(db, *rows) -> tuple[str, str]:
    """Insert rows that must be refused; returns (SQLSTATE, constraint name)."""
    with pytest.raises(IntegrityError) as excinfo:
        insert(db, *rows)
    error = excinfo.value.orig
    return error.pgcode, error.diag.constraint_name


def text_message(chat, sender, seq, client_msg_id=None) -> Message:
    return Message(
        chat_id=chat.id,
        seq=seq,
        sender_id=sender.id,
        kind=MessageKind.TEXT,
        body="hi",
        client_msg_id=client_msg_id,
    )


def test_one_direct_chat_per_pair(db, chat, alice, bob):
    again = Chat(kind=ChatKind.DIRECT, direct_key=chat.direct_key, created_by=bob.id)

    assert refused(db, again) == (UNIQUE_VIOLATION, "chats_direct_key_key")
    assert count_rows(db, "chats") == 1


def test_many_group_chats_need_no_direct_key(db):
    insert(db, Chat(kind=ChatKind.GROUP, title="One"), Chat(kind=ChatKind.GROUP, title="Two"))

    assert count_rows(db, "chats") == 2


def test_direct_chat_without_direct_key_is_refused(db):
    assert refused(db, Chat(kind=ChatKind.DIRECT)) == (CHECK_VIOLATION, "ck_chats_direct_key")


def test_group_chat_with_direct_key_is_refused(db):
    group = Chat(kind=ChatKind.GROUP, title="Team", direct_key="1:2")

    assert refused(db, group) == (CHECK_VIOLATION, "ck_chats_direct_key")


def test_unknown_chat_kind_is_refused(db):
    assert refused(db, Chat(kind="channel", title="News")) == (CHECK_VIOLATION, "ck_chats_kind")


def test_retried_send_cannot_create_a_second_message(db, chat, alice):
    make_message(db, chat, alice, 1, client_msg_id="c-1")

    duplicate = text_message(chat, alice, 2, client_msg_id="c-1")

    assert refused(db, duplicate) == (UNIQUE_VIOLATION, "uq_messages_sender_client_msg")
    assert count_rows(db, "messages") == 1


def test_client_message_ids_are_per_sender_and_optional(db, chat, alice, bob):
    """The same client id from two people, and many messages without one, are fine."""
    insert(
        db,
        text_message(chat, alice, 1, client_msg_id="c-1"),
        text_message(chat, bob, 2, client_msg_id="c-1"),
        text_message(chat, alice, 3),
        text_message(chat, alice, 4),
    )

    assert count_rows(db, "messages") == 4


def test_sequence_numbers_are_unique_within_a_chat(db, chat, alice, bob):
    make_message(db, chat, alice, 1)

    assert refused(db, text_message(chat, bob, 1)) == (UNIQUE_VIOLATION, "uq_messages_chat_seq")


def test_same_sequence_number_in_two_chats_is_fine(db, chat, alice):
    carol = make_user(db, "carol")
    other = make_direct_chat(db, alice, carol)

    insert(db, text_message(chat, alice, 1), text_message(other, alice, 1))

    assert count_rows(db, "messages") == 2


def test_one_reaction_per_person_per_message(db, chat, alice, bob):
    message = make_message(db, chat, alice, 1)
    insert(db, Reaction(message_id=message.id, user_id=bob.id, emoji="👍"))

    second = Reaction(message_id=message.id, user_id=bob.id, emoji="❤️")

    assert refused(db, second) == (UNIQUE_VIOLATION, "reactions_pkey")
    insert(db, Reaction(message_id=message.id, user_id=alice.id, emoji="❤️"))
    assert count_rows(db, "reactions") == 2


def test_member_role_must_be_known(db, alice):
    group = Chat(kind=ChatKind.GROUP, title="Team")
    insert(db, group)

    owner = ChatMember(chat_id=group.id, user_id=alice.id, role="owner")

    assert refused(db, owner) == (CHECK_VIOLATION, "ck_chat_members_role")


@pytest.mark.parametrize("role", list(MemberRole))
def test_known_member_roles_are_accepted(db, alice, role):
    group = Chat(kind=ChatKind.GROUP, title="Team")
    insert(db, group)

    insert(db, ChatMember(chat_id=group.id, user_id=alice.id, role=role))

    assert count_rows(db, "chat_members") == 1
