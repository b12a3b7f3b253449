"""Sender-name colours in a group: members of one group never share one."""

from __future__ import annotations

from chat_app.state import formatting


def test_members_of_one_group_get_distinct_colours() -> None:
    members = [907, 12, 4411, 38, 5, 77, 1203, 64, 990, 31]
    colors = formatting.sender_colors(members)
    assert len(set(colors.values())) == len(members) == len(formatting.SENDER_COLORS)


def test_every_member_sees_the_same_colours() -> None:
    assert formatting.sender_colors([3, 1, 2]) == formatting.sender_colors([2, 3, 1, 3])
