"""Two people, two browsers, no reloads: what one does appears on the other's screen.

Every assertion here waits for the other browser to change on its own; none
reloads a page. (How fast it happens is measured by ``bench/realtime.py``.)
"""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import Browser, Page, WebSocketRoute, expect

from chat_app.services import groups, message_changes, message_send, people
from tests.app_runner import RealtimeProcess
from tests.browser.helpers import (
    alice_and_bob,
    delete_for_everyone,
    message,
    message_action,
    open_as,
    person,
    send_message,
)

REALTIME_SOCKET = re.compile(r"/realtime$")
LIVE_TIMEOUT_MS = 10_000  # generous for a shared machine; the bench gives the real figures
# Typing is a signal, never stored: one sent before the other page's socket is up is lost,
# as on WhatsApp, and the next one (every 3 s while typing) shows it. So type like a person.
KEYSTROKE_MS = 400


def _header(page: Page):
    return page.get_by_role("banner")


def _chat_row(page: Page, name: str):
    return page.get_by_role("list", name="Chats").get_by_role("listitem").filter(has_text=name)


def _type_until_seen(typist: Page, text: str, indicator) -> None:
    """Type one key at a time, as a person does, until the other screen shows it."""
    box = typist.get_by_role("textbox", name="Type a message")
    for key in text:
        box.press(key)
        if indicator.is_visible():
            return
        typist.wait_for_timeout(KEYSTROKE_MS)
    expect(indicator).to_be_visible(timeout=LIVE_TIMEOUT_MS)


def _pair(browser: Browser, app_url: str, viewport: str) -> tuple[Page, Page, int]:
    pair = alice_and_bob()
    alice = open_as(browser, app_url, viewport, pair.alice)
    bob = open_as(browser, app_url, viewport, pair.bob)
    return alice, bob, pair.chat_id


def test_a_conversation_happens_live(browser: Browser, app_url: str, viewport: str) -> None:
    alice, bob, chat_id = _pair(browser, app_url, viewport)
    alice.goto(f"/chat/{chat_id}")
    bob.goto(f"/chat/{chat_id}")
    expect(_header(alice).get_by_text("online")).to_be_visible(timeout=LIVE_TIMEOUT_MS)

    # Typing shows in the other's header, and goes away when the typist stops.
    _type_until_seen(alice, "Hello there, how are you", _header(bob).get_by_text("typing…"))
    expect(_header(bob).get_by_text("typing…")).to_be_hidden(timeout=LIVE_TIMEOUT_MS)

    send_message(alice, "Hello Bob, are you there?")
    expect(message(bob, "Hello Bob, are you there?")).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    # Bob has the chat open in front of him: Alice's ticks turn blue without a reload.
    expect(message(alice, "Hello Bob, are you there?").get_by_label("Read")).to_be_visible(
        timeout=LIVE_TIMEOUT_MS
    )

    send_message(bob, "Right here")
    expect(message(alice, "Right here")).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    expect(message(alice, "Right here")).to_have_count(1)

    message_action(bob, "Right here", "Edit")
    bob.get_by_role("textbox", name="Edited message").fill("Right here, all ears")
    bob.get_by_role("button", name="Save").click()
    expect(message(alice, "Right here, all ears")).to_contain_text(
        "edited", timeout=LIVE_TIMEOUT_MS
    )

    message_action(alice, "Right here, all ears", "React")
    alice.get_by_role("menuitem", name="React 👍").click()
    expect(message(bob, "Right here, all ears").get_by_role("button", name="👍 1")).to_be_visible(
        timeout=LIVE_TIMEOUT_MS
    )

    send_message(alice, "Never mind")
    expect(message(bob, "Never mind")).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    delete_for_everyone(alice, "Never mind")
    expect(message(bob, "This message was deleted")).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    expect(bob.get_by_text("Never mind")).to_have_count(0)

    # Bob leaves: Alice sees when he was last here.
    bob.context.close()
    expect(_header(alice).get_by_text("last seen today at")).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    alice.context.close()


def test_the_chat_list_follows_along(browser: Browser, app_url: str, viewport: str) -> None:
    alice, bob, chat_id = _pair(browser, app_url, viewport)
    alice.goto(f"/chat/{chat_id}")
    expect(bob.get_by_text("No chats yet")).to_be_visible()  # Bob stays on his list

    send_message(alice, "Dinner at eight?")
    row = _chat_row(bob, "Alice Adams")
    expect(row).to_contain_text("Dinner at eight?", timeout=LIVE_TIMEOUT_MS)
    expect(row.get_by_label("1 unread")).to_be_visible()
    # It reached Bob's device, though he has not opened it: two grey ticks.
    expect(message(alice, "Dinner at eight?").get_by_label("Delivered")).to_be_visible(
        timeout=LIVE_TIMEOUT_MS
    )

    box = alice.get_by_role("textbox", name="Type a message")
    box.fill("")
    _type_until_seen(alice, "Or nine, if that suits you", row.get_by_text("typing…"))
    box.fill("Or nine")
    box.press("Enter")
    expect(row).to_contain_text("Or nine", timeout=LIVE_TIMEOUT_MS)
    expect(row.get_by_text("typing…")).to_have_count(0)  # the message ends the typing
    expect(row.get_by_label("2 unread")).to_be_visible()

    row.get_by_role("link").click()
    expect(message(alice, "Or nine").get_by_label("Read")).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    bob.context.close()
    alice.context.close()


def test_group_typing_names_the_typist(browser: Browser, app_url: str, viewport: str) -> None:
    alice_name, alice_id = person("alice", "Alice Adams")
    bob_name, bob_id = person("bob", "Bob Brown")
    chat_id = groups.create_group(user_id=alice_id, title="Book club", member_ids=[bob_id])
    alice = open_as(browser, app_url, viewport, alice_name)
    bob = open_as(browser, app_url, viewport, bob_name)
    alice.goto(f"/chat/{chat_id}")
    bob.goto(f"/chat/{chat_id}")
    expect(_header(bob).get_by_text("Book club")).to_be_visible()

    _type_until_seen(alice, "Next week then", _header(bob).get_by_text("Alice is typing…"))
    bob.context.close()
    alice.context.close()


def test_nothing_is_lost_while_the_realtime_service_is_down(
    browser: Browser, app_url: str, viewport: str, realtime_service: RealtimeProcess
) -> None:
    alice, bob, chat_id = _pair(browser, app_url, viewport)
    alice.goto(f"/chat/{chat_id}")
    bob.goto(f"/chat/{chat_id}")
    send_message(alice, "before the outage")
    expect(message(bob, "before the outage")).to_be_visible(timeout=LIVE_TIMEOUT_MS)

    realtime_service.kill()
    try:
        expect(bob.get_by_role("status").get_by_text("Connecting…")).to_be_visible(
            timeout=LIVE_TIMEOUT_MS
        )
        # Sending goes through the web backend, which is still up: it is stored.
        for text in ("during one", "during two", "during three"):
            send_message(alice, text)
            expect(message(alice, text)).to_be_visible()
    finally:
        realtime_service.start()

    expect(bob.get_by_role("status").get_by_text("Connecting…")).to_be_hidden(timeout=40_000)
    for text in ("during one", "during two", "during three"):
        expect(message(bob, text)).to_have_count(1, timeout=LIVE_TIMEOUT_MS)
    bodies = bob.get_by_role("list", name="Messages").locator(".wa-body").all_inner_texts()
    shown = [b for b in bodies if b.startswith(("before", "during"))]
    assert shown == ["before the outage", "during one", "during two", "during three"]

    send_message(alice, "after it came back")
    expect(message(bob, "after it came back")).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    bob.context.close()
    alice.context.close()


class Network:
    """A page's link to the realtime service (or, given ``sockets``, to another
    socket, such as Reflex's ``/_event``), which the test can cut and restore.

    Every socket the page opens passes through Playwright's websocket routing;
    while cut, open sockets are closed and new ones are refused, as when a
    phone loses its signal.
    """

    def __init__(self, page: Page, sockets: re.Pattern[str] = REALTIME_SOCKET) -> None:
        self.page = page
        self.up = True
        self.open: list[WebSocketRoute] = []
        self.ready_frames = 0
        page.context.route_web_socket(sockets, self._route)

    def _route(self, socket: WebSocketRoute) -> None:
        if not self.up:
            socket.close(code=1011, reason="network down")
            return
        server = socket.connect_to_server()

        def to_page(frame: str | bytes) -> None:
            if isinstance(frame, str) and '"type":"ready"' in frame:
                self.ready_frames += 1
            socket.send(frame)

        server.on_message(to_page)
        self.open.append(socket)

    def wait_until_connected(self, timeout_ms: int = 10_000) -> None:
        """Until the page's socket is authenticated (the service said ``ready``)."""
        for _ in range(timeout_ms // 100):
            if self.ready_frames:
                return
            self.page.wait_for_timeout(100)
        raise AssertionError("the page never connected to the realtime service")

    def cut(self) -> None:
        self.up = False
        for socket in self.open:
            socket.close(code=1011, reason="network down")
        self.open.clear()

    def restore(self) -> None:
        self.up = True


def test_a_dropped_connection_catches_up_on_what_it_missed(
    browser: Browser, app_url: str, viewport: str
) -> None:
    alice, bob, chat_id = _pair(browser, app_url, viewport)
    network = Network(bob)
    alice.goto(f"/chat/{chat_id}")
    bob.goto(f"/chat/{chat_id}")
    network.wait_until_connected()
    send_message(alice, "still with me?")
    expect(message(bob, "still with me?")).to_be_visible(timeout=LIVE_TIMEOUT_MS)

    network.cut()
    expect(bob.get_by_role("status").get_by_text("Connecting…")).to_be_visible(
        timeout=LIVE_TIMEOUT_MS
    )
    for text in ("sent in the tunnel", "and another", "and a third"):
        send_message(alice, text)
        expect(message(alice, text).get_by_label("Sent")).to_be_visible()
    expect(bob.get_by_text("sent in the tunnel")).to_have_count(0)

    network.restore()
    expect(bob.get_by_role("status").get_by_text("Connecting…")).to_be_hidden(timeout=40_000)
    for text in ("sent in the tunnel", "and another", "and a third"):
        expect(message(bob, text)).to_have_count(1, timeout=LIVE_TIMEOUT_MS)
        # Bob has the chat in front of him: what he caught up on is read.
        expect(message(alice, text).get_by_label("Read")).to_be_visible(timeout=LIVE_TIMEOUT_MS)
    bob.context.close()
    alice.context.close()


def test_what_changed_while_the_page_was_connecting_shows_once_it_connects(
    browser: Browser, app_url: str, viewport: str
) -> None:
    """The page read the chat, and its live link came up a little later (a slow
    network, a busy server): a rename, an edit and a reaction made in between are
    not in the link's replay, so the first connection reads what is on screen again."""
    pair = alice_and_bob()
    group = groups.create_group(user_id=pair.alice_id, title="Trio", member_ids=[pair.bob_id])
    sent = message_send.send_message(
        user_id=pair.alice_id,
        chat_id=group,
        body="Welcom to the group",
        client_msg_id=uuid.uuid4().hex,
    )
    bob = open_as(browser, app_url, viewport, pair.bob)
    network = Network(bob)
    network.cut()
    bob.goto(f"/chat/{group}")
    expect(message(bob, "Welcom to the group")).to_contain_text("Alice Adams")

    people.update_profile(user_id=pair.alice_id, display_name="Alice Young", about="")
    message_changes.edit_message(
        user_id=pair.alice_id, message_id=sent.message_id, body="Welcome to the group"
    )
    message_changes.react(user_id=pair.bob_id, message_id=sent.message_id, emoji="👍")
    network.restore()
    network.wait_until_connected(timeout_ms=40_000)  # after the back-off of the refusals

    welcome = message(bob, "Welcome to the group")
    expect(welcome).to_contain_text("Alice Young", timeout=LIVE_TIMEOUT_MS)
    expect(welcome.get_by_role("button", name="👍 1")).to_be_visible()
    bob.context.close()
