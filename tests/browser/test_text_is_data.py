"""Text that looks like code is only text: every field and every handler that takes text.

Reflex 0.10.1 never returns from turning a string holding
``<reflex.Var>x</reflex.Var>`` into a JavaScript literal, so one such message
froze the backend that handled it (and, pressed "Copy" on, every other). Each
payload below goes through every text field of the app in a real browser and
through every event handler that takes text, over the page's own socket;
after each one the backend must answer ``/ping`` within a second, and what
was accepted is stored and shown exactly as typed, and Copy, Reply and Edit
work on it. (A right-to-left override alone is refused by the text rules, with
the reason shown and the text kept.)
"""

from __future__ import annotations

import json
import re
import time
import typing
import urllib.request
import uuid
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Browser, Page, WebSocketRoute, expect

from chat_app.services import chat_list, direct_chats, history, people
from tests.browser.conftest import person_context
from tests.browser.helpers import (
    expect_clipboard,
    message,
    message_action,
    open_as,
    person,
    sign_in,
    sign_up,
    unique_username,
)

PAYLOADS = (
    "<reflex.Var>x</reflex.Var>",
    "<reflex.Var>1</reflex.Var>",
    "{x}",
    "${x}",
    "`",
    "</script><script>",
    "\u202e",
    "%s%n",
)
REFUSED = {"\u202e"}  # an invisible right-to-left override: the text rules refuse it
CONTROL_REFUSAL = "Remove the invisible or control characters from the text."
CHAT_URL = re.compile(r"/chat/\d+/?$")


def backend_answers_quickly(app_url: str, after: str) -> None:
    """The backend answers /ping within a second (a frozen one fails here, not hangs)."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(f"{app_url}/ping", timeout=1) as response:
            assert response.status == 200
    except OSError as error:
        raise AssertionError(f"the backend stopped answering after {after!r}: {error}") from None
    assert time.monotonic() - started < 1, f"/ping took over a second after {after!r}"


def copy(page: Page, text: str) -> None:
    """Copy from the message's menu, and wait for the menu to close (a tap while it is
    still closing lands on nothing)."""
    message_action(page, text, "Copy")
    expect(page.get_by_role("menu")).to_have_count(0)


def _open(browser: Browser, app_url: str, viewport: str, username: str) -> Page:
    page = open_as(browser, app_url, viewport, username)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_url)
    return page


def _body(page: Page, text: str):
    """The body of the message whose text is exactly ``text``."""
    bodies = page.get_by_role("list", name="Messages").locator(".wa-body")
    return bodies.filter(has_text=re.compile("^" + re.escape(text) + "$"))


def _alice_in_a_chat(browser: Browser, app_url: str, viewport: str) -> tuple[Page, int, int]:
    """Alice on her chat with Bob, allowed to use the clipboard: (page, her id, chat id)."""
    alice_name, alice_id = person("alice", "Alice")
    _, bob_id = person("bob", "Bob")
    chat_id = direct_chats.open_direct_chat(user_id=alice_id, other_user_id=bob_id)
    page = _open(browser, app_url, viewport, alice_name)
    page.goto(f"/chat/{chat_id}")
    return page, alice_id, chat_id


def test_messages_that_look_like_code_are_sent_copied_quoted_and_edited(
    browser: Browser, app_url: str, viewport: str
) -> None:
    page, alice_id, chat_id = _alice_in_a_chat(browser, app_url, viewport)
    box = page.get_by_role("textbox", name="Type a message")

    for number, payload in enumerate(PAYLOADS):
        text = f"{number} {payload} end"
        box.fill(text)
        box.press("Enter")
        if payload in REFUSED:
            expect(page.get_by_role("alert")).to_have_text(CONTROL_REFUSAL)
            backend_answers_quickly(app_url, text)
            expect(box).to_have_value(text)  # kept, to be fixed
            box.fill("")
            continue
        expect(_body(page, text)).to_have_count(1)
        expect(box).to_have_value("")
        expect(page.get_by_label("Pending")).to_have_count(0)  # shown at once, then stored
        backend_answers_quickly(app_url, text)
        stored = history.load_latest(user_id=alice_id, chat_id=chat_id).messages[-1]
        assert stored.body == text

        copy(page, text)
        backend_answers_quickly(app_url, f"Copy of {text}")
        expect_clipboard(page, text)

        message_action(page, text, "Reply")
        backend_answers_quickly(app_url, f"Reply to {text}")
        banner = page.get_by_role("button", name="Cancel reply").locator("..")
        expect(banner).to_contain_text(text)
        reply = f"re {number}"
        box.fill(reply)
        box.press("Enter")
        quote = message(page, reply).get_by_role("button", name="Show the quoted message")
        expect(quote).to_contain_text(text)
        backend_answers_quickly(app_url, reply)

        message_action(page, text, "Edit")
        editor = page.get_by_role("textbox", name="Edited message")
        expect(editor).to_have_value(text)
        backend_answers_quickly(app_url, f"Edit of {text}")
        edited = f"{text} {payload}"
        editor.fill(edited)
        page.get_by_role("button", name="Save").click()
        expect(_body(page, edited)).to_have_count(1)
        backend_answers_quickly(app_url, edited)

    page.reload()  # stored, not just shown
    for number, payload in enumerate(PAYLOADS):
        if payload not in REFUSED:
            expect(_body(page, f"{number} {payload} end {payload}")).to_have_count(1)
    page.context.close()


def test_captions_and_file_names_that_look_like_code(
    browser: Browser, app_url: str, viewport: str
) -> None:
    page, alice_id, chat_id = _alice_in_a_chat(browser, app_url, viewport)

    for number, payload in enumerate(PAYLOADS):
        caption = f"{number} {payload} caption"
        name = f"note {payload}.txt"
        page.get_by_role("button", name="Attach").click()
        page.locator("#attachments input[type=file]").set_input_files(
            {"name": name, "mimeType": "text/plain", "buffer": f"note {number}\n".encode()}
        )
        page.get_by_label("Caption").fill(caption)
        page.get_by_role("button", name="Send", exact=True).click()
        if payload in REFUSED:
            expect(page.get_by_role("dialog").get_by_text(CONTROL_REFUSAL)).to_be_visible()
            backend_answers_quickly(app_url, caption)
            page.keyboard.press("Escape")
            continue
        expect(_body(page, caption)).to_have_count(1)
        backend_answers_quickly(app_url, caption)
        stored = history.load_latest(user_id=alice_id, chat_id=chat_id).messages[-1]
        assert stored.body == caption
        shown_name = stored.attachments[0].name
        assert payload.replace("/", "") in shown_name or "/" in payload
        link = message(page, caption).get_by_role("link", name=f"Download {shown_name}")
        expect(link).to_be_visible()

        copy(page, caption)
        expect_clipboard(page, caption)
        backend_answers_quickly(app_url, f"Copy of {caption}")
    page.context.close()


def _open_profile(page: Page, viewport: str):
    if viewport == "desktop":
        page.get_by_role("button", name="Your profile").click()
    else:
        page.get_by_role("button", name="Menu").click()
        page.get_by_role("menuitem", name="Profile").click()
    return page.get_by_role("dialog", name="Profile")


def test_names_titles_and_searches_that_look_like_code(
    browser: Browser, app_url: str, viewport: str
) -> None:
    ann_name, ann_id = person("ann", "Ann Field")
    suffix = uuid.uuid4().hex[:6]
    bea_display = f"Bea {suffix}"
    person("bea", bea_display)
    page = _open(browser, app_url, viewport, ann_name)

    panel = _open_profile(page, viewport)
    for number, payload in enumerate(PAYLOADS):
        name, about = f"Ann {number} {payload}", f"About {payload}"
        panel.get_by_label("Your name").fill(name)
        panel.get_by_label("About").fill(about)
        panel.get_by_role("button", name="Save").click()
        if payload in REFUSED:
            expect(panel.get_by_text(CONTROL_REFUSAL).first).to_be_visible()
            backend_answers_quickly(app_url, name)
            continue
        expect(panel.get_by_role("status")).to_have_text("Saved.")
        backend_answers_quickly(app_url, name)
        # "Saved." may still be the previous save's while this one is on its way.
        for _ in range(100):
            profile = people.get_profile(user_id=ann_id)
            if (profile.display_name, profile.about) == (name, about):
                break
            page.wait_for_timeout(100)
        assert (profile.display_name, profile.about) == (name, about)
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    page.reload()
    panel = _open_profile(page, viewport)
    last = PAYLOADS[-1]
    expect(panel.get_by_label("Your name")).to_have_value(f"Ann {len(PAYLOADS) - 1} {last}")
    expect(panel.get_by_label("About")).to_have_value(f"About {last}")
    page.keyboard.press("Escape")

    search = page.get_by_role("textbox", name="Search chats")
    for number, payload in enumerate(PAYLOADS):
        title = f"Crew {number} {payload}"
        page.get_by_role("button", name="New chat").click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_role("button", name="New group").click()
        people_search = dialog.get_by_label("Search people")
        people_search.fill(payload)
        backend_answers_quickly(app_url, f"people search {payload}")
        people_search.fill(f"Bea {suffix}")
        pick = dialog.get_by_role("checkbox", name=bea_display)
        pick.click()
        expect(pick).to_be_checked()
        dialog.get_by_role("button", name="Next").click()
        dialog.get_by_label("Group name").fill(title)
        dialog.get_by_role("button", name="Create group").click()
        if payload in REFUSED:
            expect(dialog.get_by_text(CONTROL_REFUSAL)).to_be_visible()
            backend_answers_quickly(app_url, title)
            page.keyboard.press("Escape")
            expect(dialog).to_be_hidden()
            continue
        expect(page).to_have_url(CHAT_URL)
        banner = page.get_by_role("banner").get_by_text(title, exact=True)
        expect(banner).to_be_visible()
        backend_answers_quickly(app_url, title)

        renamed = f"{title} again"
        page.get_by_role("button", name="Chat info").click()
        info = page.get_by_role("dialog", name="Group info")
        info.get_by_role("button", name="Edit group name").click()
        info.get_by_label("Group name", exact=True).fill(renamed)
        info.get_by_role("button", name="Save").click()
        expect(info.get_by_role("heading", name=renamed, exact=True)).to_be_visible()
        backend_answers_quickly(app_url, renamed)
        page.keyboard.press("Escape")
        expect(info).to_be_hidden()

        page.goto("/")
        search.fill(payload)
        backend_answers_quickly(app_url, f"chat search {payload}")
        rows = page.get_by_role("list", name="Chats").get_by_role("listitem")
        expect(rows.filter(has_text=renamed)).to_have_count(1)
        search.fill("")

    titles = {row.name for row in chat_list.list_chats(user_id=ann_id)}
    for number, payload in enumerate(PAYLOADS):
        if payload not in REFUSED:
            assert f"Crew {number} {payload} again" in titles
    page.context.close()


def test_sign_up_with_a_display_name_that_looks_like_code(
    browser: Browser, app_url: str, viewport: str
) -> None:
    for number, payload in enumerate(PAYLOADS):
        context = person_context(browser, app_url, viewport)
        page = context.new_page()
        username = unique_username(f"p{number}")
        display_name = f"Pat {payload}"
        sign_up(page, username, display_name)
        if payload in REFUSED:
            expect(page.get_by_text(CONTROL_REFUSAL)).to_be_visible()
            backend_answers_quickly(app_url, display_name)
        else:
            expect(page.get_by_role("list", name="Chats")).to_be_visible()
            backend_answers_quickly(app_url, display_name)
            found = people.search_people(user_id=0, query=username)
            assert [p.display_name for p in found] == [display_name]
        context.close()


# --- every handler that takes text, over the page's own socket ---------------------------


class EventSocket:
    """The page's Reflex socket, with events written by hand sent on it as the page would.

    The last event the page sent gives the frame's shape (socket.io packet,
    token, router data of the page on screen); an injected one differs only in
    name and payload.
    """

    def __init__(self, page: Page) -> None:
        # The socket that carried the page's last event (a page may also open a spare
        # one it never uses), with that event's packet prefix and body.
        self.last: tuple[WebSocketRoute, str, dict[str, Any]] | None = None
        self.replies = 0  # event frames the server has sent the page
        page.context.route_web_socket(re.compile(r"/_event"), self._route)

    def _route(self, socket: WebSocketRoute) -> None:
        server = socket.connect_to_server()

        def to_server(frame: str | bytes) -> None:
            packet = isinstance(frame, str) and re.match(r"^(42(?:/[^,\[]*,)?)(\[.*)$", frame, re.S)
            if packet:
                name, event = json.loads(packet.group(2))[:2]
                if name == "event":
                    self.last = (server, packet.group(1), event)
            server.send(frame)

        def to_page(frame: str | bytes) -> None:
            if isinstance(frame, str) and frame.startswith("42"):
                self.replies += 1
            socket.send(frame)

        socket.on_message(to_server)
        server.on_message(to_page)

    def wait_for_event_from(self, page: Page, path: str) -> None:
        """Until the page on ``path`` has sent an event (its router data is then right)."""
        for _ in range(100):
            if self.last is not None and path in json.dumps(self.last[2].get("router_data")):
                return
            page.wait_for_timeout(100)
        raise AssertionError(f"the page on {path} sent no event")

    def send(self, page: Page, name: str, payload: dict[str, Any]) -> None:
        """Send one event and wait for the server's answer to it, as the page would."""
        assert self.last is not None, "the page sent no event"
        server, packet, event = self.last
        replies = self.replies
        server.send(packet + json.dumps(["event", {**event, "name": name, "payload": payload}]))
        for _ in range(25):
            if self.replies > replies:
                return
            page.wait_for_timeout(20)


FORM_FIELDS = ("body", "caption", "title", "display_name", "about", "username", "password")


def text_handlers() -> list[tuple[str, Callable, dict[str, type]]]:
    """Every handler of every app state whose arguments include text, from Reflex's registry
    (so one added later is covered without touching this test)."""
    from reflex.state import State

    import chat_app.chat_app  # noqa: F401  (registers every state)

    found = []
    stack = [State]
    while stack:
        state = stack.pop()
        stack.extend(state.get_substates())
        if not state.__module__.startswith("chat_app."):
            continue
        for name, handler in state.event_handlers.items():
            hints = typing.get_type_hints(handler.fn)
            hints.pop("return", None)
            if any(_takes_text(kind) for kind in hints.values()):
                found.append((f"{state.get_full_name()}.{name}", handler.fn, hints))
    return found


def _takes_text(kind: Any) -> bool:
    origin = typing.get_origin(kind) or kind
    return origin in (str, dict) or kind is Any


def _arguments(hints: dict[str, Any], text: str) -> dict[str, Any]:
    args: dict[str, Any] = {}
    for name, kind in hints.items():
        origin = typing.get_origin(kind) or kind
        if origin is dict or kind is Any:
            args[name] = dict.fromkeys(FORM_FIELDS, text)
        elif origin is str:
            args[name] = text
        elif origin is bool:
            args[name] = True
        elif origin is int:
            args[name] = 1
        else:
            args[name] = None
    return args


def test_every_handler_that_takes_text_survives_code_like_text(
    browser: Browser, app_url: str
) -> None:
    alice_name, alice_id = person("alice", "Alice")
    _, bob_id = person("bob", "Bob")
    chat_id = direct_chats.open_direct_chat(user_id=alice_id, other_user_id=bob_id)
    context = person_context(browser, app_url, "desktop")
    page = context.new_page()
    socket = EventSocket(page)
    sign_in(page, alice_name)
    expect(page.get_by_role("list", name="Chats")).to_be_visible()
    page.goto(f"/chat/{chat_id}")
    expect(page.get_by_role("textbox", name="Type a message")).to_be_visible()
    socket.wait_for_event_from(page, f"/chat/{chat_id}")

    handlers = text_handlers()
    names = {
        name.rsplit(".", 2)[-2].rsplit("____", 1)[-1] + "." + name.rsplit(".", 1)[-1]
        for name, _, _ in handlers
    }
    # The ones found include the forms a person fills in (a canary for the enumeration).
    assert {
        "conversation_state.send_text",
        "conversation_state.keep_draft",
        "message_actions_state.save_edit",
        "profile_state.save",
        "new_chat_state.create_group",
        "chat_info_state.save_title",
        "sign_up_state.submit",
        "new_chat_state.picker_search",
    } <= names, names
    for name, _, hints in handlers:
        for payload in PAYLOADS:
            socket.send(page, name, _arguments(hints, f"hi {payload}"))
            backend_answers_quickly(app_url, f"{name} with {payload!r}")

    page.wait_for_timeout(500)  # the last events' follow-ups
    backend_answers_quickly(app_url, "the last event")
    # A form that made a group moved the page there, so later sends went to it.
    where: dict[str, int] = {}
    for row in chat_list.list_chats(user_id=alice_id):
        for view in history.load_latest(user_id=alice_id, chat_id=row.chat_id).messages:
            where.setdefault(view.body, row.chat_id)
    for payload in PAYLOADS:
        if payload not in REFUSED:
            assert f"hi {payload}" in where, payload
    context.close()
    # Shown exactly as sent, to whoever opens the chat next.
    again = open_as(browser, app_url, "desktop", alice_name)
    for payload in PAYLOADS:
        if payload not in REFUSED:
            again.goto(f"/chat/{where[f'hi {payload}']}")
            expect(_body(again, f"hi {payload}")).to_have_count(1)
    again.context.close()
