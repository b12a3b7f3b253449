"""Every backend is gone for a moment: the pages say they are connecting.

Seen in use: only the realtime socket's drop showed a notice. With Reflex's
own socket down and the browser online, a page said nothing until a
connection try had failed (Caddy waits 5 s for a backend before it gives up),
and then called it "Offline", which it was not.
"""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.stack import Stack
from tests.topology.people import LIVE_TIMEOUT_MS, Conversation

# The page shows the notice after 1.5 s without its socket: well before a
# connection try through Caddy (5 s) could fail.
NOTICED_WITHIN_MS = 4_000


def test_with_every_backend_gone_the_pages_say_connecting_until_they_are_back(
    stack: Stack, conversation_factory: Callable[[], Conversation]
) -> None:
    chat = conversation_factory()
    chat.exchange("before", 2)
    for person in chat.people:
        expect(person.page.get_by_role("status")).to_have_count(0)

    connected = chat.closed_sockets("event")
    for backend in stack.backends:
        backend.stop()
    chat.wait_until_both_lost("event", connected)
    for person in chat.people:
        expect(person.page.get_by_role("status").get_by_text("Connecting…")).to_be_visible(
            timeout=NOTICED_WITHIN_MS
        )

    for backend in stack.backends:
        backend.spawn()
    for backend in stack.backends:
        backend.wait_ready()
    for person in chat.people:
        expect(person.page.get_by_role("status")).to_have_count(0, timeout=LIVE_TIMEOUT_MS)
    chat.exchange("after", 2)
    chat.expect_each_once_everywhere(stack.database_url)
