"""A backend stops answering without dying (SIGSTOP: swapped out, a stuck event
loop): its pages notice within seconds and carry on with another backend.

Seen in use: with Reflex's own heartbeat (a ping every 25 s, 120 s to answer)
the sockets of a backend frozen for 20 s just hung, and sends on those tabs
waited, without a word, until it resumed.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable

from tests.stack import Stack
from tests.topology.levers import conversation_on
from tests.topology.people import Conversation

# SOCKET_HEARTBEAT_SECONDS is 5: a ping every 5 s, 10 s more to answer. The
# pages must be off the frozen backend well before it would have resumed.
NOTICED_WITHIN_S = 18


def test_a_frozen_backend_is_left_within_seconds_and_nothing_is_lost(
    stack: Stack, conversation_factory: Callable[[], Conversation]
) -> None:
    frozen = stack.backends[0]
    chat = conversation_on(stack, frozen, conversation_factory)
    chat.exchange("before", 2)
    opened = [person.sockets.opened["event"] for person in chat.people]
    assert frozen.pid is not None

    os.killpg(frozen.pid, signal.SIGSTOP)
    try:
        # Each page gives up on the silent socket and opens a new one, which Caddy
        # (its health check has noticed too) sends to the other backend.
        for person, before in zip(chat.people, opened, strict=True):
            person.sockets.wait(
                lambda p=person, b=before: p.sockets.opened["event"] > b,
                f"{person.name}'s page left its frozen backend",
                timeout_s=NOTICED_WITHIN_S,
            )
        chat.exchange("while it is frozen", 3)
    finally:
        os.killpg(frozen.pid, signal.SIGCONT)

    chat.exchange("after", 2)
    chat.expect_each_once_everywhere(stack.database_url)
