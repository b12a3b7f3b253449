"""A realtime instance dies: its clients move to the other one and miss nothing.

Both people's realtime sockets are made to land on the instance that dies (the
other one is down while they connect). Sending goes through the backends,
which are unaffected, so messages are stored while the receiver's page is
reconnecting, and the instance it reaches replays what it missed from the
outbox.
"""

from __future__ import annotations

from collections.abc import Callable

from tests.stack import Stack
from tests.topology.levers import conversation_on, crash
from tests.topology.people import Conversation, stored_messages


def test_a_realtime_instance_killed_mid_conversation_misses_nothing(
    stack: Stack, conversation_factory: Callable[[], Conversation]
) -> None:
    first, second = stack.realtimes[:2]
    chat = conversation_on(stack, first, conversation_factory)
    chat.bob.page.evaluate("window.stayedOpen = true")  # a reload would forget it
    chat.exchange("before", 2)

    # The other instance is up: the pages move over within a second.
    crash(chat, first, "realtime")
    for number in range(1, 4):
        chat.write(chat.alice, f"meanwhile {number}")
    chat.exchange("after", 2)
    chat.expect_each_once_everywhere(stack.database_url)

    # Now the pages' instance dies while no other is up, so what Alice sends
    # next is certainly missed; the killed one comes back and they catch up.
    crash(chat, second, "realtime")
    missed = [f"missed {number}" for number in range(1, 4)]
    for body in missed:
        chat.write(chat.alice, body)
    ready_before = chat.bob.sockets.ready
    first.start()
    chat.exchange("caught up", 2)
    chat.expect_each_once_everywhere(stack.database_url)

    # Bob's page reconnected by itself (nothing reloaded it) and was sent every
    # event it had missed.
    assert chat.bob.sockets.ready > ready_before
    assert chat.bob.page.evaluate("window.stayedOpen") is True
    ids = {
        body: message_id for message_id, body in stored_messages(stack.database_url, chat.chat_id)
    }
    delivered = {
        frame["data"]["message_id"]
        for frame in chat.bob.sockets.events
        if frame["kind"] == "message.created"
    }
    assert {ids[body] for body in missed} <= delivered
