"""How people and chats are shown in lists (chat_app/state/people_rows.py and the chat
list's row builder): the same person keeps one colour everywhere, "You" is me."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chat_app.services.read_models import ChatSummary, MemberView, PersonView
from chat_app.state.chat_list import to_row
from chat_app.state.formatting import AVATAR_COLORS
from chat_app.state.people_rows import to_member_row, to_person_row

NOW = datetime(2026, 3, 4, 13, 5, tzinfo=UTC)
ME, BOB = 1, 2


def summary(chat_id: int, kind: str, name: str, *, peer_id: int | None, unread: int = 0):
    return ChatSummary(
        chat_id=chat_id,
        kind=kind,
        name=name,
        avatar_path=None,
        peer_id=peer_id,
        last_activity_at=NOW - timedelta(minutes=5),
        last_message_id=10,
        last_preview="See you at 8",
        last_sender_name="Bob",
        last_is_mine=False,
        last_status="",
        unread=unread,
        muted=False,
        archived=False,
        pinned_at=None,
    )


def test_a_person_keeps_one_colour_in_the_list_the_dialogs_and_the_group_info() -> None:
    bob = PersonView(id=BOB, username="bob", display_name="Bob Marley")
    chat = to_row(summary(40, "direct", "Bob Marley", peer_id=BOB), NOW, "UTC", ME)
    person = to_person_row(bob, viewer_id=ME)
    member = to_member_row(
        MemberView(
            user_id=BOB, display_name="Bob Marley", username="bob", avatar_path=None, role="member"
        ),
        me=ME,
    )
    assert chat.avatar_color == person.avatar_color == member.avatar_color
    assert chat.initials == person.initials == member.initials == "BM"
    # No picture: initials on the colour, and no link at all.
    assert chat.avatar_url == person.avatar_url == member.avatar_url == ""


def test_a_direct_row_names_its_person_and_a_group_row_names_nobody() -> None:
    direct = to_row(summary(40, "direct", "Bob", peer_id=BOB), NOW, "UTC", ME)
    group = to_row(summary(41, "group", "Saturday hike", peer_id=None), NOW, "UTC", ME)
    assert (direct.peer_id, direct.is_group, direct.href) == (BOB, False, "/chat/40")
    assert (group.peer_id, group.is_group, group.href) == (0, True, "/chat/41")
    assert {direct.avatar_color, group.avatar_color} <= set(AVATAR_COLORS)


def test_a_row_shows_the_time_and_the_unread_badge_as_the_list_does() -> None:
    row = to_row(summary(40, "direct", "Bob", peer_id=BOB, unread=1200), NOW, "Europe/Berlin", ME)
    assert row.time_label == "14:00"
    assert to_row(
        summary(40, "direct", "Bob", peer_id=BOB), NOW, "UTC", ME, hour12=True
    ).time_label == ("1:00 PM")
    assert (row.unread, row.unread_label) == (1200, "999+")
    assert row.preview == "See you at 8"


def test_in_a_member_list_i_am_you_and_admins_are_marked() -> None:
    admin = MemberView(
        user_id=ME, display_name="Alice", username="alice", avatar_path=None, role="admin"
    )
    member = MemberView(
        user_id=BOB, display_name="Bob", username="bob", avatar_path=None, role="member"
    )
    me_row, bob_row = to_member_row(admin, me=ME), to_member_row(member, me=ME)
    assert (me_row.name, me_row.is_me, me_row.is_admin, me_row.handle) == (
        "You",
        True,
        True,
        "@alice",
    )
    assert (bob_row.name, bob_row.is_me, bob_row.is_admin, bob_row.handle) == (
        "Bob",
        False,
        False,
        "@bob",
    )
    person = to_person_row(PersonView(id=BOB, username="bob", display_name="Bob"), viewer_id=ME)
    assert person.label == "Bob, @bob"
