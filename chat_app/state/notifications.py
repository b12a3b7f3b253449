"""Controller of new-message notifications (the rule is ``services.notifications``).

Whether the tab is hidden and whether notifications are allowed
is the browser's to know at the moment the notice lands
(``assets/chat_notifications.jsx``), so every eligible message is offered and
the browser drops those that arrive while someone is looking.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from chat_app.routes import chat_route
from chat_app.services.notifications import Notice, notice_for
from chat_app.services.read_models import ChatSummary
from chat_app.state.session import SessionState

__all__ = ["Notice", "NotificationState"]


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
        return rx.redirect(chat_route(chat_id))
