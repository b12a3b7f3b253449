"""Conversations between two new people on the session's topology (the ``stack``
fixture, from ``tests/stack/fixtures.py``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser

from tests.stack import Stack
from tests.topology.people import Conversation, open_conversation


@pytest.fixture
def conversation_factory(browser: Browser, stack: Stack) -> Iterator[Callable[[], Conversation]]:
    """Opens conversations between two new people; closes their browsers afterwards."""
    opened: list[Conversation] = []

    def open_one() -> Conversation:
        conversation = open_conversation(browser, stack.url)
        opened.append(conversation)
        return conversation

    yield open_one
    for conversation in opened:
        conversation.close()
