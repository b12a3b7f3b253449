"""What a person does on the sign-up and sign-in screens, as reusable steps."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from playwright.sync_api import Browser, Locator, Page, WebSocketRoute, expect

from chat_app.services import auth, direct_chats, message_send
from tests.browser.conftest import person_context

PASSWORD = "a long enough passphrase"
HOME_URL = re.compile(r"^https?://[^/]+/?$")
SIGN_IN_URL = re.compile(r"/signin/?$")
SIGN_UP_URL = re.compile(r"/signup/?$")


def unique_username(prefix: str = "user") -> str:
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


def sign_up(page: Page, username: str, display_name: str, password: str = PASSWORD) -> None:
    page.goto("/signup")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Your name").fill(display_name)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Create account").click()


def sign_in(page: Page, username: str, password: str = PASSWORD) -> None:
    page.goto("/signin")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def expect_shell(page: Page, viewport: str) -> None:
    """The signed-in frame: chat list everywhere, placeholder on desktop, the FAB on a phone."""
    expect(page).to_have_url(HOME_URL)
    expect(page.get_by_role("list", name="Chats")).to_be_visible()
    expect(page.get_by_text("No chats yet")).to_be_visible()
    if viewport == "desktop":
        expect(page.get_by_role("heading", name="Chat for the web")).to_be_visible()
        expect(page.get_by_role("button", name="Your profile")).to_be_visible()
    else:
        expect(page.get_by_role("heading", name="Chat for the web")).to_be_hidden()
        expect(page.get_by_role("button", name="New chat")).to_be_visible()


def sign_out(page: Page) -> None:
    """Sign out and wait for the sign-in screen, as a person would before going on."""
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("menuitem", name="Sign out").click()
    expect(page).to_have_url(SIGN_IN_URL)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()


def open_profile(page: Page, viewport: str) -> Locator:
    """The profile panel, from the header on a desktop and from the menu on a phone."""
    if viewport == "desktop":
        page.get_by_role("button", name="Your profile").click()
    else:
        page.get_by_role("button", name="Menu").click()
        page.get_by_role("menuitem", name="Profile").click()
    panel = page.get_by_role("dialog", name="Profile")
    expect(panel.get_by_label("Your name")).to_be_visible()
    return panel


def person(prefix: str, name: str) -> tuple[str, int]:
    username = unique_username(prefix)
    signed = auth.sign_up(username=username, display_name=name, password=PASSWORD)
    return username, signed.user.id


@dataclass(frozen=True)
class DirectChat:
    """Two new people (usernames and ids) and the direct chat between them."""

    alice: str
    alice_id: int
    bob: str
    bob_id: int
    chat_id: int


def alice_and_bob() -> DirectChat:
    """Alice Adams and Bob Brown, new each time, with their (empty) direct chat."""
    alice, alice_id = person("alice", "Alice Adams")
    bob, bob_id = person("bob", "Bob Brown")
    chat_id = direct_chats.open_direct_chat(user_id=alice_id, other_user_id=bob_id)
    return DirectChat(alice, alice_id, bob, bob_id, chat_id)


def say(chat_id: int, user_id: int, text: str) -> None:
    """A message sent through the service, as a person in another browser would."""
    message_send.send_message(
        user_id=user_id, chat_id=chat_id, body=text, client_msg_id=uuid.uuid4().hex
    )


def direct_chat_saying(first_id: int, second_id: int, lines: list[tuple[int, str]]) -> int:
    """The direct chat of two people, holding ``lines`` (sender id, text) sent in order."""
    chat_id = direct_chats.open_direct_chat(user_id=first_id, other_user_id=second_id)
    for sender_id, text in lines:
        say(chat_id, sender_id, text)
    return chat_id


def open_as(
    browser: Browser, app_url: str, viewport: str, username: str, color_scheme: str = "light"
) -> Page:
    """A new browser signed in as ``username``, in the system theme ``color_scheme``."""
    page = person_context(browser, app_url, viewport, color_scheme=color_scheme).new_page()
    sign_in(page, username)
    expect(page.get_by_role("list", name="Chats")).to_be_visible()
    return page


def on_device(browser: Browser, app_url: str, viewport: str, username: str) -> Page:
    """A phone is a touch screen (no hover); a desktop has a mouse."""
    touch = {"has_touch": True, "is_mobile": True} if viewport == "phone" else {}
    page = person_context(browser, app_url, viewport, **touch).new_page()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_url)
    sign_in(page, username)
    expect(page.get_by_role("list", name="Chats")).to_be_visible()
    return page


def long_press(page: Page, target: Locator) -> None:
    """A finger held on ``target`` until its menu opens, then lifted (the touch
    events a phone sends, through Chromium's own input)."""
    box = target.bounding_box()
    assert box is not None
    point = {"x": box["x"] + box["width"] / 2, "y": box["y"] + box["height"] / 2}
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [point]})
        expect(page.get_by_role("menu")).to_be_visible()
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    finally:
        cdp.detach()


def open_message_menu(page: Page, viewport: str, text: str) -> None:
    """A message's menu: a long press on a phone, the chevron on hover with a mouse."""
    if viewport == "phone":
        long_press(page, message(page, text).locator(".wa-body"))
    else:
        message(page, text).locator(".wa-bubble").hover()
        message(page, text).get_by_role("button", name="Message options").click()
    expect(page.get_by_role("menuitem", name="Reply")).to_be_visible()


def message(page: Page, text: str):
    """The message whose own text (not a quote of it) contains ``text``."""
    items = page.get_by_role("list", name="Messages").get_by_role("listitem")
    return items.filter(has=page.locator(".wa-body", has_text=text))


def send_message(page: Page, text: str) -> None:
    box = page.get_by_role("textbox", name="Type a message")
    box.fill(text)
    box.press("Enter")


def message_action(page: Page, text: str, action: str) -> None:
    item = message(page, text)
    item.hover()
    item.get_by_role("button", name="Message options").click()
    page.get_by_role("menuitem", name=action).click()


def delete_for_everyone(page: Page, text: str) -> None:
    """Delete my message from its menu, saying yes when asked."""
    message_action(page, text, "Delete for everyone")
    question = page.get_by_role("alertdialog", name="Delete message?")
    question.get_by_role("button", name="Delete for everyone").click()
    expect(question).to_have_count(0)


def expect_clipboard(page: Page, text: str) -> None:
    """The clipboard holds exactly ``text`` (it is written a moment after the click)."""
    held = None
    for _ in range(50):
        held = page.evaluate("navigator.clipboard.readText()")
        if held == text:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"the clipboard holds {held!r}, not {text!r}")


def slow_uploads(page: Page, bytes_per_second: int) -> None:
    """Throttle the page's network like a phone on a weak connection (Chromium's own emulation)."""
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    session.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": 20,
            "downloadThroughput": -1,
            "uploadThroughput": bytes_per_second,
        },
    )


def eventually(page: Page, check_js: str, timeout_ms: int = 15_000) -> bool:
    """Whether the async ``check_js`` becomes true in the page before the deadline.

    Playwright's wait_for_function does not wait for a promise, and some browser
    APIs (the Cache API, service worker registrations) only answer with one: the
    page itself checks until true or the deadline.
    """
    return page.evaluate(
        f"""async () => {{
            const check = {check_js};
            const deadline = Date.now() + {timeout_ms};
            do {{
                if (await check()) return true;
                await new Promise((resolve) => setTimeout(resolve, 100));
            }} while (Date.now() < deadline);
            return false;
        }}"""
    )


class HeldReplies:
    """The page's Reflex socket, with the server's replies held back on demand, as
    when they queue behind other work; what the page sends still goes out.

    With ``holding_loads`` set, the page's on_load event (sent when it navigates)
    waits too, until ``release``: the server then runs that page's on_load chain
    after whatever the person did meanwhile, as a busy server can."""

    def __init__(self, page: Page) -> None:
        self.holding = False
        self.holding_loads = False
        self.held: list[tuple[WebSocketRoute, str | bytes]] = []
        self.held_loads: list[tuple[WebSocketRoute, str | bytes]] = []
        page.context.route_web_socket(re.compile(r"/_event"), self._route)

    def _route(self, socket: WebSocketRoute) -> None:
        server = socket.connect_to_server()

        def to_page(frame: str | bytes) -> None:
            if self.holding:
                self.held.append((socket, frame))
            else:
                socket.send(frame)

        def to_server(frame: str | bytes) -> None:
            if self.holding_loads and isinstance(frame, str) and "on_load_internal" in frame:
                self.held_loads.append((server, frame))
            else:
                server.send(frame)

        server.on_message(to_page)
        socket.on_message(to_server)

    def release(self) -> None:
        self.holding = self.holding_loads = False
        for server, frame in self.held_loads:
            server.send(frame)
        self.held_loads.clear()
        for socket, frame in self.held:
            socket.send(frame)
        self.held.clear()
