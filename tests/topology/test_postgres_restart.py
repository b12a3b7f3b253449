"""PostgreSQL goes down and comes back: every process recovers on its own and
nothing that was acknowledged is lost.

The server is stopped in "immediate" mode (no checkpoint: what is committed
survives only through the write-ahead log, as after a power cut). No other
process is restarted.
"""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests.app_runner import http_status
from tests.browser.helpers import message, send_message
from tests.stack import Stack
from tests.topology.people import Conversation

RECOVERY_S = 30


def test_postgres_restarted_under_the_app_loses_nothing_acknowledged(
    stack: Stack, conversation_factory: Callable[[], Conversation]
) -> None:
    processes = {service.name: service.pid for service in [*stack.backends, *stack.realtimes]}
    chat = conversation_factory()
    chat.exchange("before", 3)

    stack.postgres.down(crash=True)
    try:
        # Every backend and realtime instance reports it.
        health = [f"http://127.0.0.1:{b.port}/_health" for b in stack.backends] + [
            f"http://127.0.0.1:{r.port}/health" for r in stack.realtimes
        ]
        answers = {url: http_status(url, timeout=10) for url in health}
        assert set(answers.values()) == {503}, answers
        # A message written now cannot be stored: it waits, pending, with the clock.
        send_message(chat.alice.page, "while down")
        pending = message(chat.alice.page, "while down").get_by_label("Pending")
        expect(pending).to_be_visible()
        chat.alice.page.wait_for_timeout(2000)
        expect(pending).to_be_visible()
    finally:
        stack.postgres.up()

    for backend in stack.backends:
        backend.wait_until_answers(f"http://127.0.0.1:{backend.port}/_health", RECOVERY_S)
    for instance in stack.realtimes:
        instance.wait_until_answers(f"http://127.0.0.1:{instance.port}/health", RECOVERY_S)
    assert {s.name: s.pid for s in [*stack.backends, *stack.realtimes]} == processes

    # It goes out by itself, once; live delivery works again.
    chat.expect_acknowledged(chat.alice, "while down")
    chat.exchange("after", 3)
    chat.expect_each_once_everywhere(stack.database_url)
