"""Esc and Up arrow in an open conversation (assets/conversation_keys.jsx), as a component.

The keys are read in the browser because whether the composer is empty, and
whether an Esc already closed a dialog, is only known there; the server is
told only when there is something to do (edit my last message).
"""

from __future__ import annotations

import reflex as rx
from reflex.event import no_args_event_spec

from chat_app.state.conversation import COMPOSER_ID
from chat_app.state.message_actions import MessageActionsState

BACK_LINK_ID = "back-to-chats"
# The message dialogs that keep focus while open (see assets/conversation_keys.jsx).
EDIT_DIALOG_ID = "edit-message-dialog"
INFO_DIALOG_ID = "message-info-dialog"


class ConversationKeys(rx.Component):
    library = "$/public/conversation_keys.jsx"
    tag = "ConversationKeys"

    composer_id: rx.Var[str]
    back_id: rx.Var[str]
    dialog_ids: rx.Var[list[str]]

    on_edit_last: rx.EventHandler[no_args_event_spec]


def conversation_keys() -> rx.Component:
    return ConversationKeys.create(
        composer_id=COMPOSER_ID,
        back_id=BACK_LINK_ID,
        dialog_ids=[EDIT_DIALOG_ID, INFO_DIALOG_ID],
        on_edit_last=MessageActionsState.edit_last,
    )
