"""A group someone was removed from, or left: it stays in their list, read-only, with
its history up to that moment, until they delete it; nothing sent afterwards
reaches them; added back, they are a participant again."""

from __future__ import annotations

import io

import pytest
from sqlmodel import Session

from chat_app.database import get_engine
from chat_app.repositories import realtime_events
from chat_app.services import attachments, chat_list, drafts, groups, history, message_changes
from chat_app.services.access import CHAT_NOT_FOUND, NO_LONGER_PARTICIPANT
from chat_app.services.errors import Forbidden, NotFound
from tests import sample_files as samples
from tests.chat_factories import events, make_users, member_row, rows, send, snapshot


@pytest.fixture
def people(db):
    return make_users(db, "alice", "bob", "carol", "dave")


@pytest.fixture
def group(people) -> int:
    alice, bob, carol, _ = people
    chat_id = groups.create_group(user_id=alice.id, title="Trip", member_ids=[bob.id, carol.id])
    send(alice, chat_id, "before")
    send(bob, chat_id, "mine, before")
    return chat_id


def lines(user, chat_id: int) -> list[str]:
    return [m.body for m in history.load_latest(user_id=user.id, chat_id=chat_id).messages]


def row_for(user, chat_id: int):
    found = [r for r in chat_list.list_chats(user_id=user.id) if r.chat_id == chat_id]
    return found[0] if found else None


def events_concerning(user, after_id: int) -> list[dict]:
    with Session(get_engine()) as session:
        found = realtime_events.concerning(
            session=session, user_id=user.id, after_id=after_id, upto_id=2**62, limit=100
        )
        return [{"kind": e.kind, "payload": e.payload} for e in found]


def last_event_id(db) -> int:
    return max((e["id"] for e in events(db)), default=0)


# --- removed: the group stays, read-only --------------------------------------------


def test_a_removed_member_keeps_the_group_with_its_history_up_to_the_removal(db, people, group):
    alice, bob, carol, _ = people

    groups.remove_member(user_id=alice.id, chat_id=group, member_id=bob.id)
    send(alice, group, "after bob")
    send(carol, group, "after bob too")

    assert lines(bob, group)[-3:] == ["before", "mine, before", "Alice removed you"]
    row = row_for(bob, group)
    assert row is not None
    assert (row.name, row.last_preview, row.unread, row.former) == (
        "Trip",
        "Alice removed you",
        0,
        True,
    )
    assert chat_list.unread_total(user_id=bob.id) == 0
    assert "after bob" not in repr(chat_list.list_chats(user_id=bob.id))
    # The others see everything, and the group carries on for them.
    assert lines(carol, group)[-3:] == ["Alice removed Bob", "after bob", "after bob too"]
    assert row_for(alice, group).last_preview == "Carol: after bob too"


def test_the_removed_member_sees_no_later_message_however_they_ask(db, people, group):
    alice, bob, _, _ = people
    groups.remove_member(user_id=alice.id, chat_id=group, member_id=bob.id)
    [removal_line] = [
        m
        for m in history.load_latest(user_id=bob.id, chat_id=group).messages
        if m.body == "Alice removed you"
    ]
    later = send(alice, group, "after bob").message_id

    assert history.load_newer(user_id=bob.id, chat_id=group, after_id=removal_line.id) == []
    assert history.load_newer(user_id=bob.id, chat_id=group, after_id=0)[-1].body == (
        "Alice removed you"
    )
    assert history.load_messages(user_id=bob.id, chat_id=group, message_ids=[later]) == []
    older = history.load_older(user_id=bob.id, chat_id=group, before_id=later + 1)
    assert "after bob" not in [m.body for m in older.messages]
    assert chat_list.chat_summary(user_id=bob.id, chat_id=group).last_preview == (
        "Alice removed you"
    )


def test_a_long_history_pages_back_from_the_removal(db, people, group):
    alice, bob, _, _ = people
    for n in range(5):
        send(alice, group, f"old {n}")
    groups.remove_member(user_id=alice.id, chat_id=group, member_id=bob.id)
    for n in range(5):
        send(alice, group, f"new {n}")

    page = history.load_latest(user_id=bob.id, chat_id=group, limit=3)

    assert [m.body for m in page.messages] == ["old 3", "old 4", "Alice removed you"]
    assert page.has_older
    assert page.unread_count == 0
    assert page.first_unread_id is None


def test_no_live_event_after_the_removal_reaches_them_but_the_removal_does(db, people, group):
    alice, bob, carol, _ = people
    start = last_event_id(db)

    groups.remove_member(user_id=alice.id, chat_id=group, member_id=bob.id)
    send(alice, group, "after bob")
    message_changes.react(
        user_id=carol.id, message_id=send(carol, group, "x").message_id, emoji="👍"
    )

    kinds = [e["kind"] for e in events_concerning(bob, start)]
    assert kinds == ["member.removed"]
    with Session(get_engine()) as session:
        members = realtime_events.members_of(session=session, chat_ids=[group])
    assert bob.id not in {user for _, user in members}


def test_a_former_member_is_nobody_to_the_others(db, people, group):
    """Not in the member list, not in message info, not holding back ticks."""
    alice, bob, carol, _ = people
    groups.remove_member(user_id=alice.id, chat_id=group, member_id=bob.id)
    mine = send(alice, group, "after bob").message_id
    history.mark_read(user_id=carol.id, chat_id=group, up_to_message_id=mine)

    details = history.chat_details(user_id=alice.id, chat_id=group)
    info = history.message_info(user_id=alice.id, message_id=mine)

    assert {m.user_id for m in details.members} == {alice.id, carol.id}
    assert [r.user_id for r in info.read_by] == [carol.id]
    assert info.pending == info.delivered_to == []
    assert history.tick_statuses(user_id=alice.id, chat_id=group, message_ids=[mine]) == {
        mine: "read"
    }


def test_a_former_member_sees_no_members_and_no_role(db, people, group):
    alice, bob, _, _ = people
    groups.remove_member(user_id=alice.id, chat_id=group, member_id=bob.id)
    groups.add_members(user_id=alice.id, chat_id=group, member_ids=[people[3].id])

    details = history.chat_details(user_id=bob.id, chat_id=group)

    assert (details.name, details.former, details.members, details.my_role) == (
        "Trip",
        True,
        [],
        "",
    )


@pytest.mark.parametrize(
    "operation",
    [
        "send",
        "reply",
        "react",
        "edit",
        "delete",
        "mark_read",
        "mark_delivered",
        "save_draft",
        "draft_of",
        "set_chat_flags",
        "leave_group",
        "message_info",
        "tick_statuses",
        "add_members",
    ],
)
def test_a_former_member_is_refused_everything_but_reading(db, people, group, operation):
    alice, bob, _, dave = people
    own = send(bob, group, "mine, just before").message_id
    groups.remove_member(user_id=alice.id, chat_id=group, member_id=bob.id)
    calls = {
        "send": lambda: send(bob, group, "still here?"),
        "reply": lambda: send(bob, group, "re", reply_to_id=own),
        "react": lambda: message_changes.react(user_id=bob.id, message_id=own, emoji="👍"),
        "edit": lambda: message_changes.edit_message(user_id=bob.id, message_id=own, body="x"),
        "delete": lambda: message_changes.delete_message(user_id=bob.id, message_id=own),
        "mark_read": lambda: history.mark_read(user_id=bob.id, chat_id=group, up_to_message_id=own),
        "mark_delivered": lambda: history.mark_delivered(
            user_id=bob.id, chat_id=group, up_to_message_id=own
        ),
        "save_draft": lambda: drafts.save_draft(user_id=bob.id, chat_id=group, body="x"),
        "draft_of": lambda: drafts.draft_of(user_id=bob.id, chat_id=group),
        "set_chat_flags": lambda: chat_list.set_chat_flags(
            user_id=bob.id, chat_id=group, pinned=True
        ),
        "leave_group": lambda: groups.leave_group(user_id=bob.id, chat_id=group),
        "message_info": lambda: history.message_info(user_id=bob.id, message_id=own),
        "tick_statuses": lambda: history.tick_statuses(
            user_id=bob.id, chat_id=group, message_ids=[own]
        ),
        "add_members": lambda: groups.add_members(
            user_id=bob.id, chat_id=group, member_ids=[dave.id]
        ),
    }
    before = snapshot(db)

    with pytest.raises(Forbidden) as refused:
        calls[operation]()

    assert str(refused.value) == NO_LONGER_PARTICIPANT
    assert snapshot(db) == before


def test_an_uploaded_file_is_refused_too(db, people, group):
    alice, bob, _, _ = people
    groups.remove_member(user_id=alice.id, chat_id=group, member_id=bob.id)
    before = snapshot(db)

    with pytest.raises(Forbidden, match=NO_LONGER_PARTICIPANT):
        attachments.send_attachment(
            user_id=bob.id,
            chat_id=group,
            filename="a.png",
            data=io.BytesIO(samples.png()),
            caption="",
            client_msg_id="c-00000009",
        )
    assert snapshot(db) == before


def test_the_flags_of_the_membership_are_kept(db, people, group):
    alice, bob, _, _ = people
    chat_list.set_chat_flags(user_id=bob.id, chat_id=group, pinned=True, muted=True, archived=True)

    groups.remove_member(user_id=alice.id, chat_id=group, member_id=bob.id)

    row = row_for(bob, group)
    assert (row.pinned, row.muted, row.archived) == (True, True, True)


# --- leaving ---------------------------------------------------------------------------


def test_someone_who_left_keeps_the_group_up_to_you_left(db, people, group):
    alice, bob, _, _ = people

    groups.leave_group(user_id=alice.id, chat_id=group)  # the only admin: Bob takes over
    send(bob, group, "after alice")

    assert lines(alice, group)[-1] == "You left"
    assert "You're now an admin" not in lines(alice, group)
    assert row_for(alice, group).last_preview == "You left"
    assert history.chat_details(user_id=alice.id, chat_id=group).former
    assert lines(bob, group)[-3:] == ["Alice left", "You're now an admin", "after alice"]
    with pytest.raises(Forbidden, match=NO_LONGER_PARTICIPANT):
        send(alice, group, "wait")


# --- deleting it -----------------------------------------------------------------------


def test_deleting_the_group_takes_it_off_their_list_for_good(db, people, group):
    alice, bob, carol, _ = people
    groups.remove_member(user_id=alice.id, chat_id=group, member_id=bob.id)

    chat_list.delete_former_chat(user_id=bob.id, chat_id=group)

    assert row_for(bob, group) is None
    for look in (
        lambda: history.load_latest(user_id=bob.id, chat_id=group),
        lambda: history.chat_details(user_id=bob.id, chat_id=group),
        lambda: chat_list.chat_summary(user_id=bob.id, chat_id=group),
        lambda: send(bob, group, "hello?"),
        lambda: chat_list.delete_former_chat(user_id=bob.id, chat_id=group),
    ):
        with pytest.raises(NotFound, match=CHAT_NOT_FOUND):
            look()
    # The history stays for the others.
    assert lines(alice, group)[-3:] == ["before", "mine, before", "You removed Bob"]
    assert row_for(carol, group) is not None


def test_a_participant_cannot_delete_the_group_from_the_list(db, people, group):
    _, bob, _, dave = people
    before = snapshot(db)

    with pytest.raises(Forbidden):
        chat_list.delete_former_chat(user_id=bob.id, chat_id=group)
    with pytest.raises(NotFound, match=CHAT_NOT_FOUND):
        chat_list.delete_former_chat(user_id=dave.id, chat_id=group)

    assert snapshot(db) == before
    assert row_for(bob, group) is not None


# --- added back ------------------------------------------------------------------------


def test_added_back_they_are_a_participant_again(db, people, group):
    alice, bob, _, _ = people
    groups.remove_member(user_id=alice.id, chat_id=group, member_id=bob.id)
    send(alice, group, "while bob was away")
    start = last_event_id(db)

    assert groups.add_members(user_id=alice.id, chat_id=group, member_ids=[bob.id]) == [bob.id]
    send(alice, group, "welcome back")

    details = history.chat_details(user_id=bob.id, chat_id=group)
    assert (details.former, details.my_role) == (False, "member")
    assert lines(bob, group)[-2:] == ["Alice added you", "welcome back"]
    row = row_for(bob, group)
    assert (row.former, row.unread, row.last_preview) == (False, 1, "Alice: welcome back")
    assert send(bob, group, "glad to be back").created
    assert "message.created" in [e["kind"] for e in events_concerning(bob, start)]
    assert rows(db, "SELECT * FROM former_members") == []
    assert member_row(db, group, bob.id) is not None


def test_removed_again_the_later_removal_is_where_the_history_stops(db, people, group):
    alice, bob, _, _ = people
    groups.remove_member(user_id=alice.id, chat_id=group, member_id=bob.id)
    groups.add_members(user_id=alice.id, chat_id=group, member_ids=[bob.id])
    send(alice, group, "second time")
    groups.remove_member(user_id=alice.id, chat_id=group, member_id=bob.id)
    send(alice, group, "gone again")

    assert lines(bob, group)[-2:] == ["second time", "Alice removed you"]
    assert len(rows(db, "SELECT * FROM former_members")) == 1
