"""Sending, editing, deleting and reacting: the rules a person runs into."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy.exc import DBAPIError

from chat_app.services import chat_list, direct_chats, groups, history, message_changes
from chat_app.services.errors import Forbidden, InvalidInput, NotFound
from chat_app.services.message_send import send_message
from tests.chat_factories import (
    age_message,
    all_at_once,
    chat_row,
    events,
    execute,
    make_users,
    member_row,
    message_row,
    rows,
    scalar,
    send,
    snapshot,
)


@pytest.fixture
def people(db):
    return make_users(db, "alice", "bob", "carol")


@pytest.fixture
def direct(people):
    alice, bob, _ = people
    return direct_chats.open_direct_chat(user_id=alice.id, other_user_id=bob.id)


@pytest.fixture
def group(people):
    alice, bob, carol = people
    return groups.create_group(user_id=alice.id, title="Crew", member_ids=[bob.id, carol.id])


def view(user, chat_id: int, message_id: int):
    [found] = history.load_messages(user_id=user.id, chat_id=chat_id, message_ids=[message_id])
    return found


def reactions_seen_by(user, chat_id: int, message_id: int) -> list[tuple[str, int, bool]]:
    return [(r.emoji, r.count, r.mine) for r in view(user, chat_id, message_id).reactions]


# --- sending -------------------------------------------------------------------------------


@pytest.mark.parametrize("body", ["", " ", "   \n\t  ", "\n\n"])
def test_an_empty_message_is_refused_and_nothing_is_stored(db, people, direct, body):
    alice = people[0]
    before = snapshot(db)

    with pytest.raises(InvalidInput) as refused:
        send(alice, direct, body)

    assert refused.value.field == "body"
    assert snapshot(db) == before


@pytest.mark.parametrize("body", ["hi\x00there", "\x00"], ids=["NUL inside", "only NUL"])
def test_a_body_postgresql_cannot_store_is_refused_as_input(db, people, direct, body):
    """A NUL character (sent by a crafted client) must be an input error, not a crash."""
    alice = people[0]
    before = snapshot(db)

    with pytest.raises(InvalidInput) as refused:
        send(alice, direct, body)

    assert refused.value.field == "body"
    assert snapshot(db) == before


def test_4096_characters_after_trimming_are_accepted(db, people, direct):
    alice, bob, _ = people
    text = "x" * 4096

    sent = send(alice, direct, "  \n" + text + "\n  ")

    assert view(bob, direct, sent.message_id).body == text


def test_4097_characters_are_refused_with_the_limit_in_the_message(db, people, direct):
    alice = people[0]
    before = snapshot(db)

    with pytest.raises(InvalidInput) as refused:
        send(alice, direct, "y" * 4097)

    assert refused.value.field == "body"
    assert "4,096" in str(refused.value)
    assert snapshot(db) == before


@pytest.mark.parametrize(
    "client_msg_id",
    ["", "short", "has spaces 123", "x" * 65, "üñíçødé-123", "../../etc/passwd", "a;DROP TABLE"],
)
def test_a_malformed_client_message_id_is_refused(db, people, direct, client_msg_id):
    alice = people[0]
    before = snapshot(db)

    with pytest.raises(InvalidInput) as refused:
        send(alice, direct, "hi", client_msg_id=client_msg_id)

    assert refused.value.field == "client_msg_id"
    assert snapshot(db) == before


def test_a_reply_quotes_the_original(db, people, direct):
    alice, bob, _ = people
    original = send(bob, direct, "lunch?\nat noon")

    reply = send(alice, direct, "yes", reply_to_id=original.message_id)

    quoted = view(alice, direct, reply.message_id).reply
    assert (quoted.message_id, quoted.sender_name, quoted.snippet) == (
        original.message_id,
        "Bob",
        "lunch?",
    )
    assert view(bob, direct, reply.message_id).reply.sender_name == "You"


def test_a_reply_to_a_message_of_another_chat_is_refused(db, people, direct, group):
    alice, bob, _ = people
    elsewhere = send(bob, group, "group talk").message_id
    before = snapshot(db)

    with pytest.raises(InvalidInput) as refused:
        send(alice, direct, "re: group talk", reply_to_id=elsewhere)

    assert refused.value.field == "reply_to_id"
    assert snapshot(db) == before


@pytest.mark.parametrize("gone", ["deleted", "never existed"])
def test_a_reply_to_a_message_that_is_not_there_is_refused(db, people, direct, gone):
    alice, bob, _ = people
    original = send(bob, direct, "oops").message_id
    if gone == "deleted":
        message_changes.delete_message(user_id=bob.id, message_id=original)
    else:
        original = 10**12
    before = snapshot(db)

    with pytest.raises(InvalidInput) as refused:
        send(alice, direct, "what?", reply_to_id=original)

    assert refused.value.field == "reply_to_id"
    assert snapshot(db) == before


def test_seq_counts_up_by_one_per_message_in_each_chat(db, people, direct, group):
    alice, bob, carol = people
    groups.rename_group(user_id=alice.id, chat_id=group, title="Crew!")  # a system line
    for sender, chat_id in [(alice, direct), (bob, group), (bob, direct), (carol, group)]:
        send(sender, chat_id, "next")
    sent = send(alice, direct, "last")

    for chat_id in (direct, group):
        seqs = [
            r["seq"]
            for r in rows(db, "SELECT seq FROM messages WHERE chat_id = :c ORDER BY id", c=chat_id)
        ]
        assert seqs == list(range(1, len(seqs) + 1))
        assert chat_row(db, chat_id)["last_seq"] == seqs[-1]
    assert sent.seq == 3
    assert chat_row(db, direct)["last_message_id"] == sent.message_id


def test_concurrent_sends_to_one_chat_get_gapless_seqs(db, people, group):
    senders = people * 3  # nine sends from three people at once

    results = all_at_once(len(senders), lambda i: send(senders[i], group, f"burst {i}"))

    seqs = sorted(r.seq for r in results)
    first = seqs[0]
    assert seqs == list(range(first, first + len(senders)))
    assert chat_row(db, group)["last_seq"] == seqs[-1]
    stored = rows(db, "SELECT seq FROM messages WHERE chat_id = :c ORDER BY seq", c=group)
    assert [r["seq"] for r in stored] == list(range(1, seqs[-1] + 1))


def test_the_senders_read_cursor_moves_to_their_own_message(db, people, direct):
    alice, bob, _ = people
    from_bob = send(bob, direct, "hi alice")
    assert history.load_latest(user_id=alice.id, chat_id=direct).unread_count == 1

    mine = send(alice, direct, "hi bob")

    cursor = member_row(db, direct, alice.id)
    assert cursor["last_read_message_id"] == mine.message_id
    assert cursor["last_delivered_message_id"] == mine.message_id
    assert mine.message_id > from_bob.message_id
    assert history.load_latest(user_id=alice.id, chat_id=direct).unread_count == 0
    assert member_row(db, direct, bob.id)["last_read_message_id"] == from_bob.message_id


def test_each_send_publishes_one_message_created_event_and_a_retry_none(db, people, direct):
    alice, bob, _ = people

    first = send(alice, direct, "one", client_msg_id="retry-0001")
    retry = send(alice, direct, "one", client_msg_id="retry-0001")
    second = send(bob, direct, "two")

    assert (first.created, retry.created, second.created) == (True, False, True)
    assert retry.message_id == first.message_id
    created = events(db, "message.created")
    assert [(e["chat_id"], e["payload"]["message_id"]) for e in created] == [
        (direct, first.message_id),
        (direct, second.message_id),
    ]
    assert created[0]["payload"]["sender_id"] == alice.id
    assert created[0]["payload"]["seq"] == first.seq


def test_a_retry_returns_the_first_message_even_with_different_text(db, people, direct):
    alice, bob, _ = people
    first = send(alice, direct, "original", client_msg_id="retry-0002")

    retry = send(alice, direct, "changed on retry", client_msg_id="retry-0002")

    assert (retry.message_id, retry.seq, retry.created) == (first.message_id, first.seq, False)
    assert [m.body for m in history.load_latest(user_id=bob.id, chat_id=direct).messages] == [
        "original"
    ]


@contextmanager
def refusing_inserts_into(db, table: str) -> Iterator[None]:
    """Make every insert into ``table`` fail, as a full disk or a bug would."""
    execute(
        db,
        f"""
        CREATE FUNCTION test_refuse_insert() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '{table} unavailable'; END $$;
        CREATE TRIGGER test_refuse_insert BEFORE INSERT ON {table}
        FOR EACH ROW EXECUTE FUNCTION test_refuse_insert();
        """,
    )
    try:
        yield
    finally:
        execute(
            db, f"DROP TRIGGER test_refuse_insert ON {table}; DROP FUNCTION test_refuse_insert();"
        )


@pytest.mark.parametrize("failing_table", ["events", "messages"])
def test_the_message_and_its_event_commit_together_or_not_at_all(db, people, direct, failing_table):
    alice, bob, _ = people
    send(alice, direct, "before")
    before = snapshot(db)

    with (
        refusing_inserts_into(db, failing_table),
        pytest.raises(DBAPIError, match=f"{failing_table} unavailable"),
    ):
        send(alice, direct, "lost")

    assert snapshot(db) == before
    assert [m.body for m in history.load_latest(user_id=bob.id, chat_id=direct).messages] == [
        "before"
    ]


def test_a_refused_send_stores_and_publishes_nothing(db, people, direct):
    alice, _, carol = people
    before = snapshot(db)

    with pytest.raises(InvalidInput):
        send(alice, direct, "   ")
    with pytest.raises(NotFound):
        send(carol, direct, "let me in")
    with pytest.raises(InvalidInput):
        send(alice, direct, "re", reply_to_id=10**12)

    assert snapshot(db) == before


def test_concurrent_retries_of_one_send_store_one_message(db, people, direct):
    alice, bob, _ = people

    results = all_at_once(
        8,
        lambda _: send_message(
            user_id=alice.id, chat_id=direct, body="only once", client_msg_id="concurrent-01"
        ),
    )

    assert len({r.message_id for r in results}) == 1
    assert sum(r.created for r in results) == 1
    assert scalar(db, "SELECT count(*) FROM messages WHERE client_msg_id = 'concurrent-01'") == 1
    assert len(events(db, "message.created")) == 1
    assert [m.body for m in history.load_latest(user_id=bob.id, chat_id=direct).messages] == [
        "only once"
    ]


# --- editing -------------------------------------------------------------------------------


def test_editing_my_text_within_15_minutes_marks_it_edited(db, people, direct):
    alice, bob, _ = people
    sent = send(alice, direct, "teh")
    age_message(db, sent.message_id, minutes=14)
    assert view(alice, direct, sent.message_id).can_edit

    message_changes.edit_message(user_id=alice.id, message_id=sent.message_id, body="  the  ")

    seen = view(bob, direct, sent.message_id)
    assert (seen.body, seen.edited) == ("the", True)
    assert [e["payload"]["message_id"] for e in events(db, "message.updated")] == [sent.message_id]


def test_editing_after_15_minutes_is_refused(db, people, direct):
    alice, _, _ = people
    sent = send(alice, direct, "teh")
    age_message(db, sent.message_id, minutes=16)
    assert not view(alice, direct, sent.message_id).can_edit
    before = snapshot(db)

    with pytest.raises(Forbidden) as refused:
        message_changes.edit_message(user_id=alice.id, message_id=sent.message_id, body="the")

    assert "15 minutes" in str(refused.value)
    assert snapshot(db) == before


def test_editing_a_deleted_message_is_refused(db, people, direct):
    alice, _, _ = people
    sent = send(alice, direct, "gone soon")
    message_changes.delete_message(user_id=alice.id, message_id=sent.message_id)
    before = snapshot(db)

    with pytest.raises(Forbidden):
        message_changes.edit_message(user_id=alice.id, message_id=sent.message_id, body="back!")

    assert snapshot(db) == before
    assert view(alice, direct, sent.message_id).body == "This message was deleted"


def test_editing_a_system_line_is_refused_even_for_its_actor(db, people, group):
    alice = people[0]
    [created_line, _] = history.load_latest(user_id=alice.id, chat_id=group).messages
    assert not created_line.can_edit
    before = snapshot(db)

    with pytest.raises(Forbidden):
        message_changes.edit_message(user_id=alice.id, message_id=created_line.id, body="hacked")

    assert snapshot(db) == before


@pytest.mark.parametrize(("body", "field"), [("   ", "body"), ("z" * 4097, "body")])
def test_an_edit_follows_the_send_rules(db, people, direct, body, field):
    alice = people[0]
    sent = send(alice, direct, "fine")
    before = snapshot(db)

    with pytest.raises(InvalidInput) as refused:
        message_changes.edit_message(user_id=alice.id, message_id=sent.message_id, body=body)

    assert refused.value.field == field
    assert snapshot(db) == before


def test_an_edit_to_the_same_text_is_not_marked_edited(db, people, direct):
    alice, bob, _ = people
    sent = send(alice, direct, "same")

    message_changes.edit_message(user_id=alice.id, message_id=sent.message_id, body=" same ")

    assert not view(bob, direct, sent.message_id).edited
    assert events(db, "message.updated") == []


# --- deleting ------------------------------------------------------------------------------


def test_deleting_leaves_a_placeholder_and_removes_reactions(db, people, group):
    alice, bob, carol = people
    sent = send(bob, group, "embarrassing")
    message_changes.react(user_id=alice.id, message_id=sent.message_id, emoji="😂")
    message_changes.react(user_id=carol.id, message_id=sent.message_id, emoji="😮")

    message_changes.delete_message(user_id=bob.id, message_id=sent.message_id)

    seen = view(carol, group, sent.message_id)
    assert (seen.body, seen.deleted, seen.edited, seen.reactions, seen.can_edit) == (
        "This message was deleted",
        True,
        False,
        [],
        False,
    )
    assert scalar(db, "SELECT count(*) FROM reactions") == 0
    assert message_row(db, sent.message_id)["body"] == ""  # the text is really gone
    assert [e["payload"]["message_id"] for e in events(db, "message.deleted")] == [sent.message_id]


def test_replies_to_a_deleted_message_quote_the_placeholder(db, people, direct):
    alice, bob, _ = people
    original = send(bob, direct, "secret plan")
    reply = send(alice, direct, "love it", reply_to_id=original.message_id)

    message_changes.delete_message(user_id=bob.id, message_id=original.message_id)

    for person in (alice, bob):
        quoted = view(person, direct, reply.message_id).reply
        assert quoted.message_id == original.message_id
        assert quoted.snippet == "This message was deleted"
    assert view(alice, direct, reply.message_id).body == "love it"


def test_deleting_twice_is_harmless(db, people, direct):
    alice = people[0]
    sent = send(alice, direct, "bye")
    message_changes.delete_message(user_id=alice.id, message_id=sent.message_id)
    before = snapshot(db)

    message_changes.delete_message(user_id=alice.id, message_id=sent.message_id)

    assert snapshot(db) == before


def test_the_chat_list_previews_a_deleted_last_message(db, people, direct):
    alice, bob, _ = people
    sent = send(alice, direct, "typo")

    message_changes.delete_message(user_id=alice.id, message_id=sent.message_id)

    for person in (alice, bob):
        [row] = chat_list.list_chats(user_id=person.id)
        assert row.last_preview == "This message was deleted"


# --- reactions -----------------------------------------------------------------------------


def test_react_set_change_and_choose_again_to_remove(db, people, direct):
    alice, bob, _ = people
    sent = send(bob, direct, "news")
    message_id = sent.message_id

    assert message_changes.react(user_id=alice.id, message_id=message_id, emoji="👍") == "👍"
    assert reactions_seen_by(alice, direct, message_id) == [("👍", 1, True)]

    assert message_changes.react(user_id=alice.id, message_id=message_id, emoji="❤️") == "❤️"
    assert reactions_seen_by(alice, direct, message_id) == [("❤️", 1, True)]
    assert scalar(db, "SELECT count(*) FROM reactions WHERE message_id = :m", m=message_id) == 1

    assert message_changes.react(user_id=alice.id, message_id=message_id, emoji="❤️") is None
    assert reactions_seen_by(alice, direct, message_id) == []
    assert reactions_seen_by(bob, direct, message_id) == []

    assert [e["payload"]["emoji"] for e in events(db, "reaction.changed")] == ["👍", "❤️", None]


def test_reaction_counts_add_up_across_people_with_mine_per_viewer(db, people, group):
    alice, bob, carol = people
    message_id = send(alice, group, "party at mine").message_id
    message_changes.react(user_id=alice.id, message_id=message_id, emoji="🎉")
    message_changes.react(user_id=bob.id, message_id=message_id, emoji="🎉")
    message_changes.react(user_id=carol.id, message_id=message_id, emoji="👍")

    assert reactions_seen_by(alice, group, message_id) == [("🎉", 2, True), ("👍", 1, False)]
    assert reactions_seen_by(bob, group, message_id) == [("🎉", 2, True), ("👍", 1, False)]
    assert reactions_seen_by(carol, group, message_id) == [("🎉", 2, False), ("👍", 1, True)]


REFUSED_EMOJI = {
    "a letter": "a",
    "nothing": "",
    "spaces": "  ",
    "over-long": "👍" * 17,
    "a word": "ok",
    "a digit": "1",
    "two with a space": "👍 👍",
    "with a NUL character": "👍\x00",
}


@pytest.mark.parametrize("emoji", list(REFUSED_EMOJI.values()), ids=list(REFUSED_EMOJI))
def test_a_reaction_that_is_not_an_emoji_is_refused(db, people, direct, emoji):
    alice, bob, _ = people
    message_id = send(bob, direct, "hi").message_id
    before = snapshot(db)

    with pytest.raises(InvalidInput) as refused:
        message_changes.react(user_id=alice.id, message_id=message_id, emoji=emoji)

    assert refused.value.field == "emoji"
    assert snapshot(db) == before


ACCEPTED_EMOJI = {
    "thumbs up": "👍",
    "with a variation selector": "❤️",
    "ZWJ family": "👨‍👩‍👧‍👦",
    "flag": "🇳🇱",
    "skin tone": "👍🏽",
    "keycap #": "#️⃣",
    "keycap 1 (the digit is alphanumeric, the emoji is not)": "1️⃣",
    "information source (a letter-like symbol, emoji presentation)": "ℹ️",
}


@pytest.mark.parametrize("emoji", list(ACCEPTED_EMOJI.values()), ids=list(ACCEPTED_EMOJI))
def test_real_emoji_including_sequences_are_accepted(db, people, direct, emoji):
    alice, bob, _ = people
    message_id = send(bob, direct, "hi").message_id

    message_changes.react(user_id=alice.id, message_id=message_id, emoji=emoji)

    assert reactions_seen_by(bob, direct, message_id) == [(emoji, 1, False)]


def test_reacting_to_a_deleted_message_is_refused(db, people, direct):
    alice, bob, _ = people
    message_id = send(bob, direct, "hi").message_id
    message_changes.delete_message(user_id=bob.id, message_id=message_id)
    before = snapshot(db)

    with pytest.raises(Forbidden):
        message_changes.react(user_id=alice.id, message_id=message_id, emoji="👍")

    assert snapshot(db) == before


def test_reacting_to_a_system_line_is_refused(db, people, group):
    bob = people[1]
    system_line = history.load_latest(user_id=bob.id, chat_id=group).messages[0]
    assert system_line.kind == "system"
    before = snapshot(db)

    with pytest.raises(Forbidden):
        message_changes.react(user_id=bob.id, message_id=system_line.id, emoji="👍")

    assert snapshot(db) == before
