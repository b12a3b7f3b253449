"""A backend dies in the middle of a conversation: nobody notices, nothing is lost.

Both people's Reflex sockets are made to land on the backend that dies (the
other one is down while they connect), so the failover is certain to happen
to them, not to the backend nobody uses.
"""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.stack import Stack
from tests.topology.levers import conversation_on, crash
from tests.topology.people import CHAT_URL, LIVE_TIMEOUT_MS, Conversation


def test_a_backend_killed_mid_conversation_loses_nothing(
    stack: Stack, conversation_factory: Callable[[], Conversation]
) -> None:
    doomed, survivor = stack.backends[:2]
    chat = conversation_on(stack, doomed, conversation_factory)
    chat.exchange("before", 3)

    crash(chat, doomed, "event")
    chat.exchange("during", 3)

    # Still signed in, also after a reload that rebuilds the page from the survivor.
    chat.bob.page.reload()
    expect(chat.bob.page).to_have_url(CHAT_URL, timeout=LIVE_TIMEOUT_MS)
    composer = chat.bob.page.get_by_role("textbox", name="Type a message")
    expect(composer).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    chat.exchange("after", 3)
    chat.expect_each_once_everywhere(stack.database_url)

    # The killed backend comes back and takes the traffic again: with the survivor
    # gone now, every message has to go through it.
    doomed.start()
    stack.let_proxy_notice()
    crash(chat, survivor, "event")
    chat.exchange("rejoined", 2)
    chat.expect_each_once_everywhere(stack.database_url)
