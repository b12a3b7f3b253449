"""The authorization matrix: every chat operation as a member, a non-member, and a
member without the needed role.

The world: a group "Crew" (Alice admin; Bob and Carol members) holding the
creation lines, a text from Alice and a text from Bob; a direct chat between
Alice and Bob; Mallory, who is in no chat; and Dave, in no chat, whom an
admin may add. A refusal must change nothing: every chat table is compared
row by row before and after.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest

from chat_app.services import chat_list, direct_chats, groups, history, message_changes
from chat_app.services.access import CHAT_NOT_FOUND, NO_LONGER_PARTICIPANT
from chat_app.services.errors import Forbidden, NotFound
from chat_app.services.message_changes import MESSAGE_NOT_FOUND
from chat_app.services.message_send import send_message
from tests.chat_factories import changed_tables, make_users, member_row, send, snapshot

MISSING = 10**12  # an id no row has


@dataclasses.dataclass(frozen=True)
class World:
    alice: int
    bob: int
    carol: int
    mallory: int
    dave: int
    group: int
    direct: int
    system_line: int  # 'Alice created group "Crew"'
    alice_text: int
    bob_text: int
    direct_text: int  # from Alice, in the direct chat

    def missing(self) -> World:
        """The same world with every chat and message id pointing at nothing."""
        return dataclasses.replace(
            self,
            group=MISSING,
            direct=MISSING,
            system_line=MISSING,
            alice_text=MISSING,
            bob_text=MISSING,
            direct_text=MISSING,
        )


@pytest.fixture
def world(db) -> World:
    alice, bob, carol, mallory, dave = make_users(db, "alice", "bob", "carol", "mallory", "dave")
    group = groups.create_group(user_id=alice.id, title="Crew", member_ids=[bob.id, carol.id])
    system_line = history.load_latest(user_id=alice.id, chat_id=group).messages[0].id
    alice_text = send(alice, group, "hello crew").message_id
    bob_text = send(bob, group, "hi all").message_id
    direct = direct_chats.open_direct_chat(user_id=alice.id, other_user_id=bob.id)
    direct_text = send(alice, direct, "psst").message_id
    return World(
        alice=alice.id,
        bob=bob.id,
        carol=carol.id,
        mallory=mallory.id,
        dave=dave.id,
        group=group,
        direct=direct,
        system_line=system_line,
        alice_text=alice_text,
        bob_text=bob_text,
        direct_text=direct_text,
    )


@dataclasses.dataclass(frozen=True)
class Operation:
    run: Callable[[World, int], Any]
    not_found: str  # what a non-member (and anyone, for a missing id) is told


def _chat_op(run: Callable[[World, int], Any]) -> Operation:
    return Operation(run, CHAT_NOT_FOUND)


def _message_op(run: Callable[[World, int], Any]) -> Operation:
    return Operation(run, MESSAGE_NOT_FOUND)


# fmt: off
OPERATIONS: dict[str, Operation] = {
    # reading the group
    "load_latest": _chat_op(lambda w, u: history.load_latest(user_id=u, chat_id=w.group)),
    "load_older": _chat_op(
        lambda w, u: history.load_older(user_id=u, chat_id=w.group, before_id=w.bob_text)),
    "load_newer": _chat_op(
        lambda w, u: history.load_newer(user_id=u, chat_id=w.group, after_id=w.alice_text)),
    "load_messages": _chat_op(lambda w, u: history.load_messages(
        user_id=u, chat_id=w.group, message_ids=[w.alice_text, w.bob_text])),
    "chat_details": _chat_op(lambda w, u: history.chat_details(user_id=u, chat_id=w.group)),
    "chat_summary": _chat_op(lambda w, u: chat_list.chat_summary(user_id=u, chat_id=w.group)),
    "message_info": _message_op(
        lambda w, u: history.message_info(user_id=u, message_id=w.bob_text)),
    # reading the direct chat
    "load_latest (direct)": _chat_op(
        lambda w, u: history.load_latest(user_id=u, chat_id=w.direct)),
    "chat_details (direct)": _chat_op(
        lambda w, u: history.chat_details(user_id=u, chat_id=w.direct)),
    "message_info (direct)": _message_op(
        lambda w, u: history.message_info(user_id=u, message_id=w.direct_text)),
    # any member
    "mark_read": _chat_op(
        lambda w, u: history.mark_read(user_id=u, chat_id=w.group, up_to_message_id=w.bob_text)),
    "send_message": _chat_op(lambda w, u: send_message(
        user_id=u, chat_id=w.group, body="new text", client_msg_id="auth-send-1")),
    "send_message (direct)": _chat_op(lambda w, u: send_message(
        user_id=u, chat_id=w.direct, body="new text", client_msg_id="auth-send-2")),
    "react": _message_op(
        lambda w, u: message_changes.react(user_id=u, message_id=w.bob_text, emoji="👍")),
    "set_chat_flags": _chat_op(lambda w, u: chat_list.set_chat_flags(
        user_id=u, chat_id=w.group, pinned=True, muted=True, archived=True)),
    "leave_group": _chat_op(lambda w, u: groups.leave_group(user_id=u, chat_id=w.group)),
    # the author only (Bob's text)
    "edit_message": _message_op(lambda w, u: message_changes.edit_message(
        user_id=u, message_id=w.bob_text, body="hi everyone")),
    "delete_message": _message_op(
        lambda w, u: message_changes.delete_message(user_id=u, message_id=w.bob_text)),
    # group admins only
    "rename_group": _chat_op(
        lambda w, u: groups.rename_group(user_id=u, chat_id=w.group, title="Crew 2")),
    "set_group_avatar": _chat_op(lambda w, u: groups.set_group_avatar(
        user_id=u, chat_id=w.group, avatar_path="avatars/crew.png")),
    "add_members": _chat_op(
        lambda w, u: groups.add_members(user_id=u, chat_id=w.group, member_ids=[w.dave])),
    "remove_member": _chat_op(
        lambda w, u: groups.remove_member(user_id=u, chat_id=w.group, member_id=w.carol)),
    "promote_to_admin": _chat_op(
        lambda w, u: groups.promote_to_admin(user_id=u, chat_id=w.group, member_id=w.carol)),
    # nobody may do these
    "edit the system line": _message_op(lambda w, u: message_changes.edit_message(
        user_id=u, message_id=w.system_line, body="Alice did nothing")),
    "delete the system line": _message_op(
        lambda w, u: message_changes.delete_message(user_id=u, message_id=w.system_line)),
    "react to the system line": _message_op(
        lambda w, u: message_changes.react(user_id=u, message_id=w.system_line, emoji="👍")),
    "rename a direct chat": _chat_op(
        lambda w, u: groups.rename_group(user_id=u, chat_id=w.direct, title="Us")),
    "set a direct chat's picture": _chat_op(lambda w, u: groups.set_group_avatar(
        user_id=u, chat_id=w.direct, avatar_path="avatars/us.png")),
    "add members to a direct chat": _chat_op(
        lambda w, u: groups.add_members(user_id=u, chat_id=w.direct, member_ids=[w.dave])),
    "remove from a direct chat": _chat_op(
        lambda w, u: groups.remove_member(user_id=u, chat_id=w.direct, member_id=w.bob)),
    "promote in a direct chat": _chat_op(
        lambda w, u: groups.promote_to_admin(user_id=u, chat_id=w.direct, member_id=w.bob)),
    "leave a direct chat": _chat_op(lambda w, u: groups.leave_group(user_id=u, chat_id=w.direct)),
}


# (a) A member with the needed role: it works, and what they see afterwards shows it.
# operation,               actor,   tables it changes,           what the actor then sees
ALLOWED = [
    ("load_latest",           "carol", set(),
     lambda w, r: [m.body for m in r.messages][-2:] == ["hello crew", "hi all"]),
    ("load_older",            "carol", set(),
     lambda w, r: [m.id for m in r.messages][-1] == w.alice_text),
    ("load_newer",            "carol", set(),
     lambda w, r: [m.id for m in r] == [w.bob_text]),
    ("load_messages",         "carol", set(),
     lambda w, r: [m.body for m in r] == ["hello crew", "hi all"]),
    ("chat_details",          "carol", set(),
     lambda w, r: (r.name, len(r.members), r.my_role) == ("Crew", 3, "member")),
    ("chat_summary",          "carol", set(),
     lambda w, r: (r.name, r.last_preview) == ("Crew", "Bob: hi all")),
    ("message_info",          "bob",   set(),
     lambda w, r: {p.user_id for p in r.pending + r.delivered_to + r.read_by}
     == {w.alice, w.carol}),
    ("load_latest (direct)",  "bob",   set(),
     lambda w, r: [m.body for m in r.messages] == ["psst"]),
    ("chat_details (direct)", "bob",   set(),
     lambda w, r: (r.name, r.peer.id) == ("Alice", w.alice)),
    ("message_info (direct)", "alice", set(),
     lambda w, r: [p.user_id for p in r.pending] == [w.bob]),
    ("mark_read",             "carol", {"chat_members", "events"},
     lambda w, r: r is True
     and history.load_latest(user_id=w.carol, chat_id=w.group).unread_count == 0),
    ("send_message",          "carol", {"messages", "chats", "chat_members", "events"},
     lambda w, r: r.created
     and history.load_latest(user_id=w.bob, chat_id=w.group).messages[-1].body == "new text"),
    ("send_message (direct)", "bob",   {"messages", "chats", "chat_members", "events"},
     lambda w, r: history.load_latest(user_id=w.alice, chat_id=w.direct).messages[-1].body
     == "new text"),
    ("react",                 "carol", {"reactions", "events"},
     lambda w, r: r == "👍"),
    ("set_chat_flags",        "carol", {"chat_members"},
     lambda w, r: chat_list.chat_summary(user_id=w.carol, chat_id=w.group).pinned),
    ("leave_group",           "carol",
     {"messages", "chats", "chat_members", "former_members", "events"},
     lambda w, r: w.carol not in {
         m.user_id for m in history.chat_details(user_id=w.alice, chat_id=w.group).members}),
    ("edit_message",          "bob",   {"messages", "events"},
     lambda w, r: history.load_messages(
         user_id=w.carol, chat_id=w.group, message_ids=[w.bob_text])[0].body == "hi everyone"),
    ("delete_message",        "bob",   {"messages", "events"},
     lambda w, r: history.load_messages(
         user_id=w.carol, chat_id=w.group, message_ids=[w.bob_text])[0].deleted),
    ("rename_group",          "alice", {"messages", "chats", "chat_members", "events"},
     lambda w, r: history.chat_details(user_id=w.bob, chat_id=w.group).name == "Crew 2"),
    ("set_group_avatar",      "alice", {"messages", "chats", "chat_members", "events"},
     lambda w, r: history.chat_details(user_id=w.bob, chat_id=w.group).avatar_path
     == "avatars/crew.png"),
    ("add_members",           "alice", {"messages", "chats", "chat_members", "events"},
     lambda w, r: r == [w.dave]
     and history.chat_details(user_id=w.dave, chat_id=w.group).name == "Crew"),
    ("remove_member",         "alice",
     {"messages", "chats", "chat_members", "former_members", "events"},
     lambda w, r: w.carol not in {
         m.user_id for m in history.chat_details(user_id=w.alice, chat_id=w.group).members}),
    ("promote_to_admin",      "alice", {"messages", "chats", "chat_members", "events"},
     lambda w, r: history.chat_details(user_id=w.carol, chat_id=w.group).my_role == "admin"),
]

# (c) A member without the needed role is refused with Forbidden.
# operation,                      actor,   why
FORBIDDEN = [
    ("rename_group",                 "bob",   "plain members cannot rename"),
    ("set_group_avatar",             "bob",   "plain members cannot change the picture"),
    ("add_members",                  "bob",   "plain members cannot add"),
    ("remove_member",                "bob",   "plain members cannot remove"),
    ("promote_to_admin",             "bob",   "plain members cannot promote"),
    ("edit_message",                 "carol", "someone else's message"),
    ("edit_message",                 "alice", "an admin cannot edit others' text"),
    ("delete_message",               "carol", "someone else's message"),
    ("delete_message",               "alice", "an admin cannot delete others' text"),
    ("edit the system line",         "alice", "system lines are nobody's text"),
    ("delete the system line",       "alice", "system lines stay"),
    ("react to the system line",     "carol", "system lines take no reactions"),
    ("rename a direct chat",         "alice", "direct chats have no admins"),
    ("set a direct chat's picture",  "alice", "direct chats have no admins"),
    ("add members to a direct chat", "alice", "direct chats have no admins"),
    ("remove from a direct chat",    "alice", "direct chats have no admins"),
    ("promote in a direct chat",     "alice", "direct chats have no admins"),
    ("leave a direct chat",          "alice", "only groups can be left"),
]
# fmt: on

# Who tries the operation on a chat or message that does not exist.
ALLOWED_ACTOR = {name: actor for name, actor, _, _ in ALLOWED}


def test_the_matrix_covers_every_operation():
    assert set(ALLOWED_ACTOR) | {name for name, _, _ in FORBIDDEN} == set(OPERATIONS)
    covered = {name.split(" (")[0] for name in ALLOWED_ACTOR}
    assert covered >= {
        "load_latest",
        "load_older",
        "load_newer",
        "load_messages",
        "chat_details",
        "chat_summary",
        "mark_read",
        "message_info",
        "send_message",
        "edit_message",
        "delete_message",
        "react",
        "set_chat_flags",
        "rename_group",
        "set_group_avatar",
        "add_members",
        "remove_member",
        "promote_to_admin",
        "leave_group",
    }


@pytest.mark.parametrize(
    ("operation", "actor", "tables_changed", "sees"),
    ALLOWED,
    ids=[row[0] for row in ALLOWED],
)
def test_a_member_with_the_needed_role_can(db, world, operation, actor, tables_changed, sees):
    before = snapshot(db)

    result = OPERATIONS[operation].run(world, getattr(world, actor))

    assert changed_tables(before, snapshot(db)) == tables_changed
    assert sees(world, result)


@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_a_non_member_is_told_the_chat_does_not_exist(db, world, operation):
    run, not_found = OPERATIONS[operation].run, OPERATIONS[operation].not_found
    before = snapshot(db)

    with pytest.raises(NotFound) as as_outsider:
        run(world, world.mallory)
    with pytest.raises(NotFound) as for_missing_ids:
        run(world.missing(), getattr(world, ALLOWED_ACTOR.get(operation, "alice")))

    assert str(as_outsider.value) == str(for_missing_ids.value) == not_found
    assert snapshot(db) == before


@pytest.mark.parametrize(
    ("operation", "actor", "why"),
    FORBIDDEN,
    ids=[f"{op} as {actor}" for op, actor, _ in FORBIDDEN],
)
def test_a_member_without_the_needed_role_is_refused(db, world, operation, actor, why):
    before = snapshot(db)

    with pytest.raises(Forbidden) as refused:
        OPERATIONS[operation].run(world, getattr(world, actor))

    assert str(refused.value), why
    assert snapshot(db) == before, why


# (d) A former member (removed, or left): the group stays theirs to read up to the
# line recording it, and every other operation is refused, saying why.
# operation,       what Carol, removed after Bob's text, still reads
FORMER_READS = {
    "load_latest": lambda w, r: (
        [m.body for m in r.messages][-3:] == ["hello crew", "hi all", "Alice removed you"]
    ),
    "load_older": lambda w, r: [m.id for m in r.messages][-1] == w.alice_text,
    "load_newer": lambda w, r: [m.body for m in r] == ["hi all", "Alice removed you"],
    "load_messages": lambda w, r: [m.body for m in r] == ["hello crew", "hi all"],
    "chat_details": lambda w, r: (r.name, r.members, r.my_role, r.former) == ("Crew", [], "", True),
    "chat_summary": lambda w, r: (
        (r.name, r.last_preview, r.unread, r.former) == ("Crew", "Alice removed you", 0, True)
    ),
}
# (Removing is tried on Bob below: on herself, Carol is told to use Leave group.)
GROUP_OPERATIONS = [
    name
    for name in OPERATIONS
    if "direct" not in name and name not in FORMER_READS and name != "remove_member"
]


@pytest.fixture
def carol_removed(db, world) -> World:
    """Carol removed by Alice; then Alice writes again, which Carol must never see."""
    groups.remove_member(user_id=world.alice, chat_id=world.group, member_id=world.carol)
    send(world.alice, world.group, "after carol")
    return world


@pytest.mark.parametrize("operation", list(FORMER_READS))
def test_a_former_member_still_reads_up_to_their_removal(db, carol_removed, operation):
    before = snapshot(db)

    result = OPERATIONS[operation].run(carol_removed, carol_removed.carol)

    assert FORMER_READS[operation](carol_removed, result)
    assert "after carol" not in repr(result)
    assert snapshot(db) == before


@pytest.mark.parametrize("operation", GROUP_OPERATIONS)
def test_a_former_member_can_do_nothing_else(db, carol_removed, operation):
    before = snapshot(db)

    with pytest.raises(Forbidden) as refused:
        OPERATIONS[operation].run(carol_removed, carol_removed.carol)

    assert str(refused.value) == NO_LONGER_PARTICIPANT
    assert snapshot(db) == before


def test_a_former_member_cannot_remove_anyone(db, carol_removed):
    before = snapshot(db)

    with pytest.raises(Forbidden, match=NO_LONGER_PARTICIPANT):
        groups.remove_member(
            user_id=carol_removed.carol, chat_id=carol_removed.group, member_id=carol_removed.bob
        )

    assert snapshot(db) == before


def test_a_former_member_does_not_read_a_later_message_by_its_id(db, carol_removed):
    later = send(carol_removed.alice, carol_removed.group, "later still").message_id

    assert (
        history.load_messages(
            user_id=carol_removed.carol, chat_id=carol_removed.group, message_ids=[later]
        )
        == []
    )
    with pytest.raises(Forbidden, match=NO_LONGER_PARTICIPANT):
        message_changes.react(user_id=carol_removed.carol, message_id=later, emoji="👍")


def test_message_ids_of_another_chat_are_not_loaded_through_my_chat(db, world):
    """Mallory opens a chat of her own and asks for the group's messages through it."""
    own_chat = direct_chats.open_direct_chat(user_id=world.mallory, other_user_id=world.dave)
    send(world.mallory, own_chat, "mine")

    leaked = history.load_messages(
        user_id=world.mallory,
        chat_id=own_chat,
        message_ids=[world.alice_text, world.bob_text, world.direct_text],
    )

    assert leaked == []


def test_marking_read_with_another_chats_message_id_does_not_pass_my_chat(db, world):
    """A cursor is clamped to the chat's own last message whatever id is sent."""
    newer_elsewhere = send(world.alice, world.direct, "later, elsewhere").message_id

    history.mark_read(user_id=world.carol, chat_id=world.group, up_to_message_id=newer_elsewhere)

    cursor = member_row(db, world.group, world.carol)["last_read_message_id"]
    assert cursor == world.bob_text  # the group's last message, not the direct chat's
