"""Drafts: one per person per chat, members only, the rules of a message, gone once sent."""

from __future__ import annotations

import pytest

from chat_app.models.message import BODY_MAX
from chat_app.services import chat_list, direct_chats, drafts, groups
from chat_app.services.access import CHAT_NOT_FOUND
from chat_app.services.errors import InvalidInput, NotFound
from tests.chat_factories import make_users, rows, send, snapshot


@pytest.fixture
def people(db):
    return make_users(db, "alice", "bob", "carol")


@pytest.fixture
def chat_id(people) -> int:
    alice, bob, _ = people
    return direct_chats.open_direct_chat(user_id=alice.id, other_user_id=bob.id)


def test_a_draft_is_kept_per_person_and_chat_as_typed(people, chat_id):
    alice, bob, carol = people
    other = direct_chats.open_direct_chat(user_id=alice.id, other_user_id=carol.id)
    drafts.save_draft(user_id=alice.id, chat_id=chat_id, body="see you at  \r\nnine ")
    drafts.save_draft(user_id=alice.id, chat_id=other, body="for Carol")

    assert drafts.draft_of(user_id=alice.id, chat_id=chat_id) == "see you at  \nnine "
    assert drafts.draft_of(user_id=alice.id, chat_id=other) == "for Carol"
    assert drafts.draft_of(user_id=bob.id, chat_id=chat_id) == ""


def test_saving_again_replaces_and_blank_text_removes(db, people, chat_id):
    alice = people[0]
    drafts.save_draft(user_id=alice.id, chat_id=chat_id, body="first")
    drafts.save_draft(user_id=alice.id, chat_id=chat_id, body="second")
    assert drafts.draft_of(user_id=alice.id, chat_id=chat_id) == "second"
    assert len(rows(db, "SELECT * FROM drafts")) == 1

    drafts.save_draft(user_id=alice.id, chat_id=chat_id, body=" \n\u200b ")
    assert drafts.draft_of(user_id=alice.id, chat_id=chat_id) == ""
    assert rows(db, "SELECT * FROM drafts") == []


def test_text_typed_before_the_stored_draft_arrived_goes_after_it(people, chat_id):
    """Typed on a page that had not yet received the chat's draft (kept earlier, or
    on another device): the stored draft takes the place of what the page showed,
    and what was typed stays after it."""
    alice = people[0]
    drafts.save_draft(user_id=alice.id, chat_id=chat_id, body="Wait — ")

    kept = drafts.save_draft(user_id=alice.id, chat_id=chat_id, body="Also, ", typed_over="")
    assert kept == drafts.draft_of(user_id=alice.id, chat_id=chat_id) == "Wait — Also, "
    # The page showed an older copy ("Wait"), typed after it: the same swap.
    kept = drafts.save_draft(
        user_id=alice.id, chat_id=chat_id, body="Wait, see you", typed_over="Wait"
    )
    assert kept == "Wait — Also, , see you"


def test_a_page_that_saw_the_stored_draft_replaces_it(people, chat_id):
    alice = people[0]
    drafts.save_draft(user_id=alice.id, chat_id=chat_id, body="Wait — ")
    # Seen and edited (no typed_over), seen already (typed_over equal to it), or
    # the shown text deleted before typing (does not start with it): kept as sent.
    assert drafts.save_draft(user_id=alice.id, chat_id=chat_id, body="Hi") == "Hi"
    assert (
        drafts.save_draft(user_id=alice.id, chat_id=chat_id, body="Hi there", typed_over="Hi")
        == "Hi there"
    )
    drafts.save_draft(user_id=alice.id, chat_id=chat_id, body="Wait — ")
    assert drafts.save_draft(user_id=alice.id, chat_id=chat_id, body="No", typed_over="Old") == "No"


def test_a_merged_draft_obeys_the_length_limit(db, people, chat_id):
    alice = people[0]
    drafts.save_draft(user_id=alice.id, chat_id=chat_id, body="a" * BODY_MAX)
    before = snapshot(db)
    with pytest.raises(InvalidInput):
        drafts.save_draft(user_id=alice.id, chat_id=chat_id, body="more", typed_over="")
    assert snapshot(db) == before


def test_only_a_member_keeps_or_reads_a_draft(db, people, chat_id):
    alice, _, carol = people
    drafts.save_draft(user_id=alice.id, chat_id=chat_id, body="private")
    before = snapshot(db)
    for call in (
        lambda: drafts.save_draft(user_id=carol.id, chat_id=chat_id, body="not mine"),
        lambda: drafts.draft_of(user_id=carol.id, chat_id=chat_id),
        lambda: drafts.save_draft(user_id=alice.id, chat_id=999_999, body="nowhere"),
    ):
        with pytest.raises(NotFound, match=CHAT_NOT_FOUND):
            call()
    assert snapshot(db) == before


@pytest.mark.parametrize(
    ("body", "field_message"),
    [
        ("x" * (BODY_MAX + 1), f"at most {BODY_MAX:,} characters"),
        ("hi\x00there", "invisible or control characters"),
        ("rtl \u202e override", "invisible or control characters"),
    ],
)
def test_a_draft_obeys_the_rules_of_a_message(db, people, chat_id, body, field_message):
    alice = people[0]
    before = snapshot(db)
    with pytest.raises(InvalidInput, match=field_message):
        drafts.save_draft(user_id=alice.id, chat_id=chat_id, body=body)
    assert snapshot(db) == before


def test_the_longest_message_is_a_valid_draft(people, chat_id):
    alice = people[0]
    drafts.save_draft(user_id=alice.id, chat_id=chat_id, body="y" * BODY_MAX)
    assert drafts.draft_of(user_id=alice.id, chat_id=chat_id) == "y" * BODY_MAX


def test_sending_clears_the_draft_of_that_chat_only(people, chat_id):
    alice, _, carol = people
    other = direct_chats.open_direct_chat(user_id=alice.id, other_user_id=carol.id)
    drafts.save_draft(user_id=alice.id, chat_id=chat_id, body="on its way")
    drafts.save_draft(user_id=alice.id, chat_id=other, body="still here")

    send(alice, chat_id, "on its way")

    assert drafts.draft_of(user_id=alice.id, chat_id=chat_id) == ""
    assert drafts.draft_of(user_id=alice.id, chat_id=other) == "still here"


def test_the_chat_list_shows_the_first_line_of_my_draft_and_only_mine(people, chat_id):
    alice, bob, _ = people
    send(bob, chat_id, "are you coming?")
    drafts.save_draft(user_id=alice.id, chat_id=chat_id, body="yes, after\nwork")

    (mine,) = chat_list.list_chats(user_id=alice.id)
    (theirs,) = chat_list.list_chats(user_id=bob.id)
    assert (mine.draft, mine.last_preview) == ("yes, after", "are you coming?")
    assert theirs.draft == ""
    assert chat_list.chat_summary(user_id=alice.id, chat_id=chat_id).draft == "yes, after"


def test_a_chat_with_only_a_draft_is_listed(people):
    alice, bob, _ = people
    started_by_bob = direct_chats.open_direct_chat(user_id=bob.id, other_user_id=alice.id)
    assert chat_list.list_chats(user_id=alice.id) == []

    drafts.save_draft(user_id=alice.id, chat_id=started_by_bob, body="hello Bob")

    assert [row.draft for row in chat_list.list_chats(user_id=alice.id)] == ["hello Bob"]


def test_leaving_a_group_takes_the_draft_with_it(db, people):
    alice, bob, _ = people
    group = groups.create_group(user_id=alice.id, title="Hikers", member_ids=[bob.id])
    drafts.save_draft(user_id=bob.id, chat_id=group, body="I'll bring")

    groups.leave_group(user_id=bob.id, chat_id=group)

    assert rows(db, "SELECT * FROM drafts") == []
