"""Controller of new-message notifications: what a background tab may tell its person.

Only the chat list's own summary of the chat (already checked for membership by
the services) feeds a notice, so a notification never shows more than the row in
the list would. Whether the tab is hidden and whether notifications are allowed
is the browser's to know at the moment the notice lands
(``assets/chat_notifications.jsx``), so every eligible message is offered and
the browser drops those that arrive while someone is looking.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import reflex as rx

from chat_app.services.views import ChatSummary
from chat_app.state.session import SessionState

CHAT_ROUTE = "/chat/{chat_id}"


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


class NotificationState(SessionState):
    notice: Notice = Notice()

    def offer(self, summary: ChatSummary | None, *, message_id: int) -> None:
        """A message from someone else arrived (see ``LiveState``)."""
        notice = None if summary is None else notice_for(summary, message_id=message_id)
        if notice is not None:
            self.notice = notice

    @rx.event
    def open_chat(self, info: dict[str, Any]):
        """A notification was clicked: open its chat (the page checks membership on load)."""
        chat_id = info.get("chat_id")
        if not isinstance(chat_id, int) or isinstance(chat_id, bool) or chat_id <= 0:
            return None
        return rx.redirect(CHAT_ROUTE.format(chat_id=chat_id))
