"""Every event handler, called over the app's own socket by someone without a session.

The handlers are enumerated from Reflex's registry of the app, so a handler
added later is covered without touching this file. Each is called over a real
``/_event`` socket.io connection to the running app, speaking the protocol the
way ``.web/utils/state.js`` does (the token as a query parameter, the page's
start-up event in the CONNECT packet, events as ``event`` messages), from:

(a) an anonymous socket that never signed in;
(b) a tab that signed in and then signed out;
(c) a closed tab's client token, reconnected without the page's start-up event
    (its old state still remembers who was signed in);
(d) a tab whose session was ended elsewhere ("Log out" on another device).

No delta may carry anyone's data (names, usernames, message text, file or
avatar links, the token), and no table or upload folder may change.
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import threading
import time
import typing
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import socketio
from reflex.state import State
from reflex_base.constants.state import FIELD_MARKER
from reflex_base.registry import RegistrationContext
from reflex_base.utils.format import format_event_handler
from sqlalchemy import text
from sqlmodel import SQLModel

import chat_app.chat_app  # noqa: F401  (the app: every state class and handler registers)
from chat_app import access_tokens
from chat_app.database import get_engine
from chat_app.services import people, sessions
from chat_app.settings import get_settings
from chat_app.state.chat_list import ChatListState
from chat_app.state.new_chat import NewChatState
from chat_app.state.session import SessionState
from tests import sample_files as samples
from tests.chat_factories import make_users, send
from tests.factories import make_direct_chat, make_token

# Tables the realtime service rewrites on its own (heartbeats), whatever the app does.
BACKGROUND_TABLES = {"realtime_instances", "presence_sessions"}
QUIET_S = 0.35
# Reflex's socket.io namespace and engine.io path (the page connects to <backend>/_event).
NAMESPACE = "/_event"
WORKERS = 6


@dataclasses.dataclass
class World:
    alice_id: int
    bob_id: int
    chat_id: int
    message_id: int
    markers: list[str]
    # Text arguments: the first letters of everyone's usernames here, so a search finds them.
    search: str = "zq"


def _registry() -> dict[str, Any]:
    """Reflex's registry of every event handler of every state class of the app
    (importing the app module defines and registers every one of them)."""
    return dict(RegistrationContext.get().event_handlers)


def _token_key() -> str:
    return f"{SessionState.get_full_name()}.token{FIELD_MARKER}"


def _state_name() -> str:
    return State.get_full_name()


def _argument(name: str, hint: Any, world: World) -> Any:
    """A plausible, real argument: real ids, so a handler that forgot to check who
    asks would find something to show."""
    origin = typing.get_origin(hint) or hint
    if origin is int:
        if "chat" in name:
            return world.chat_id
        if "message" in name:
            return world.message_id
        return world.bob_id
    if origin is bool:
        return True
    if origin is str:
        return world.search
    if origin is dict:
        return {
            "chat_id": world.chat_id,
            "user_id": world.bob_id,
            "message_id": world.message_id,
            "visible": True,
            "reason": "connected",
            "body": "guard probe",
            "title": "guard probe",
            "display_name": "guard probe",
            "about": "guard probe",
            "client_msg_id": "c-guardprobe1",
            "type": "event",
            "id": 1,
            "kind": "message.created",
            "data": {"chat_id": world.chat_id, "message_id": world.message_id},
        }
    if origin is list:
        return []
    return world.search


def _payload(handler: Any, world: World) -> dict[str, Any]:
    fn = handler.fn
    try:
        hints = typing.get_type_hints(fn)
    except Exception:
        hints = {}
    params = list(inspect.signature(fn).parameters.values())[1:]
    payload = {}
    for param in params:
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        payload[param.name] = _argument(param.name, hints.get(param.name, str), world)
    return payload


class RawTab:
    """One browser tab, as far as the backend can tell: a client token and a socket."""

    def __init__(self, base_url: str, client_token: str | None = None) -> None:
        self.base_url = base_url
        self.client_token = client_token or str(uuid.uuid4())
        self.received: list[str] = []
        self._last = time.monotonic()
        self._lock = threading.Lock()
        self.sio: socketio.Client | None = None
        self._flip = False

    def connect(self, *, boot: bool, token: str = "") -> None:
        sio = socketio.Client(reconnection=False)

        @sio.on("event", namespace=NAMESPACE)
        def _on_event(data: Any) -> None:
            with self._lock:
                self.received.append(json.dumps(data))
                self._last = time.monotonic()

        auth_packet = None
        if boot:
            event = {
                "name": f"{_state_name()}.hydrate_and_load",
                "payload": {"vars": {_token_key(): token}} if token else {},
                "router_data": {"pathname": "/", "asPath": "/"},
            }
            auth_packet = {"event": event}
        sio.connect(
            f"{self.base_url}?token={self.client_token}",
            socketio_path=NAMESPACE,
            transports=["websocket"],
            namespaces=[NAMESPACE],
            auth=auth_packet,
            wait_timeout=10,
        )
        self.sio = sio
        if boot:  # the start-up event answers with the page's state: the protocol works
            self._wait_for(lambda text: "delta" in text, 0)
        self.wait_quiet()

    def call(self, name: str, payload: dict[str, Any]) -> str:
        """Send one event; everything the backend answered to it.

        A tab's events are handled one after another, so a marker event sent right
        after it (``set_is_hydrated``, flipped each time so it always answers) says
        when it is done; a short quiet spell then catches the events it chained."""
        assert self.sio is not None
        with self._lock:
            start = len(self.received)
        self._emit(name, payload)
        self._flip = not self._flip
        marker = f'"is_hydrated{FIELD_MARKER}": {json.dumps(self._flip)}'
        self._emit(f"{_state_name()}.set_is_hydrated", {"value": self._flip})
        self._wait_for(lambda text: marker in text, start)
        self.wait_quiet()
        with self._lock:
            return "\n".join(self.received[start:])

    def _emit(self, name: str, payload: dict[str, Any]) -> None:
        assert self.sio is not None
        self.sio.emit(
            "event",
            {"name": name, "payload": payload, "router_data": {"pathname": "/", "asPath": "/"}},
            namespace=NAMESPACE,
        )

    def _wait_for(self, seen: Any, start: int, limit: float = 30.0) -> None:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            with self._lock:
                if any(seen(text) for text in self.received[start:]):
                    return
            time.sleep(0.02)
        raise AssertionError("the backend did not answer the marker event")

    def wait_quiet(self, quiet: float = QUIET_S, limit: float = 8.0) -> None:
        started = time.monotonic()
        time.sleep(quiet)
        while time.monotonic() - started < limit:
            with self._lock:
                idle = time.monotonic() - self._last
            if idle >= quiet:
                return
            time.sleep(0.05)

    def close(self) -> None:
        if self.sio is not None:
            self.sio.disconnect()
            self.sio = None


def _snapshot(upload_dir: Path) -> tuple[dict[str, tuple[int, str]], list[str]]:
    """Rows of every table (count and a digest of their content) and every stored file."""
    tables = {}
    with get_engine().connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            if table.name in BACKGROUND_TABLES:
                continue
            count, digest = connection.execute(
                text(
                    "SELECT count(*), "
                    "coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') "
                    f'FROM "{table.name}" t'
                )
            ).one()
            tables[table.name] = (count, digest)
    files = sorted(str(p.relative_to(upload_dir)) for p in upload_dir.rglob("*") if p.is_file())
    return tables, files


@pytest.fixture
def world(db: Any) -> World:
    suffix = uuid.uuid4().hex[:6]
    alice, bob = make_users(db, f"zqa{suffix}", f"zqb{suffix}")
    people.update_profile(user_id=alice.id, display_name=f"Zq Alicename {suffix}", about="")
    people.update_profile(user_id=bob.id, display_name=f"Zq Bobname {suffix}", about="")
    people.set_profile_photo(user_id=bob.id, data=samples.png())
    chat = make_direct_chat(db, alice, bob)
    sent = send(bob, chat.id, f"zq secret message {suffix}")
    return World(
        alice_id=alice.id,
        bob_id=bob.id,
        chat_id=chat.id,
        message_id=sent.message_id,
        markers=[
            f"zqa{suffix}",
            f"zqb{suffix}",
            f"Alicename {suffix}",
            f"Bobname {suffix}",
            f"secret message {suffix}",
            "/avatars/",
            "/files/",
        ],
    )


def _name(state: Any, handler: str) -> str:
    return format_event_handler(state.event_handlers[handler])


def _chat_list_refresh() -> str:
    return _name(ChatListState, "refresh")


def _signed_in_tab(app_url: str, world: World) -> tuple[RawTab, str]:
    """A tab signed in as Alice, proven to see her chats (so the probe can see data)."""
    token = make_token(None, world.alice_id)
    tab = RawTab(app_url)
    tab.connect(boot=True, token=token)
    tab.call(_chat_list_refresh(), {})
    seen = "\n".join(tab.received)  # the page's on_load may have loaded the rows first
    assert world.markers[3] in seen, seen[-500:]
    return tab, token


def _prepare(kind: str, app_url: str, world: World) -> tuple[RawTab, list[str]]:
    """A tab in one of the four conditions, and the extra secrets it must not echo."""
    if kind == "anonymous":
        tab = RawTab(app_url)
        tab.connect(boot=True)
        return tab, []
    tab, token = _signed_in_tab(app_url, world)
    if kind == "signed_out":
        tab.call(_name(SessionState, "sign_out"), {})
    elif kind == "closed_tab":
        tab.close()
        reused = RawTab(app_url, client_token=tab.client_token)
        reused.connect(boot=False)  # no start-up event: no token on this socket
        tab = reused
    elif kind == "revoked_elsewhere":
        sessions.revoke(
            user_id=world.alice_id, session_id=access_tokens.verify_token(token).session_id
        )
    return tab, [token]


@contextmanager
def _unchanged(upload_dir: Path) -> Iterator[None]:
    before = _snapshot(upload_dir)
    yield
    after = _snapshot(upload_dir)
    changed = {name for name in before[0] if before[0][name] != after[0].get(name)}
    assert not changed, f"tables written: {sorted(changed)}"
    assert before[1] == after[1], "files written to the uploads folder"


def _probe(kind: str, app_url: str, world: World, handlers: dict[str, Any]) -> dict[str, list[str]]:
    """Call every handler, each on a fresh tab in the condition; what leaked, by handler."""
    tabs = {}
    with ThreadPoolExecutor(WORKERS) as pool:
        prepared = pool.map(lambda name: (name, _prepare(kind, app_url, world)), handlers)
        tabs = dict(prepared)

    def call(name: str) -> tuple[str, list[str]]:
        tab, secrets = tabs[name]
        answer = tab.call(name, _payload(handlers[name].handler, world))
        tab.close()
        return name, [m for m in world.markers + secrets if m in answer]

    upload_dir = get_settings().upload_dir
    with _unchanged(upload_dir), ThreadPoolExecutor(WORKERS) as pool:
        results = dict(pool.map(call, handlers))
    return {name: found for name, found in results.items() if found}


@pytest.mark.parametrize("kind", ["anonymous", "signed_out", "closed_tab", "revoked_elsewhere"])
def test_no_handler_serves_or_changes_anything_without_a_live_session(
    app_url: str, world: World, kind: str
) -> None:
    handlers = _registry()
    assert len(handlers) > 100  # the whole app, not a sample

    leaked = _probe(kind, app_url, world, handlers)

    assert leaked == {}, f"handlers that answered with someone's data: {leaked}"


def test_the_probe_sees_data_on_a_live_session(app_url: str, world: World) -> None:
    """The baseline the test above relies on: the same calls on a live session do show data."""
    tab, _token = _signed_in_tab(app_url, world)

    found = tab.call(_name(NewChatState, "picker_search"), {"value": "zq"})
    tab.close()
    assert world.markers[1] in found or world.markers[3] in found
