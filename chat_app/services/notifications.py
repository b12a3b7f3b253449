"""What a new message may tell its person in a notification.

Only the chat list's summary of the chat (already checked for membership)
feeds a notice, so a notification never shows more than the row in the list
would.
"""

from __future__ import annotations

from dataclasses import dataclass

from chat_app.services.read_models import ChatSummary


@dataclass(frozen=True)
class Notice:
    """One notification to show; ``id`` is the message's, so a notice shows once."""

    id: int = 0
    chat_id: int = 0
    title: str = ""
    body: str = ""


def notice_for(summary: ChatSummary, *, message_id: int) -> Notice | None:
    """The notice for a message that just arrived, or None when it should stay quiet.

    As on WhatsApp, muted chats never notify, and archived chats stay archived and
    quiet. The title is the chat (the sender in a direct chat, the group's name in
    a group, whose preview already reads "Sender: text"). A message that is no
    longer the chat's newest has been overtaken: the newer one notifies instead.
    """
    if summary.muted or summary.archived or summary.last_is_mine:
        return None
    if summary.last_message_id != message_id:
        return None
    return Notice(
        id=message_id, chat_id=summary.chat_id, title=summary.name, body=summary.last_preview
    )
