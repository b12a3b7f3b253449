"""Laying out a window of messages for the screen: runs, day pills, the unread divider."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from chat_app.services.read_models import MessageView
from chat_app.state import formatting


@dataclass(frozen=True)
class AttachmentRow:
    id: int
    name: str
    url: str
    is_image: bool
    size_label: str
    type_label: str
    # A picture's stored size (0 for a document): the page reserves its box
    # before the picture loads, so loading it moves nothing.
    width: int = 0
    height: int = 0


@dataclass(frozen=True)
class ReactionRow:
    emoji: str
    count: int
    mine: bool


@dataclass(frozen=True)
class MessageRow:
    id: int
    dom_id: str
    kind: str
    body: str
    time_label: str
    sender_name: str
    sender_color: str
    is_mine: bool
    is_system: bool
    status: str
    edited: bool
    deleted: bool
    can_edit: bool
    show_sender: bool
    first_in_run: bool
    day_label: str  # non-empty on the first message of a day
    unread_divider: str  # non-empty on the first unread message
    has_reply: bool
    reply_id: int
    reply_name: str
    reply_snippet: str
    attachments: list[AttachmentRow] = field(default_factory=list)
    reactions: list[ReactionRow] = field(default_factory=list)


def _type_label(mime: str, name: str) -> str:
    if "." in name:
        return name.rsplit(".", 1)[1].upper()[:6]
    return mime.split("/")[-1].upper()[:6]


def layout(
    views: list[MessageView],
    *,
    is_group: bool,
    now: datetime,
    tz_name: str,
    hour12: bool = False,
    divider_id: int | None,
    unread_count: int,
    member_ids: list[int] | None = None,
) -> list[MessageRow]:
    tz = formatting.zone(tz_name)
    colors = formatting.sender_colors(member_ids or [])
    rows: list[MessageRow] = []
    previous: MessageView | None = None
    for view in views:
        new_day = previous is None or (
            view.created_at.astimezone(tz).date() != previous.created_at.astimezone(tz).date()
        )
        is_system = view.is_system
        continues_run = (
            previous is not None
            and not new_day
            and not previous.is_system
            and not is_system
            and previous.sender_id == view.sender_id
            and view.id != divider_id
        )
        rows.append(
            MessageRow(
                id=view.id,
                dom_id=f"msg-{view.id}",
                kind=view.kind,
                body=view.body,
                time_label=formatting.clock(view.created_at, tz, hour12),
                sender_name=view.sender_name,
                sender_color=colors.get(view.sender_id or 0)
                or formatting.sender_color(view.sender_id),
                is_mine=view.is_mine,
                is_system=is_system,
                status=view.status,
                edited=view.edited,
                deleted=view.deleted,
                can_edit=view.can_edit,
                show_sender=is_group and not view.is_mine and not is_system and not continues_run,
                first_in_run=not continues_run,
                day_label=formatting.day_label(view.created_at, now, tz) if new_day else "",
                unread_divider=(
                    f"{unread_count} unread message{'s' if unread_count != 1 else ''}"
                    if divider_id is not None and view.id == divider_id
                    else ""
                ),
                has_reply=view.reply is not None,
                reply_id=view.reply.message_id if view.reply else 0,
                reply_name=view.reply.sender_name if view.reply else "",
                reply_snippet=view.reply.snippet if view.reply else "",
                attachments=[
                    AttachmentRow(
                        id=a.id,
                        name=a.name,
                        url=a.url,
                        is_image=a.is_image,
                        size_label=formatting.file_size(a.size_bytes),
                        type_label=_type_label(a.mime_type, a.name),
                        width=a.width or 0,
                        height=a.height or 0,
                    )
                    for a in view.attachments
                ],
                reactions=[ReactionRow(r.emoji, r.count, r.mine) for r in view.reactions],
            )
        )
        previous = view
    return rows
