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

from tests.browser.helpers import message, send_message
from tests.stack import Stack
from tests.topology.people import ACKNOWLEDGED, LIVE_TIMEOUT_MS, Conversation, stored_tokens

CHAT_PATH = r"/chat/\d+/?$"


def test_redis_restarted_while_someone_types_keeps_what_they_typed(
    stack: Stack, conversation_factory: Callable[[], Conversation]
) -> None:
    """Seen in CI: the tab was booted again by an event of its own (a message
    arriving) while its person was typing; the page reloaded under their fingers
    and what they had typed, and the Enter that was to send it, were lost."""
    chat = conversation_factory()
    chat.exchange("before", 1)
    composer = chat.alice.page.get_by_role("textbox", name="Type a message")
    composer.fill("half typed")
    stack.redis.stop()
    stack.redis.start()

    # Bob writes: his own Enter meets a forgotten tab, Alice's page meets it when
    # the message arrives; both boot again, and Alice keeps typing meanwhile.
    chat.write(chat.bob, "while Alice types")
    expect(message(chat.alice.page, "while Alice types")).to_be_visible(timeout=30_000)
    expect(composer).to_have_value("half typed")
    composer.press("End")
    composer.press_sequentially(" and done")
    composer.press("Enter")
    chat.expect_acknowledged(chat.alice, "half typed and done")
    expect(message(chat.bob.page, "half typed and done")).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    chat.say(chat.bob, "after")
    chat.expect_each_once_everywhere(stack.database_url)


def test_redis_restarted_signs_nobody_out_and_loses_no_message(
    stack: Stack, conversation_factory: Callable[[], Conversation]
) -> None:
    chat = conversation_factory()
    chat.exchange("before", 2)
    tokens = stored_tokens(chat)

    for person in chat.people:
        person.page.evaluate("window.__beforeTheRestart = true")
    stack.redis.stop()
    stack.redis.start()

    # Each page's next event meets a backend that has forgotten the tab: the page
    # starts up again from its stored token, in place (no reload), signed in, on
    # the same chat, and the message that met it is still pending, so it goes out
    # (once) after the start-up.
    for person in chat.people:
        body = f"{person.name.split()[0]}'s first after the restart"
        send_message(person.page, body)
        chat.sent.append(body)
        expect(message(person.page, body).get_by_label(ACKNOWLEDGED)).to_be_visible(timeout=30_000)
        expect(message(chat.other(person).page, body)).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    chat.say(chat.bob, "and the other way")
    chat.exchange("after", 2)
    for person in chat.people:
        expect(person.page).to_have_url(re.compile(CHAT_PATH))
        assert person.page.evaluate("window.__beforeTheRestart") is True, "the page reloaded"
    assert stored_tokens(chat) == tokens
    chat.expect_each_once_everywhere(stack.database_url)
