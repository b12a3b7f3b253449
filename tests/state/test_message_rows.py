"""How a window of messages is laid out for the screen (chat_app/state/message_rows.py):
runs of one sender, day pills, the unread divider, names in groups, files and reactions."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from chat_app.services.read_models import AttachmentView, MessageView, ReactionView, ReplyPreview
from chat_app.state.message_rows import MessageRow, layout

NOW = datetime(2026, 3, 4, 13, 5, tzinfo=UTC)  # a Wednesday
ALICE, BOB, CAROL = 1, 2, 3
NAMES = {ALICE: "Alice", BOB: "Bob", CAROL: "Carol"}


def message(
    message_id: int, sender: int, *, at: datetime, kind: str = "text", mine_of: int = ALICE
) -> MessageView:
    return MessageView(
        id=message_id,
        chat_id=1,
        sender_id=sender,
        sender_name=NAMES[sender],
        kind=kind,
        body=f"message {message_id}",
        created_at=at,
        edited=False,
        deleted=False,
        is_mine=sender == mine_of,
        status="read" if sender == mine_of else "",
        can_edit=sender == mine_of,
    )


def rows_of(views: list[MessageView], **options: object) -> list[MessageRow]:
    settings: dict[str, object] = {
        "is_group": True,
        "now": NOW,
        "tz_name": "Europe/Berlin",
        "divider_id": None,
        "unread_count": 0,
        "member_ids": [ALICE, BOB, CAROL],
    }
    settings.update(options)
    return layout(views, **settings)  # type: ignore[arg-type]


def minutes_ago(minutes: int) -> datetime:
    return NOW - timedelta(minutes=minutes)


def test_a_run_of_one_senders_messages_names_them_once() -> None:
    views = [
        message(1, BOB, at=minutes_ago(10)),
        message(2, BOB, at=minutes_ago(9)),
        message(3, CAROL, at=minutes_ago(8)),
        message(4, ALICE, at=minutes_ago(7)),
        message(5, ALICE, at=minutes_ago(6)),
    ]
    rows = rows_of(views)
    assert [row.first_in_run for row in rows] == [True, False, True, True, False]
    # Others' names head their runs in a group; mine never shows.
    assert [row.show_sender for row in rows] == [True, False, True, False, False]
    assert rows[0].sender_color == rows[1].sender_color != rows[2].sender_color
    assert [row.dom_id for row in rows] == [f"msg-{n}" for n in range(1, 6)]


def test_a_direct_chat_names_nobody() -> None:
    views = [message(1, BOB, at=minutes_ago(10)), message(2, ALICE, at=minutes_ago(9))]
    assert not any(row.show_sender for row in rows_of(views, is_group=False))


def test_each_day_starts_with_its_pill_in_the_readers_time_zone() -> None:
    views = [
        message(1, BOB, at=NOW - timedelta(days=2)),
        message(2, BOB, at=NOW - timedelta(days=2) + timedelta(minutes=1)),
        # 23:30 UTC on Tuesday: Tuesday in UTC, already Wednesday in Berlin.
        message(3, BOB, at=datetime(2026, 3, 3, 23, 30, tzinfo=UTC)),
        message(4, BOB, at=minutes_ago(1)),
    ]
    berlin = rows_of(views)
    assert [row.day_label for row in berlin] == ["Monday", "", "Today", ""]
    # A new day also starts a new run, so the name shows again.
    assert [row.show_sender for row in berlin] == [True, False, True, False]
    utc = rows_of(views, tz_name="UTC")
    assert [row.day_label for row in utc] == ["Monday", "", "Yesterday", "Today"]


def test_the_unread_divider_sits_on_the_first_unread_message_and_breaks_the_run() -> None:
    views = [message(n, BOB, at=minutes_ago(10 - n)) for n in range(1, 5)]
    rows = rows_of(views, divider_id=3, unread_count=2)
    assert [row.unread_divider for row in rows] == ["", "", "2 unread messages", ""]
    assert [row.first_in_run for row in rows] == [True, False, True, False]
    single = rows_of(views, divider_id=4, unread_count=1)
    assert single[3].unread_divider == "1 unread message"


def test_a_system_line_stands_alone() -> None:
    views = [
        message(1, BOB, at=minutes_ago(10)),
        message(2, BOB, at=minutes_ago(9), kind="system"),
        message(3, BOB, at=minutes_ago(8)),
    ]
    rows = rows_of(views)
    assert [row.is_system for row in rows] == [False, True, False]
    assert [row.first_in_run for row in rows] == [True, True, True]
    assert [row.show_sender for row in rows] == [True, False, True]


def test_times_follow_the_readers_clock() -> None:
    views = [message(1, BOB, at=NOW)]
    assert rows_of(views)[0].time_label == "14:05"
    assert rows_of(views, hour12=True)[0].time_label == "2:05 PM"
    assert rows_of(views, tz_name="America/New_York")[0].time_label == "08:05"


def test_files_reactions_and_a_reply_are_carried_for_the_bubble() -> None:
    view = replace(
        message(9, BOB, at=minutes_ago(1)),
        reply=ReplyPreview(message_id=4, sender_name="Alice", snippet="See you at 8"),
        attachments=[
            AttachmentView(
                id=1,
                name="beach.jpeg",
                mime_type="image/jpeg",
                size_bytes=2_400_000,
                is_image=True,
                width=1600,
                height=1200,
                url="/files/1",
            ),
            AttachmentView(
                id=2,
                name="minutes",
                mime_type="application/pdf",
                size_bytes=512,
                is_image=False,
                width=None,
                height=None,
                url="/files/2",
            ),
        ],
        reactions=[ReactionView(emoji="👍", count=2, mine=True)],
    )
    row = rows_of([view])[0]
    assert (row.has_reply, row.reply_id, row.reply_name, row.reply_snippet) == (
        True,
        4,
        "Alice",
        "See you at 8",
    )
    photo, document = row.attachments
    assert (photo.is_image, photo.width, photo.height) == (True, 1600, 1200)
    assert (photo.type_label, photo.size_label) == ("JPEG", "2.3 MB")
    # No extension: the type comes from the MIME type; a document reserves no box.
    assert (document.type_label, document.size_label) == ("PDF", "512 B")
    assert (document.width, document.height) == (0, 0)
    assert [(r.emoji, r.count, r.mine) for r in row.reactions] == [("👍", 2, True)]
    assert not rows_of([message(1, BOB, at=NOW)])[0].has_reply


def test_someone_no_longer_in_the_group_keeps_a_colour() -> None:
    views = [message(1, CAROL, at=minutes_ago(2)), message(2, BOB, at=minutes_ago(1))]
    rows = rows_of(views, member_ids=[ALICE, BOB])
    assert rows[0].sender_color.startswith("var(--wa-sender-")
    assert rows[0].sender_color == rows_of(views, member_ids=[ALICE])[0].sender_color
