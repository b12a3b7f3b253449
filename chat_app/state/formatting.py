"""Turning service views into what the screen shows: times, labels, colours.

Pure functions of their inputs (the viewer's time zone included), so they are
tested without a browser.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Sender-name colours for groups: design tokens (assets/theme.css), because no one
# colour reads at 4.5:1 on both the light and the dark bubble. Each differs from
# every other by a CIE76 distance of at least 20 in either theme, so two people
# are never told apart by a shade.
SENDER_COLORS = tuple(f"var(--wa-sender-{i})" for i in range(10))
# Avatar backgrounds under white initials, each at least 4.5:1 against them.
AVATAR_COLORS = ("#008468", "#5B5FC7", "#D62D78", "#BD550C", "#3678B4", "#7B4BD1", "#0D8181")


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _local(moment: datetime, tz: ZoneInfo) -> datetime:
    return moment.astimezone(tz)


def clock(moment: datetime, tz: ZoneInfo, hour12: bool = False) -> str:
    """The time of day as the browser's locale writes it: "14:05" or "2:05 PM"."""
    local = _local(moment, tz)
    if hour12:
        return f"{local.hour % 12 or 12}:{local.minute:02d} {'AM' if local.hour < 12 else 'PM'}"
    return local.strftime("%H:%M")


def list_time(moment: datetime | None, now: datetime, tz: ZoneInfo, hour12: bool = False) -> str:
    """Chat-list time: "10:42" today, "Yesterday", a weekday this week, else a date."""
    if moment is None:
        return ""
    local, today = _local(moment, tz), _local(now, tz).date()
    days = (today - local.date()).days
    if days <= 0:
        return clock(moment, tz, hour12)
    if days == 1:
        return "Yesterday"
    if days < 7:
        return WEEKDAYS[local.weekday()]
    return local.strftime("%d/%m/%Y")


def day_label(moment: datetime, now: datetime, tz: ZoneInfo) -> str:
    """Date separator pill: "Today", "Yesterday", a weekday this week, else a long date."""
    local, today = _local(moment, tz), _local(now, tz).date()
    days = (today - local.date()).days
    if days <= 0:
        return "Today"
    if days == 1:
        return "Yesterday"
    if days < 7:
        return WEEKDAYS[local.weekday()]
    return f"{local.day} {local.strftime('%B %Y')}"


def when(moment: datetime, now: datetime, tz: ZoneInfo, hour12: bool = False) -> str:
    """ "today at 10:15", "yesterday at 09:02", "on Monday at 18:40"."""
    label = day_label(moment, now, tz)
    day = label.lower() if label in ("Today", "Yesterday") else f"on {label}"
    return f"{day} at {clock(moment, tz, hour12)}"


def last_seen(moment: datetime | None, now: datetime, tz: ZoneInfo, hour12: bool = False) -> str:
    if moment is None:
        return ""
    return f"last seen {when(moment, now, tz, hour12)}"


def _pick(seed: str, palette: tuple[str, ...]) -> str:
    digest = hashlib.sha256(seed.encode()).digest()
    return palette[digest[0] % len(palette)]


def sender_color(user_id: int | None) -> str:
    """A colour from the person alone: for someone no longer in the group."""
    return _pick(f"sender:{user_id}", SENDER_COLORS)


def sender_colors(member_ids: list[int]) -> dict[int, str]:
    """The group's members, in the order they were given ids, take the palette's
    colours in turn: up to its size no two members of one group share a colour
    (a hash of each alone gave two of five the same green), and every member
    sees the same colours."""
    return {
        user_id: SENDER_COLORS[index % len(SENDER_COLORS)]
        for index, user_id in enumerate(sorted(set(member_ids)))
    }


def avatar_color(seed: str) -> str:
    return _pick(f"avatar:{seed}", AVATAR_COLORS)


def initials(name: str) -> str:
    parts = [p for p in name.split() if p[:1].isalnum()]
    return "".join(p[0] for p in parts[:2]).upper() or "?"


def unread_label(count: int) -> str:
    return "999+" if count >= 999 else str(count)


def file_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"
