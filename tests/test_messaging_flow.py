"""The main path through the chat services: two people, a direct chat, a group."""

from __future__ import annotations

from chat_app.services import chat_list, direct_chats, groups, history, message_changes
from chat_app.services.message_send import send_message
from tests.factories import make_user


def test_direct_chat_send_read_and_ticks(db):
    alice, bob = make_user(db, "alice"), make_user(db, "bob")
    chat_id = direct_chats.open_direct_chat(user_id=alice.id, other_user_id=bob.id)
    assert direct_chats.open_direct_chat(user_id=bob.id, other_user_id=alice.id) == chat_id

    sent = send_message(
        user_id=alice.id, chat_id=chat_id, body="  hi Bob \n", client_msg_id="c-00000001"
    )
    again = send_message(
        user_id=alice.id, chat_id=chat_id, body="hi Bob", client_msg_id="c-00000001"
    )
    assert again.message_id == sent.message_id
    assert not again.created

    [row] = chat_list.list_chats(user_id=alice.id)
    assert (row.name, row.last_preview, row.last_status, row.unread) == ("Bob", "hi Bob", "sent", 0)

    [bob_row] = chat_list.list_chats(user_id=bob.id)  # reaching Bob's list = delivered
    assert (bob_row.name, bob_row.unread) == ("Alice", 1)
    assert chat_list.list_chats(user_id=alice.id)[0].last_status == "delivered"

    page = history.load_latest(user_id=bob.id, chat_id=chat_id)
    assert [m.body for m in page.messages] == ["hi Bob"]
    assert page.first_unread_id == sent.message_id
    assert page.unread_count == 1
    history.mark_read(user_id=bob.id, chat_id=chat_id, up_to_message_id=sent.message_id)
    assert chat_list.list_chats(user_id=alice.id)[0].last_status == "read"
    assert chat_list.unread_total(user_id=bob.id) == 0

    reply = send_message(
        user_id=bob.id,
        chat_id=chat_id,
        body="hello",
        client_msg_id="c-00000002",
        reply_to_id=sent.message_id,
    )
    message_changes.react(user_id=alice.id, message_id=reply.message_id, emoji="👍")
    message_changes.edit_message(user_id=bob.id, message_id=reply.message_id, body="hello!")
    [view] = history.load_messages(
        user_id=alice.id, chat_id=chat_id, message_ids=[reply.message_id]
    )
    assert view.body == "hello!"
    assert view.edited
    assert view.reply.snippet == "hi Bob"
    assert [(r.emoji, r.count, r.mine) for r in view.reactions] == [("👍", 1, True)]

    message_changes.delete_message(user_id=alice.id, message_id=sent.message_id)
    [gone] = history.load_messages(user_id=bob.id, chat_id=chat_id, message_ids=[sent.message_id])
    assert gone.deleted
    assert gone.body == "This message was deleted"


def test_group_lifecycle_writes_system_lines(db):
    alice, bob, carol = make_user(db, "alice"), make_user(db, "bob"), make_user(db, "carol")
    chat_id = groups.create_group(user_id=alice.id, title="Trip", member_ids=[bob.id])
    groups.add_members(user_id=alice.id, chat_id=chat_id, member_ids=[carol.id])
    groups.rename_group(user_id=alice.id, chat_id=chat_id, title="Trip 2027")
    groups.leave_group(user_id=alice.id, chat_id=chat_id)

    lines = [m.body for m in history.load_latest(user_id=bob.id, chat_id=chat_id).messages]
    assert lines == [
        'Alice created group "Trip"',
        "Alice added you",
        "Alice added Carol",
        'Alice renamed the group to "Trip 2027"',
        "Alice left",
        "You're now an admin",
    ]
    details = history.chat_details(user_id=bob.id, chat_id=chat_id)
    assert {(m.username, m.role) for m in details.members} == {
        ("bob", "admin"),
        ("carol", "member"),
    }
