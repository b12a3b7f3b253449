"""What the screen shows of times and people: the clock of the browser's locale,
and sender-name colours that no two members of one group share."""

from __future__ import annotations

from datetime import UTC, datetime

from chat_app.state import formatting

BERLIN = formatting.zone("Europe/Berlin")


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


def test_members_of_one_group_get_distinct_colours() -> None:
    members = [907, 12, 4411, 38, 5, 77, 1203, 64, 990, 31]
    colors = formatting.sender_colors(members)
    assert len(set(colors.values())) == len(members) == len(formatting.SENDER_COLORS)


def test_every_member_sees_the_same_colours() -> None:
    assert formatting.sender_colors([3, 1, 2]) == formatting.sender_colors([2, 3, 1, 3])
