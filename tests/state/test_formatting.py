"""What the screen shows of times, sizes and people: the controllers' pure display
rules (chat_app/state/formatting.py), without a browser."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chat_app.state import formatting

BERLIN = formatting.zone("Europe/Berlin")
# A Wednesday afternoon in Berlin (13:05 UTC = 14:05 local).
NOW = datetime(2026, 3, 4, 13, 5, tzinfo=UTC)


def test_the_clock_follows_the_locales_hour_cycle() -> None:
    afternoon = datetime(2026, 3, 2, 13, 5, tzinfo=UTC)  # 14:05 in Berlin
    midnight = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)  # 00:30 the next day
    assert formatting.clock(afternoon, BERLIN) == "14:05"
    assert formatting.clock(afternoon, BERLIN, hour12=True) == "2:05 PM"
    assert formatting.clock(midnight, BERLIN, hour12=True) == "12:30 AM"
    later = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
    assert formatting.list_time(afternoon, later, BERLIN, hour12=True) == "2:05 PM"
    assert formatting.last_seen(afternoon, later, BERLIN, hour12=True) == (
        "last seen today at 2:05 PM"
    )


@pytest.mark.parametrize(
    ("ago", "list_label", "pill"),
    [
        (timedelta(minutes=5), "14:00", "Today"),
        (timedelta(days=1), "Yesterday", "Yesterday"),
        (timedelta(days=2), "Monday", "Monday"),
        (timedelta(days=6), "Thursday", "Thursday"),
        (timedelta(days=7), "25/02/2026", "25 February 2026"),
    ],
)
def test_the_list_and_the_day_pills_name_a_day_as_whatsapp_does(
    ago: timedelta, list_label: str, pill: str
) -> None:
    assert formatting.list_time(NOW - ago, NOW, BERLIN) == list_label
    assert formatting.day_label(NOW - ago, NOW, BERLIN) == pill


def test_the_day_is_the_readers_day_not_the_servers() -> None:
    """23:30 UTC on Tuesday is already Wednesday in Berlin; 02:00 UTC on Wednesday is
    still Tuesday evening in New York."""
    late_tuesday, early_wednesday = (
        datetime(2026, 3, 3, 23, 30, tzinfo=UTC),
        datetime(2026, 3, 4, 2, 0, tzinfo=UTC),
    )
    new_york, utc = formatting.zone("America/New_York"), formatting.zone("UTC")
    assert formatting.day_label(late_tuesday, NOW, BERLIN) == "Today"
    assert formatting.day_label(late_tuesday, NOW, utc) == "Yesterday"
    assert formatting.day_label(early_wednesday, NOW, utc) == "Today"
    assert formatting.day_label(early_wednesday, NOW, new_york) == "Yesterday"


def test_an_unknown_time_zone_falls_back_to_utc() -> None:
    assert formatting.zone("Mars/Olympus_Mons") == formatting.zone("UTC")
    assert formatting.zone("") == formatting.zone("UTC")


def test_last_seen_says_when_in_words() -> None:
    assert formatting.last_seen(None, NOW, BERLIN) == ""
    assert formatting.last_seen(NOW - timedelta(days=1), NOW, BERLIN) == (
        "last seen yesterday at 14:05"
    )
    assert formatting.last_seen(NOW - timedelta(days=2), NOW, BERLIN) == (
        "last seen on Monday at 14:05"
    )
    assert formatting.list_time(None, NOW, BERLIN) == ""


@pytest.mark.parametrize(
    ("name", "letters"),
    [
        ("Alice Smith", "AS"),
        ("bob", "B"),
        ("Ana María de la Cruz", "AM"),
        ("  ", "?"),
        ("🎉 Party", "P"),
        ("", "?"),
    ],
)
def test_initials_are_the_first_letters_of_two_words(name: str, letters: str) -> None:
    assert formatting.initials(name) == letters


@pytest.mark.parametrize(
    ("count", "label"), [(1, "1"), (998, "998"), (999, "999+"), (5000, "999+")]
)
def test_an_unread_badge_stops_counting_at_999(count: int, label: str) -> None:
    assert formatting.unread_label(count) == label


@pytest.mark.parametrize(
    ("size", "label"),
    [(0, "0 B"), (1023, "1023 B"), (1024, "1.0 KB"), (1536, "1.5 KB"), (27 * 1024**2, "27.0 MB")],
)
def test_file_sizes_read_as_people_write_them(size: int, label: str) -> None:
    assert formatting.file_size(size) == label


def test_members_of_one_group_get_distinct_colours() -> None:
    members = [907, 12, 4411, 38, 5, 77, 1203, 64, 990, 31]
    colors = formatting.sender_colors(members)
    assert len(set(colors.values())) == len(members) == len(formatting.SENDER_COLORS)


def test_every_member_sees_the_same_colours() -> None:
    assert formatting.sender_colors([3, 1, 2]) == formatting.sender_colors([2, 3, 1, 3])


def test_an_avatar_keeps_its_colour() -> None:
    assert formatting.avatar_color("chat:7") == formatting.avatar_color("chat:7")
    assert formatting.avatar_color("chat:7") in formatting.AVATAR_COLORS
