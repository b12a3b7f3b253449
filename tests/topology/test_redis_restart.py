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
from tests.browser.helpers import send_message
from tests.stack import Stack
from tests.topology.people import Conversation

CHAT_PATH = r"/chat/\d+/?$"


def _stored_tokens(chat: Conversation) -> list[str | None]:
    return [
        person.page.evaluate(f"localStorage.getItem({TOKEN_STORAGE_KEY!r})")
        for person in chat.people
    ]


def test_redis_restarted_signs_nobody_out(
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
    # boots again from its stored token, signed in, on the same chat. (That
    # first message itself is not kept yet: TODO.md.)
    for person in chat.people:
        send_message(person.page, "the first try after the restart")
        person.page.wait_for_function("window.__beforeTheRestart === undefined")
        expect(person.page.get_by_role("textbox", name="Type a message")).to_be_visible()
    chat.say(chat.bob, "and the other way")
    chat.exchange("after", 2)
    for person in chat.people:
        expect(person.page).to_have_url(re.compile(CHAT_PATH))
    assert _stored_tokens(chat) == tokens
