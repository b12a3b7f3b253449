"""The composer: emoji button, a growing pill-shaped input, attach, and the round send button."""

from __future__ import annotations

import reflex as rx
from reflex.event import passthrough_event_spec

from chat_app.state.conversation import COMPOSER_ID, ConversationState, SendReport
from chat_app.ui import tokens
from chat_app.ui.components.icon_button import icon_button

EMOJIS = (
    "😀", "😃", "😄", "😁", "😆", "😅", "😂", "🤣", "😊", "😇", "🙂", "😉",
    "😍", "🥰", "😘", "😋", "😜", "🤪", "🤗", "🤔", "😐", "😴", "😎", "🥳",
    "😢", "😭", "😤", "😡", "🥺", "😱", "👍", "👎", "👏", "🙌", "🙏", "💪",
    "👋", "🤝", "❤️", "🧡", "💛", "💚", "💙", "💜", "🔥", "✨", "🎉", "✅",
    "☕", "🍕", "🎂", "🌹", "🌞", "🌙", "⭐", "📷", "📄", "🚀",
)  # fmt: skip


class EmojiGrid(rx.Component):
    """The emoji buttons (assets/emoji_picker.jsx), fetched when the picker first opens.

    The grid is not part of the chat page's first load: the popover mounts it
    on opening and React.lazy loads its chunk then. A pick is inserted at the
    composer's caret in the browser, with no event to the server.
    """

    library = "$/public/emoji_picker.jsx"
    tag = "EmojiGrid"

    emojis: rx.Var[list[str]]
    target_id: rx.Var[str]


class ComposerDraft(rx.Component):
    """Saves what is typed as the chat's draft and puts a chat's draft back
    (assets/composer_draft.jsx): the text arrives as a prop, never as a script."""

    library = "$/public/composer_draft.jsx"
    tag = "ComposerDraft"

    composer_id: rx.Var[str]
    chat_id: rx.Var[int]
    draft: rx.Var[str]
    draft_key: rx.Var[str]

    on_keep: rx.EventHandler[passthrough_event_spec(dict)]


class ComposerOutbox(rx.Component):
    """Sends from the composer: emptied at once, the message shown pending with a
    clock until stored, sent again under the same id after a lost connection
    (assets/composer_outbox.jsx). Placed at the end of the message list, where
    the pending bubbles show."""

    library = "$/public/composer_outbox.jsx"
    tag = "ComposerOutbox"

    composer_id: rx.Var[str]
    chat_id: rx.Var[int]
    token: rx.Var[str]  # whose messages these are: a session never sends another's
    reports: rx.Var[list[SendReport]]

    on_send: rx.EventHandler[passthrough_event_spec(dict)]


def composer_outbox() -> rx.Component:
    return ComposerOutbox.create(
        composer_id=COMPOSER_ID,
        chat_id=ConversationState.chat_id,
        token=ConversationState.token,
        reports=ConversationState.send_reports,
        on_send=ConversationState.send_text,
    )


def _emoji_picker() -> rx.Component:
    return rx.popover.root(
        rx.popover.trigger(icon_button("smile", label="Emoji")),
        rx.popover.content(
            EmojiGrid.create(emojis=list(EMOJIS), target_id=COMPOSER_ID),
            side="top",
            align="start",
            # A pick puts focus back in the composer, outside the popover: the
            # picker stays open for the next one (as on WhatsApp) until Esc, a
            # tap elsewhere or the button closes it.
            on_focus_outside=rx.prevent_default,
        ),
    )


def _reply_banner() -> rx.Component:
    return rx.cond(
        ConversationState.reply_id != 0,
        rx.hstack(
            rx.box(
                rx.text(
                    ConversationState.reply_name,
                    size="1",
                    weight="bold",
                    style={"color": tokens.ACCENT_STRONG},
                ),
                rx.text(ConversationState.reply_snippet, size="2", class_name="wa-ellipsis"),
                class_name="wa-quote",
                style={"cursor": "default", "flex": "1"},
            ),
            icon_button("x", label="Cancel reply", on_click=ConversationState.cancel_reply),
            align="center",
            style={"padding": "6px 12px 0", "background": tokens.PANEL},
        ),
    )


def composer(attach: rx.Component) -> rx.Component:
    return rx.box(
        _reply_banner(),
        rx.cond(
            ConversationState.composer_error != "",
            rx.text(
                ConversationState.composer_error,
                role="alert",
                size="2",
                style={"color": tokens.DANGER, "padding": "4px 16px 0", "background": tokens.PANEL},
            ),
        ),
        rx.form(
            rx.box(
                _emoji_picker(),
                rx.el.textarea(
                    id=COMPOSER_ID,
                    name="body",
                    placeholder="Type a message",
                    aria_label="Type a message",
                    rows=1,
                    enter_key_submit=True,
                    auto_height=True,
                    auto_complete="off",
                    # The realtime component sends "typing" for keystrokes here.
                    custom_attrs={"data-typing-chat": ConversationState.chat_id},
                ),
                attach,
                class_name="wa-composer-pill",
            ),
            rx.el.button(
                rx.icon("send-horizontal", size=22),
                type="submit",
                aria_label="Send",
                class_name="wa-round-button",
            ),
            # No event here: assets/composer_outbox.jsx takes the submit in the browser.
            class_name="wa-composer",
        ),
        ComposerDraft.create(
            composer_id=COMPOSER_ID,
            chat_id=ConversationState.chat_id,
            draft=ConversationState.draft,
            draft_key=ConversationState.draft_key,
            on_keep=ConversationState.keep_draft,
        ),
    )
