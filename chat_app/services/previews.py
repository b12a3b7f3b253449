"""How a message reads in one line (chat list previews, quoted replies)."""

from __future__ import annotations

from chat_app.models import MessageKind

DELETED_TEXT = "This message was deleted"
DELETED_ACCOUNT = "Deleted account"
SNIPPET_MAX = 120


def one_line(*, kind: str, body: str, deleted: bool, attachment_name: str | None = None) -> str:
    if deleted:
        return DELETED_TEXT
    first_line = body.strip().splitlines()[0] if body.strip() else ""
    if kind == MessageKind.IMAGE:
        text = "📷 " + (first_line or "Photo")
    elif kind == MessageKind.FILE:
        text = "📄 " + (first_line or attachment_name or "Document")
    else:
        text = first_line
    return text if len(text) <= SNIPPET_MAX else text[: SNIPPET_MAX - 1] + "…"


def tick_status(*, message_id: int, others_delivered: int | None, others_read: int | None) -> str:
    """✓ sent, ✓✓ delivered (every other member's cursor passed it), blue ✓✓ read."""
    if others_read is not None and others_read >= message_id:
        return "read"
    if others_delivered is not None and others_delivered >= message_id:
        return "delivered"
    return "sent"
