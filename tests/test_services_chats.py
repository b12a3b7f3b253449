"""Direct chats, groups and the chat list: what each person sees in their list."""

from __future__ import annotations

import pytest

from chat_app.models import MessageKind
from chat_app.services import chat_list, direct_chats, groups, history, message_changes
from chat_app.services.access import NO_LONGER_PARTICIPANT
from chat_app.services.errors import Forbidden, InvalidInput, NotFound
from tests.chat_factories import (
    all_at_once,
    chat_row,
    events,
    insert_attachment_message,
    make_users,
    member_row,
    rows,
    scalar,
    seed_messages,
    send,
    snapshot,
)


@pytest.fixture
def people(db):
    return make_users(db, "alice", "bob", "carol", "dave")


def open_chat(first, second) -> int:
    return direct_chats.open_direct_chat(user_id=first.id, other_user_id=second.id)


def listed(user) -> list[str]:
    """The names in a person's chat list, top to bottom."""
    return [row.name for row in chat_list.list_chats(user_id=user.id)]


def row_for(user, chat_id: int):
    [row] = [r for r in chat_list.list_chats(user_id=user.id) if r.chat_id == chat_id]
    return row


def lines(user, chat_id: int) -> list[str]:
    return [m.body for m in history.load_latest(user_id=user.id, chat_id=chat_id).messages]


def member_ids(user, chat_id: int) -> dict[int, str]:
    details = history.chat_details(user_id=user.id, chat_id=chat_id)
    return {m.user_id: m.role for m in details.members}


# --- direct chats --------------------------------------------------------------------------


def test_a_pair_has_one_direct_chat_whoever_opens_it(db, people):
    alice, bob, carol, _ = people

    first = open_chat(alice, bob)

    assert open_chat(bob, alice) == first
    assert open_chat(alice, bob) == first
    assert open_chat(alice, carol) != first
    assert scalar(db, "SELECT count(*) FROM chats") == 2
    assert sorted(
        r["user_id"]
        for r in rows(db, "SELECT user_id FROM chat_members WHERE chat_id = :c", c=first)
    ) == [alice.id, bob.id]


def test_concurrent_opens_of_one_pair_make_one_chat(db, people):
    alice, bob, _, _ = people
    pairs = [(alice, bob), (bob, alice)] * 4

    chat_ids = all_at_once(8, lambda i: open_chat(*pairs[i]))

    assert len(set(chat_ids)) == 1
    assert scalar(db, "SELECT count(*) FROM chats") == 1
    assert scalar(db, "SELECT count(*) FROM chat_members") == 2


def test_a_chat_with_yourself_is_refused(db, people):
    alice = people[0]

    with pytest.raises(InvalidInput) as refused:
        open_chat(alice, alice)

    assert refused.value.field == "person"
    assert scalar(db, "SELECT count(*) FROM chats") == 0


def test_a_chat_with_an_unknown_person_is_not_found(db, people):
    alice = people[0]

    with pytest.raises(NotFound):
        direct_chats.open_direct_chat(user_id=alice.id, other_user_id=10**12)

    assert scalar(db, "SELECT count(*) FROM chats") == 0


def test_an_empty_direct_chat_shows_in_the_openers_list_only_until_a_message(db, people):
    alice, bob, _, _ = people
    chat_id = open_chat(alice, bob)

    [row] = chat_list.list_chats(user_id=alice.id)
    assert (row.chat_id, row.name, row.last_preview, row.unread) == (chat_id, "Bob", "", 0)
    assert chat_list.list_chats(user_id=bob.id) == []

    send(alice, chat_id, "hey")

    assert listed(bob) == ["Alice"]
    assert row_for(bob, chat_id).last_preview == "hey"


# --- groups --------------------------------------------------------------------------------


def test_creating_a_group_makes_the_creator_admin(db, people):
    alice, bob, carol, _ = people

    chat_id = groups.create_group(
        user_id=alice.id, title="  Weekend \n  trip  ", member_ids=[bob.id, carol.id, alice.id]
    )

    details = history.chat_details(user_id=bob.id, chat_id=chat_id)
    assert (details.kind, details.name, details.my_role) == ("group", "Weekend trip", "member")
    assert member_ids(alice, chat_id) == {alice.id: "admin", bob.id: "member", carol.id: "member"}
    assert lines(carol, chat_id) == [
        'Alice created group "Weekend trip"',
        "Alice added Bob and you",
    ]
    [added] = events(db, "member.added")
    assert sorted(added["payload"]["user_ids"]) == sorted([alice.id, bob.id, carol.id])
    for person in (alice, bob, carol):
        assert listed(person) == ["Weekend trip"]


def test_a_group_of_one_has_just_the_created_line(db, people):
    alice = people[0]

    chat_id = groups.create_group(user_id=alice.id, title="Notes", member_ids=[])

    assert lines(alice, chat_id) == ['You created group "Notes"']


@pytest.mark.parametrize(
    ("title", "accepted_as"),
    [
        ("x" * 100, "x" * 100),
        ("  " + "y" * 50 + "    " + "z" * 49 + "  ", "y" * 50 + " " + "z" * 49),
        ("", None),
        ("   \n\t ", None),
        ("x" * 101, None),
    ],
    ids=["100 characters", "100 after collapsing spaces", "empty", "blank", "101 characters"],
)
def test_group_titles_are_trimmed_and_limited(db, people, title, accepted_as):
    alice, bob, _, _ = people
    if accepted_as is not None:
        chat_id = groups.create_group(user_id=alice.id, title=title, member_ids=[bob.id])
        assert history.chat_details(user_id=bob.id, chat_id=chat_id).name == accepted_as
        return
    before = snapshot(db)

    with pytest.raises(InvalidInput) as refused:
        groups.create_group(user_id=alice.id, title=title, member_ids=[bob.id])

    assert refused.value.field == "title"
    assert snapshot(db) == before


def test_a_group_title_postgresql_cannot_store_is_refused_as_input(db, people):
    """A NUL character (sent by a crafted client) must be an input error, not a crash."""
    alice, bob, _, _ = people
    chat_id = groups.create_group(user_id=alice.id, title="Crew", member_ids=[bob.id])
    before = snapshot(db)

    for attempt in (
        lambda: groups.create_group(user_id=alice.id, title="Cr\x00ew", member_ids=[bob.id]),
        lambda: groups.rename_group(user_id=alice.id, chat_id=chat_id, title="Cr\x00ew"),
    ):
        with pytest.raises(InvalidInput) as refused:
            attempt()
        assert refused.value.field == "title"

    assert snapshot(db) == before


def test_a_group_with_an_unknown_member_is_not_created(db, people):
    alice, bob, _, _ = people
    before = snapshot(db)

    with pytest.raises(NotFound):
        groups.create_group(user_id=alice.id, title="Ghosts", member_ids=[bob.id, 10**12])

    assert snapshot(db) == before


def test_every_group_change_writes_its_system_line(db, people):
    alice, bob, carol, dave = people
    erin, frank = make_users(db, "erin", "frank")
    chat_id = groups.create_group(user_id=alice.id, title="X", member_ids=[bob.id, carol.id])

    groups.add_members(user_id=alice.id, chat_id=chat_id, member_ids=[dave.id, erin.id, frank.id])
    groups.rename_group(user_id=alice.id, chat_id=chat_id, title="Y")
    groups.rename_group(user_id=alice.id, chat_id=chat_id, title=" Y ")  # no change, no line
    groups.set_group_avatar(user_id=alice.id, chat_id=chat_id, avatar_path="avatars/y.png")
    groups.promote_to_admin(user_id=alice.id, chat_id=chat_id, member_id=bob.id)
    groups.promote_to_admin(user_id=alice.id, chat_id=chat_id, member_id=bob.id)  # already
    groups.remove_member(user_id=alice.id, chat_id=chat_id, member_id=bob.id)

    assert lines(carol, chat_id) == [
        'Alice created group "X"',
        "Alice added Bob and you",
        "Alice added Dave, Erin and Frank",
        'Alice renamed the group to "Y"',
        "Alice changed the group picture",
        "Alice made Bob an admin",
        "Alice removed Bob",
    ]
    details = history.chat_details(user_id=carol.id, chat_id=chat_id)
    assert (details.name, details.avatar_path) == ("Y", "avatars/y.png")
    assert [m.kind for m in history.load_latest(user_id=carol.id, chat_id=chat_id).messages] == [
        "system"
    ] * 7


def test_the_last_admin_leaving_hands_over_to_the_longest_serving_member(db, people):
    alice, bob, carol, _ = people
    chat_id = groups.create_group(user_id=alice.id, title="X", member_ids=[carol.id])
    groups.add_members(user_id=alice.id, chat_id=chat_id, member_ids=[bob.id])  # joins later

    groups.leave_group(user_id=alice.id, chat_id=chat_id)

    assert member_ids(carol, chat_id) == {carol.id: "admin", bob.id: "member"}
    assert lines(bob, chat_id)[-2:] == ["Alice left", "Carol is now an admin"]


def test_a_leaving_admin_hands_over_nothing_while_another_admin_stays(db, people):
    alice, bob, carol, _ = people
    chat_id = groups.create_group(user_id=alice.id, title="X", member_ids=[bob.id, carol.id])
    groups.promote_to_admin(user_id=alice.id, chat_id=chat_id, member_id=carol.id)

    groups.leave_group(user_id=alice.id, chat_id=chat_id)

    assert member_ids(bob, chat_id) == {bob.id: "member", carol.id: "admin"}
    assert lines(bob, chat_id)[-1] == "Alice left"


def test_the_last_admin_leaving_a_group_created_together_promotes_the_next(db, people):
    alice, bob, carol, _ = people
    chat_id = groups.create_group(user_id=alice.id, title="X", member_ids=[bob.id, carol.id])

    groups.leave_group(user_id=alice.id, chat_id=chat_id)

    assert lines(carol, chat_id)[-2:] == ["Alice left", "Bob is now an admin"]
    assert member_ids(carol, chat_id) == {bob.id: "admin", carol.id: "member"}


def test_a_plain_member_leaving_promotes_nobody(db, people):
    alice, bob, carol, _ = people
    chat_id = groups.create_group(user_id=alice.id, title="X", member_ids=[bob.id, carol.id])

    groups.leave_group(user_id=bob.id, chat_id=chat_id)

    assert member_ids(alice, chat_id) == {alice.id: "admin", carol.id: "member"}
    assert lines(alice, chat_id)[-1] == "Bob left"


def test_adding_people_who_are_already_members_changes_nothing(db, people):
    alice, bob, carol, _ = people
    chat_id = groups.create_group(user_id=alice.id, title="X", member_ids=[bob.id, carol.id])
    before = snapshot(db)

    added = groups.add_members(user_id=alice.id, chat_id=chat_id, member_ids=[bob.id, alice.id])

    assert added == []
    assert snapshot(db) == before


def test_adding_a_mix_adds_only_the_newcomers(db, people):
    alice, bob, carol, dave = people
    chat_id = groups.create_group(user_id=alice.id, title="X", member_ids=[bob.id])

    added = groups.add_members(
        user_id=alice.id, chat_id=chat_id, member_ids=[bob.id, carol.id, dave.id, carol.id]
    )

    assert added == [carol.id, dave.id]
    assert lines(dave, chat_id)[-1] == "Alice added Carol and you"
    assert lines(bob, chat_id)[-1] == "Alice added Carol and Dave"
    assert events(db, "member.added")[-1]["payload"]["user_ids"] == [carol.id, dave.id]


# Four admins (or one person on four devices) make the same change at the same moment.
SAME_CHANGE_AT_ONCE = {
    "add Dave": (
        lambda g, admin, w: groups.add_members(user_id=admin.id, chat_id=g, member_ids=[w.id]),
        "Alice added Dave",
    ),
    "remove Dave": (
        lambda g, admin, w: groups.remove_member(user_id=admin.id, chat_id=g, member_id=w.id),
        "Alice removed Dave",
    ),
    "make Dave an admin": (
        lambda g, admin, w: groups.promote_to_admin(user_id=admin.id, chat_id=g, member_id=w.id),
        "Alice made Dave an admin",
    ),
    "rename": (
        lambda g, admin, w: groups.rename_group(user_id=admin.id, chat_id=g, title="Renamed"),
        'Alice renamed the group to "Renamed"',
    ),
    "Dave leaves": (
        lambda g, admin, w: groups.leave_group(user_id=w.id, chat_id=g),
        "Dave left",
    ),
}


@pytest.mark.parametrize("change", list(SAME_CHANGE_AT_ONCE))
def test_the_same_group_change_made_at_once_happens_once(db, people, change):
    alice, bob, carol, dave = people
    make, line = SAME_CHANGE_AT_ONCE[change]
    chat_id = groups.create_group(user_id=alice.id, title="X", member_ids=[bob.id, carol.id])
    for admin in (bob, carol):
        groups.promote_to_admin(user_id=alice.id, chat_id=chat_id, member_id=admin.id)
    if change != "add Dave":
        groups.add_members(user_id=alice.id, chat_id=chat_id, member_ids=[dave.id])
    existing = len(lines(alice, chat_id))
    admins = [alice, bob, carol, alice]

    def attempt(i: int) -> str:
        try:
            make(chat_id, admins[i], dave)
        except Exception as error:  # any crash is a finding; report which
            return f"{type(error).__name__}: {error}"
        return "ok"

    outcomes = all_at_once(len(admins), attempt)

    if change == "Dave leaves":  # after the first, Dave is no longer a member
        assert sorted(outcomes) == [f"Forbidden: {NO_LONGER_PARTICIPANT}"] * 3 + ["ok"]
    else:
        assert outcomes == ["ok"] * len(admins)
    new_lines = lines(alice, chat_id)[existing:]
    assert len(new_lines) == 1, new_lines
    assert new_lines[0].split(" ", 1)[1] == line.split(" ", 1)[1]  # whoever got there first


def test_removing_yourself_points_at_leaving(db, people):
    alice, bob, _, _ = people
    chat_id = groups.create_group(user_id=alice.id, title="X", member_ids=[bob.id])
    before = snapshot(db)

    with pytest.raises(InvalidInput) as refused:
        groups.remove_member(user_id=alice.id, chat_id=chat_id, member_id=alice.id)

    assert "Leave group" in str(refused.value)
    assert snapshot(db) == before


def test_a_removed_member_keeps_the_chat_read_only_and_hears_of_the_removal(db, people):
    alice, bob, carol, _ = people
    chat_id = groups.create_group(user_id=alice.id, title="X", member_ids=[bob.id, carol.id])
    send(bob, chat_id, "hi")

    groups.remove_member(user_id=alice.id, chat_id=chat_id, member_id=bob.id)

    assert lines(bob, chat_id)[-2:] == ["hi", "Alice removed you"]
    assert row_for(bob, chat_id).last_preview == "Alice removed you"
    with pytest.raises(Forbidden, match=NO_LONGER_PARTICIPANT):
        send(bob, chat_id, "still here?")
    [removed] = events(db, "member.removed")
    assert removed["payload"]["user_id"] == bob.id
    assert sorted(removed["recipient_ids"]) == sorted([alice.id, bob.id, carol.id])


def test_someone_who_left_keeps_the_chat_read_only_and_hears_of_it(db, people):
    alice, bob, carol, _ = people
    chat_id = groups.create_group(user_id=alice.id, title="X", member_ids=[bob.id, carol.id])

    groups.leave_group(user_id=carol.id, chat_id=chat_id)

    assert lines(carol, chat_id)[-1] == "You left"
    assert listed(carol) == ["X"]
    [left] = events(db, "member.removed")
    assert left["payload"]["user_id"] == carol.id
    assert carol.id in left["recipient_ids"]


# --- the chat list: order, previews, ticks -------------------------------------------------


def test_the_list_shows_pinned_chats_first_then_the_latest_activity(db, people):
    alice, bob, carol, dave = people
    with_bob, with_carol, with_dave = (open_chat(alice, p) for p in (bob, carol, dave))
    for chat_id in (with_bob, with_carol, with_dave):
        send(alice, chat_id, "hi")
    assert listed(alice) == ["Dave", "Carol", "Bob"]

    send(bob, with_bob, "hello back")
    assert listed(alice) == ["Bob", "Dave", "Carol"]

    chat_list.set_chat_flags(user_id=alice.id, chat_id=with_carol, pinned=True)
    assert listed(alice) == ["Carol", "Bob", "Dave"]

    send(dave, with_dave, "newest")
    assert listed(alice) == ["Carol", "Dave", "Bob"]

    chat_list.set_chat_flags(user_id=alice.id, chat_id=with_carol, pinned=False)
    assert listed(alice) == ["Dave", "Bob", "Carol"]


def _text(_db, sender, chat_id, _people):
    return send(sender, chat_id, "See you at 8\nbring snacks").message_id


def _system(_db, _sender, chat_id, people):
    groups.rename_group(user_id=people[0].id, chat_id=chat_id, title="Crew 2")


def _photo(caption=""):
    return lambda db, sender, chat_id, _people: insert_attachment_message(
        db,
        chat_id,
        sender.id,
        kind=MessageKind.IMAGE,
        caption=caption,
        file_name="IMG_0042.jpg",
        mime_type="image/jpeg",
    )


def _document(caption=""):
    return lambda db, sender, chat_id, _people: insert_attachment_message(
        db,
        chat_id,
        sender.id,
        kind=MessageKind.FILE,
        caption=caption,
        file_name="report.pdf",
        mime_type="application/pdf",
    )


# chat,     last from, the last message,   preview Alice sees,                 mine
PREVIEWS = [
    ("direct", "bob",   _text,             "See you at 8",                      False),
    ("direct", "alice", _text,             "See you at 8",                      True),
    ("group",  "bob",   _text,             "Bob: See you at 8",                 False),
    ("group",  "alice", _text,             "See you at 8",                      True),
    ("group",  "alice", _system,           'You renamed the group to "Crew 2"',   False),
    ("direct", "bob",   _photo(),          "📷 Photo",                          False),
    ("direct", "bob",   _photo("Sunset"),  "📷 Sunset",                         False),
    ("group",  "bob",   _photo(),          "Bob: 📷 Photo",                     False),
    ("group",  "alice", _photo("Sunset"),  "📷 Sunset",                         True),
    ("direct", "bob",   _document(),       "📄 report.pdf",                     False),
    ("group",  "bob",   _document(),       "Bob: 📄 report.pdf",                False),
    ("direct", "alice", _document(),       "📄 report.pdf",                     True),
]  # fmt: skip


@pytest.mark.parametrize(
    ("chat", "sender", "make_last", "preview", "mine"),
    PREVIEWS,
    ids=[f"{c}-{s}-{p}" for c, s, _, p, _ in PREVIEWS],
)
def test_the_list_previews_the_last_message(db, people, chat, sender, make_last, preview, mine):
    alice, bob, carol, _ = people
    chat_id = (
        open_chat(alice, bob)
        if chat == "direct"
        else groups.create_group(user_id=alice.id, title="Crew", member_ids=[bob.id, carol.id])
    )
    send(carol if chat == "group" else bob, chat_id, "earlier")

    make_last(db, alice if sender == "alice" else bob, chat_id, people)

    row = row_for(alice, chat_id)
    assert (row.last_preview, row.last_is_mine) == (preview, mine)
    assert row.last_status == ("sent" if mine else "")
    assert row.last_message_id == chat_row(db, chat_id)["last_message_id"]


def test_an_attachment_in_the_conversation_shows_its_file(db, people):
    alice, bob, _, _ = people
    chat_id = open_chat(alice, bob)
    message_id = _document("Q3 figures")(db, bob, chat_id, people)

    [bubble] = history.load_latest(user_id=alice.id, chat_id=chat_id).messages

    assert (bubble.id, bubble.kind, bubble.body) == (message_id, "file", "Q3 figures")
    [attachment] = bubble.attachments
    assert (attachment.name, attachment.mime_type, attachment.is_image) == (
        "report.pdf",
        "application/pdf",
        False,
    )


def test_a_deleted_last_message_in_a_group_previews_as_deleted(db, people):
    alice, bob, carol, _ = people
    chat_id = groups.create_group(user_id=alice.id, title="Crew", member_ids=[bob.id, carol.id])
    sent = send(alice, chat_id, "wrong chat")

    message_changes.delete_message(user_id=alice.id, message_id=sent.message_id)

    assert row_for(alice, chat_id).last_preview == "This message was deleted"
    assert row_for(bob, chat_id).last_preview.endswith("This message was deleted")
    assert "wrong chat" not in row_for(bob, chat_id).last_preview


def my_ticks(user, chat_id: int, message_id: int) -> tuple[str, str]:
    """(the chat list's ticks, the bubble's ticks) for one of my messages."""
    [bubble] = history.load_messages(user_id=user.id, chat_id=chat_id, message_ids=[message_id])
    return row_for(user, chat_id).last_status, bubble.status


def test_ticks_in_a_direct_chat_go_sent_delivered_read(db, people):
    alice, bob, _, _ = people
    chat_id = open_chat(alice, bob)
    sent = send(alice, chat_id, "ping").message_id
    assert my_ticks(alice, chat_id, sent) == ("sent", "sent")

    history.load_latest(user_id=bob.id, chat_id=chat_id)  # opening is not reading
    chat_list.list_chats(user_id=bob.id)  # Bob's list loads: it reached his device
    assert my_ticks(alice, chat_id, sent) == ("delivered", "delivered")

    history.mark_read(user_id=bob.id, chat_id=chat_id, up_to_message_id=sent)
    assert my_ticks(alice, chat_id, sent) == ("read", "read")
    assert [e["payload"]["user_id"] for e in events(db, "receipt.updated")] == [bob.id, bob.id]


def test_ticks_in_a_group_wait_for_every_other_member(db, people):
    alice, bob, carol, dave = people
    chat_id = groups.create_group(
        user_id=alice.id, title="Crew", member_ids=[bob.id, carol.id, dave.id]
    )
    sent = send(alice, chat_id, "meeting at 3").message_id

    chat_list.list_chats(user_id=bob.id)
    chat_list.list_chats(user_id=carol.id)
    assert my_ticks(alice, chat_id, sent) == ("sent", "sent")

    chat_list.list_chats(user_id=dave.id)
    assert my_ticks(alice, chat_id, sent) == ("delivered", "delivered")

    history.mark_read(user_id=bob.id, chat_id=chat_id, up_to_message_id=sent)
    history.mark_read(user_id=carol.id, chat_id=chat_id, up_to_message_id=sent)
    assert my_ticks(alice, chat_id, sent) == ("delivered", "delivered")

    history.mark_read(user_id=dave.id, chat_id=chat_id, up_to_message_id=sent)
    assert my_ticks(alice, chat_id, sent) == ("read", "read")


def test_a_live_delivery_turns_ticks_double_but_not_blue(db, people):
    alice, bob, _, _ = people
    chat_id = open_chat(alice, bob)
    first = send(alice, chat_id, "one").message_id
    second = send(alice, chat_id, "two").message_id

    assert history.mark_delivered(user_id=bob.id, chat_id=chat_id, up_to_message_id=first)

    # The list shows the newest message ("two", not delivered yet); the bubble of "one" ✓✓.
    assert my_ticks(alice, chat_id, first) == ("sent", "delivered")
    assert history.tick_statuses(
        user_id=alice.id, chat_id=chat_id, message_ids=[first, second]
    ) == {
        first: "delivered",
        second: "sent",
    }
    [receipt] = events(db, "receipt.updated")
    assert receipt["payload"] == {"chat_id": chat_id, "user_id": bob.id, "delivered_to": first}
    assert not history.mark_delivered(user_id=bob.id, chat_id=chat_id, up_to_message_id=first)
    assert len(events(db, "receipt.updated")) == 1  # nothing moved, nothing published


def test_tick_statuses_are_only_for_members(db, people):
    alice, bob, carol, _ = people
    chat_id = open_chat(alice, bob)
    sent = send(alice, chat_id, "private").message_id

    with pytest.raises(NotFound):
        history.tick_statuses(user_id=carol.id, chat_id=chat_id, message_ids=[sent])
    with pytest.raises(NotFound):
        history.mark_delivered(user_id=carol.id, chat_id=chat_id, up_to_message_id=sent)


def test_others_messages_and_system_lines_carry_no_ticks(db, people):
    alice, bob, carol, _ = people
    chat_id = groups.create_group(user_id=alice.id, title="Crew", member_ids=[bob.id, carol.id])
    from_bob = send(bob, chat_id, "yo").message_id

    page = history.load_latest(user_id=alice.id, chat_id=chat_id).messages

    assert [(m.body, m.is_mine, m.status) for m in page] == [
        ('You created group "Crew"', False, ""),
        ("You added Bob and Carol", False, ""),
        ("yo", False, ""),
    ]
    assert page[-1].id == from_bob
    assert row_for(alice, chat_id).last_status == ""


# --- unread counts, flags, read cursors ----------------------------------------------------


def test_unread_counts_skip_my_own_messages_and_system_lines(db, people):
    alice, bob, carol, dave = people
    chat_id = groups.create_group(user_id=alice.id, title="Crew", member_ids=[bob.id, carol.id])
    assert row_for(carol, chat_id).unread == 0  # the creation lines are not unread

    send(bob, chat_id, "one")
    send(alice, chat_id, "two")
    groups.add_members(user_id=alice.id, chat_id=chat_id, member_ids=[dave.id])
    groups.rename_group(user_id=alice.id, chat_id=chat_id, title="Crew 2")
    assert row_for(carol, chat_id).unread == 2
    assert row_for(bob, chat_id).unread == 1  # Alice's "two"; Bob's own "one" is read
    assert row_for(alice, chat_id).unread == 0

    send(carol, chat_id, "caught up")  # replying reads everything before it
    send(bob, chat_id, "three")
    assert row_for(carol, chat_id).unread == 1


def test_unread_counts_stop_at_1000(db, people):
    alice, bob, _, _ = people
    chat_id = open_chat(alice, bob)
    ids = seed_messages(db, chat_id, bob.id, 1005)
    assert chat_row(db, chat_id)["last_message_id"] == ids[-1]

    row = row_for(alice, chat_id)

    assert (row.unread, row.last_preview) == (1000, "bulk 1005")
    assert chat_list.unread_total(user_id=alice.id) == 1000
    assert row_for(bob, chat_id).unread == 0

    history.mark_read(user_id=alice.id, chat_id=chat_id, up_to_message_id=ids[-6])
    assert row_for(alice, chat_id).unread == 5


def test_the_unread_total_adds_up_chats_that_are_not_archived(db, people):
    alice, bob, carol, dave = people
    with_bob = open_chat(alice, bob)
    group = groups.create_group(user_id=dave.id, title="Crew", member_ids=[alice.id, carol.id])
    for _ in range(2):
        send(bob, with_bob, "from bob")
    for _ in range(3):
        send(carol, group, "from carol")
    send(alice, open_chat(alice, carol), "my own")
    assert chat_list.unread_total(user_id=alice.id) == 5

    chat_list.set_chat_flags(user_id=alice.id, chat_id=with_bob, archived=True)
    assert chat_list.unread_total(user_id=alice.id) == 3
    assert row_for(alice, with_bob).unread == 2  # still counted on the archived row

    chat_list.set_chat_flags(user_id=alice.id, chat_id=with_bob, archived=False)
    history.mark_read(user_id=alice.id, chat_id=group, up_to_message_id=10**12)
    assert chat_list.unread_total(user_id=alice.id) == 2


def test_pin_mute_and_archive_are_mine_alone(db, people):
    alice, bob, _, _ = people
    chat_id = open_chat(alice, bob)
    send(bob, chat_id, "hi")
    bobs_row_before = member_row(db, chat_id, bob.id)

    chat_list.set_chat_flags(user_id=alice.id, chat_id=chat_id, pinned=True, muted=True)
    chat_list.set_chat_flags(user_id=alice.id, chat_id=chat_id, archived=True)  # keeps the rest

    mine = row_for(alice, chat_id)
    assert (mine.pinned, mine.muted, mine.archived) == (True, True, True)
    details = history.chat_details(user_id=alice.id, chat_id=chat_id)
    assert (details.pinned, details.muted, details.archived) == (True, True, True)
    theirs = row_for(bob, chat_id)
    assert (theirs.pinned, theirs.muted, theirs.archived) == (False, False, False)
    assert member_row(db, chat_id, bob.id) == bobs_row_before

    chat_list.set_chat_flags(user_id=alice.id, chat_id=chat_id, pinned=False, muted=False)
    mine = row_for(alice, chat_id)
    assert (mine.pinned, mine.muted, mine.archived) == (False, False, True)


def test_mark_read_never_moves_a_cursor_backwards(db, people):
    alice, bob, _, _ = people
    chat_id = open_chat(alice, bob)
    first, _, third = (send(bob, chat_id, f"m{i}").message_id for i in range(3))

    assert history.mark_read(user_id=alice.id, chat_id=chat_id, up_to_message_id=third)
    receipts = len(events(db, "receipt.updated"))

    assert not history.mark_read(user_id=alice.id, chat_id=chat_id, up_to_message_id=first)
    assert member_row(db, chat_id, alice.id)["last_read_message_id"] == third
    assert row_for(alice, chat_id).unread == 0
    assert len(events(db, "receipt.updated")) == receipts  # nothing moved, nothing published


def test_mark_read_never_passes_the_chats_last_message(db, people):
    alice, bob, _, _ = people
    chat_id = open_chat(alice, bob)
    last = send(bob, chat_id, "latest").message_id

    history.mark_read(user_id=alice.id, chat_id=chat_id, up_to_message_id=10**12)

    cursor = member_row(db, chat_id, alice.id)
    assert (cursor["last_read_message_id"], cursor["last_delivered_message_id"]) == (last, last)
    send(bob, chat_id, "one more")
    assert row_for(alice, chat_id).unread == 1  # the next message still counts as unread


def test_mark_read_in_an_empty_chat_does_nothing(db, people):
    alice, bob, _, _ = people
    chat_id = open_chat(alice, bob)
    before = snapshot(db)

    assert not history.mark_read(user_id=bob.id, chat_id=chat_id, up_to_message_id=10**12)

    assert snapshot(db) == before


def test_system_lines_are_worded_for_whoever_reads_them(db, people):
    """The actor reads "You", the person it happened to reads "you", everyone else
    reads the names; the chat list's preview says the same."""
    alice, bob, carol, _ = people
    chat_id = groups.create_group(user_id=alice.id, title="Crew", member_ids=[bob.id, carol.id])
    groups.remove_member(user_id=alice.id, chat_id=chat_id, member_id=carol.id)

    assert lines(alice, chat_id) == [
        'You created group "Crew"',
        "You added Bob and Carol",
        "You removed Carol",
    ]
    assert lines(bob, chat_id) == [
        'Alice created group "Crew"',
        "Alice added you and Carol",
        "Alice removed Carol",
    ]
    assert row_for(alice, chat_id).last_preview == "You removed Carol"
    assert row_for(bob, chat_id).last_preview == "Alice removed Carol"
