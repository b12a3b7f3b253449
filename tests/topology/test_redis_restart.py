"""Redis restarts and forgets every tab's state: nobody notices.

Redis holds only Reflex's per-tab state, which the app can rebuild from the
browser's stored token and PostgreSQL. Seen in use: after a restart, the next
Enter sent Alice to the sign-in page, her stored token was emptied, and the
message she had typed was neither stored nor kept; Bob's idle page followed
seconds later.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import expect

from chat_app.state.session import TOKEN_STORAGE_KEY
from tests.browser.helpers import message, send_message
from tests.stack import Stack
from tests.topology.people import ACKNOWLEDGED, LIVE_TIMEOUT_MS, Conversation

CHAT_PATH = r"/chat/\d+/?$"


def _stored_tokens(chat: Conversation) -> list[str | None]:
    return [
        person.page.evaluate(f"localStorage.getItem({TOKEN_STORAGE_KEY!r})")
        for person in chat.people
    ]


def test_redis_restarted_signs_nobody_out_and_loses_no_message(
    stack: Stack, conversation_factory: Callable[[], Conversation]
) -> None:
    chat = conversation_factory()
    chat.exchange("before", 2)
    tokens = _stored_tokens(chat)

    for person in chat.people:
        person.page.evaluate("window.__beforeTheRestart = true")
    stack.redis.stop()
    stack.redis.start()

    # Each page's next event meets a backend that has forgotten the tab: the page
    # boots again from its stored token, signed in, on the same chat, and the
    # message that met it is still pending, so it goes out (once) after the boot.
    for person in chat.people:
        body = f"{person.name.split()[0]}'s first after the restart"
        send_message(person.page, body)
        person.page.wait_for_function("window.__beforeTheRestart === undefined")
        chat.sent.append(body)
        expect(message(person.page, body).get_by_label(ACKNOWLEDGED)).to_be_visible(timeout=30_000)
        expect(message(chat.other(person).page, body)).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    chat.say(chat.bob, "and the other way")
    chat.exchange("after", 2)
    for person in chat.people:
        expect(person.page).to_have_url(re.compile(CHAT_PATH))
    assert _stored_tokens(chat) == tokens
    chat.expect_each_once_everywhere(stack.database_url)
