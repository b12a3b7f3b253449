"""Two people in two browsers, through Caddy, and what reaches their screens.

Everything goes the way a person does it (sign up, find the other, write), so
the stack's own database gets its data through the backends under test.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Page, WebSocket, expect
from sqlalchemy import create_engine, pool, text

from chat_app.state.session import TOKEN_STORAGE_KEY
from tests.browser.conftest import VIEWPORTS
from tests.browser.helpers import message, send_message, sign_up

LIVE_TIMEOUT_MS = 20_000  # a failover reconnects first; the bench gives the real figures
ACKNOWLEDGED = re.compile(r"^(Sent|Delivered|Read)$")
CHAT_URL = re.compile(r"/chat/(\d+)/?$")


class Sockets:
    """A page's websockets as its browser sees them: Reflex's ``/_event`` and ``/realtime``.

    Listens from before the page opens anything, so it sees every (re)connection.
    """

    def __init__(self, page: Page) -> None:
        self.page = page
        self.opened: Counter[str] = Counter()
        self.closed: Counter[str] = Counter()
        self.ready = 0
        self.events: list[dict[str, Any]] = []
        page.on("websocket", self._on_socket)

    def _on_socket(self, socket: WebSocket) -> None:
        kind = "realtime" if urlsplit(socket.url).path == "/realtime" else "event"
        self.opened[kind] += 1
        socket.on("close", lambda _socket: self.closed.update([kind]))
        if kind == "realtime":
            socket.on("framereceived", self._on_realtime_frame)

    def _on_realtime_frame(self, payload: str | bytes) -> None:
        if isinstance(payload, bytes) or '"type"' not in payload:
            return
        if '"type":"ready"' in payload:
            self.ready += 1
        elif '"type":"event"' in payload:
            self.events.append(json.loads(payload))

    def wait(self, condition: Any, what: str, timeout_s: float = 20) -> None:
        """Let the page run until ``condition()`` holds (its events arrive meanwhile)."""
        deadline = time.monotonic() + timeout_s
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"{what}: not within {timeout_s:.0f} s")
            self.page.wait_for_timeout(50)

    def wait_connected(self) -> None:
        self.wait(lambda: self.ready > 0 and self.opened["event"] > 0, "connected")

    def wait_closed(self, kind: str, after: int = 0) -> None:
        """Until more than ``after`` sockets of this kind have closed."""
        self.wait(lambda: self.closed[kind] > after, f"the {kind} socket closed")


@dataclass
class Person:
    name: str
    page: Page
    sockets: Sockets


def sign_up_person(browser: Browser, base_url: str, first_name: str) -> Person:
    context = browser.new_context(viewport=VIEWPORTS["desktop"], base_url=base_url)
    context.set_default_timeout(LIVE_TIMEOUT_MS)
    page = context.new_page()
    sockets = Sockets(page)
    name = f"{first_name} {uuid.uuid4().hex[:8]}"
    sign_up(page, f"{first_name.lower()}_{uuid.uuid4().hex[:10]}", name)
    expect(page.get_by_role("list", name="Chats")).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    return Person(name, page, sockets)


@dataclass
class Conversation:
    """A direct chat between two people, and every message they sent in it."""

    alice: Person
    bob: Person
    chat_id: int
    sent: list[str] = field(default_factory=list)

    @property
    def people(self) -> tuple[Person, Person]:
        return self.alice, self.bob

    def other(self, person: Person) -> Person:
        return self.bob if person is self.alice else self.alice

    def say(self, sender: Person, body: str) -> None:
        """Send, then wait until it is on the other screen too."""
        self.write(sender, body)
        expect(message(self.other(sender).page, body)).to_be_visible(timeout=LIVE_TIMEOUT_MS)

    def write(self, sender: Person, body: str) -> None:
        """Send as a person does: Enter, then wait for the tick (the server has it)."""
        send_message(sender.page, body)
        self._acknowledged(sender, body)

    def expect_acknowledged(self, sender: Person, body: str, timeout_ms: int = 40_000) -> None:
        """A message that waited, pending, goes out by itself (the composer's outbox
        retries under the same id; its socket may first have to reconnect)."""
        self._acknowledged(sender, body, timeout_ms)

    def _acknowledged(self, sender: Person, body: str, timeout_ms: int = LIVE_TIMEOUT_MS) -> None:
        self.sent.append(body)
        acknowledged = message(sender.page, body).get_by_label(ACKNOWLEDGED)
        expect(acknowledged).to_be_visible(timeout=timeout_ms)

    def exchange(self, label: str, count: int) -> None:
        """``count`` messages, taking turns."""
        for number in range(1, count + 1):
            self.say(self.people[(number - 1) % 2], f"{label} {number}")

    def close(self) -> None:
        for person in self.people:
            person.page.context.close()

    def closed_sockets(self, kind: str) -> list[int]:
        return [person.sockets.closed[kind] for person in self.people]

    def wait_until_both_lost(self, kind: str, closed_before: list[int]) -> None:
        """Until each person's ``kind`` socket has dropped since ``closed_before``."""
        for person, before in zip(self.people, closed_before, strict=True):
            person.sockets.wait_closed(kind, before)

    # --- what is where ---------------------------------------------------------------

    def expect_each_once_everywhere(self, database_url: str) -> None:
        """Every sent message is on both screens and in the database exactly once,
        in the order sent, and nothing else is."""
        for person in self.people:
            for body in self.sent:
                expect(message(person.page, body)).to_have_count(1, timeout=LIVE_TIMEOUT_MS)
            assert shown_bodies(person.page) == self.sent, person.name
        assert stored_bodies(database_url, self.chat_id) == self.sent


def open_conversation(browser: Browser, base_url: str) -> Conversation:
    """Alice and Bob sign up, Alice finds Bob and opens their chat, both look at it."""
    bob = sign_up_person(browser, base_url, "Bob")
    alice = sign_up_person(browser, base_url, "Alice")
    alice.page.get_by_role("button", name="New chat").click()
    dialog = alice.page.get_by_role("dialog", name="New chat")
    dialog.get_by_label("Search people").fill(bob.name)
    dialog.get_by_role("button", name=bob.name).click()
    expect(alice.page).to_have_url(CHAT_URL, timeout=LIVE_TIMEOUT_MS)
    found = CHAT_URL.search(alice.page.url)
    assert found is not None
    chat_id = int(found.group(1))
    bob.page.goto(f"/chat/{chat_id}")
    for person in (alice, bob):
        composer = person.page.get_by_role("textbox", name="Type a message")
        expect(composer).to_be_visible(timeout=LIVE_TIMEOUT_MS)
        person.sockets.wait_connected()
    return Conversation(alice, bob, chat_id)


def stored_tokens(chat: Conversation) -> list[str | None]:
    """Each person's session token as their browser stores it."""
    return [
        person.page.evaluate(f"localStorage.getItem({TOKEN_STORAGE_KEY!r})")
        for person in chat.people
    ]


def shown_bodies(page: Page) -> list[str]:
    return page.get_by_role("list", name="Messages").locator(".wa-body").all_inner_texts()


def stored_messages(database_url: str, chat_id: int) -> list[tuple[int, str]]:
    """(id, body) of every message in the chat, in order."""
    engine = create_engine(database_url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT id, body FROM messages WHERE chat_id = :chat ORDER BY seq"),
                {"chat": chat_id},
            )
            return [(row.id, row.body) for row in rows]
    finally:
        engine.dispose()


def stored_bodies(database_url: str, chat_id: int) -> list[str]:
    return [body for _, body in stored_messages(database_url, chat_id)]
