"""One guard in front of every event handler: who is asking, checked on every event.

Reflex runs each app middleware's ``preprocess`` before every event it takes,
from a socket, an upload or a chained ``yield``, whatever the handler and
whenever it was added; a middleware that returns an update stops the event
there. :class:`SessionGuard` is that middleware (registered in ``chat_app.py``):

1. A token is trusted only on the socket that brought it: the page's start-up
   event (``hydrate_and_load``) and a synced localStorage change
   (``update_vars_internal``) carry it, and signing in on this socket sets it.
   A reused client token of a closed tab, reconnected without the start-up
   event, has no token on its socket, whatever its old state held.
2. The token must name a session that still counts: ``auth.session_user``
   (one primary-key lookup of the session joined to its person).
3. Without a verified session the tab's state is wiped (no cached names,
   rows or links survive) and, unless the handler is on the short
   :func:`anonymous_handlers` allow-list, the event is dropped: nothing ran,
   and the page is sent to sign-in.

The handlers then read ``SessionState.user_id``, set here, as before, and the
file and avatar links they make name the verified session (``media_links``).
"""

from __future__ import annotations

import asyncio
import functools
from typing import TYPE_CHECKING, Any

import reflex as rx
from reflex.middleware import Middleware
from reflex.state import (
    FrontendEventExceptionState,
    OnLoadInternalState,
    State,
    StateUpdate,
    UpdateVarsInternalState,
)
from reflex_base.constants.state import FIELD_MARKER
from reflex_base.event import Event
from reflex_base.event.context import EventContext
from reflex_base.utils.format import format_event_handler

from chat_app.routes import chat_id_in_path, sign_in_route
from chat_app.services import auth, media_links
from chat_app.services.errors import NotAuthenticated
from chat_app.state.auth_forms import SignInState, SignUpState
from chat_app.state.session import SessionState, wipe

if TYPE_CHECKING:
    from reflex.app import App
    from reflex.state import BaseState

# Events that carry the browser's stored token (the page start-up event always
# does: no key means no token; a storage sync only when it changed).
_BOOT = ("hydrate", "hydrate_and_load")
# Reflex's page sends its start-up event again, over the same socket, once a
# session-storage key is removed: the one way a server can ask for it. This key
# is never written, so removing it changes nothing else.
_BOOT_AGAIN_KEY = "chat_app_boot_again"
# The outbox sends what waited now, after that start-up, not at its next retry.
_RESEND_JS = "window.dispatchEvent(new Event('chat-app-available'))"


@functools.cache
def anonymous_handlers() -> frozenset[str]:
    """The only handlers that run without a verified session: Reflex's own page
    start-up and storage sync, the on_load redirects, sign-out, and the sign-in
    and sign-up forms. None of them reads or writes anyone's data."""
    allowed = [
        (State, "hydrate"),
        (State, "hydrate_and_load"),
        (State, "set_is_hydrated"),
        (OnLoadInternalState, "on_load_internal"),
        (OnLoadInternalState, "set_is_hydrated"),
        (UpdateVarsInternalState, "update_vars_internal"),
        (FrontendEventExceptionState, "handle_frontend_exception"),
        (SessionState, "require_session"),
        (SessionState, "skip_if_signed_in"),
        (SessionState, "sign_out"),
        (SignInState, "submit"),
        (SignUpState, "submit"),
    ]
    return frozenset(format_event_handler(cls.event_handlers[name]) for cls, name in allowed)


@functools.cache
def _token_key() -> tuple[str, str]:
    return SessionState.get_full_name(), "token"


def _carried_token(event: Event) -> str | None:
    """The token an event brings from the browser's storage, or None if it brings none."""
    method = event.name.rpartition(".")[2]
    is_boot = event.name.startswith(State.get_full_name() + ".") and method in _BOOT
    if not is_boot and method != "update_vars_internal":
        return None
    values = event.payload.get("vars") if isinstance(event.payload, dict) else None
    if isinstance(values, dict):
        state_name, var_name = _token_key()
        for key, value in values.items():
            owner, _, name = str(key).rpartition(".")
            if owner == state_name and name.removesuffix(FIELD_MARKER) == var_name:
                return value if isinstance(value, str) else ""
    return "" if is_boot else None


def _verified(token: str) -> auth.SessionUser | None:
    try:
        return auth.session_user(token)
    except NotAuthenticated:
        return None


async def _socket_of(app: App, session: SessionState) -> str:
    """The socket this event came on; for one without (an upload), the tab's socket
    if it is still connected, else ""."""
    sid = EventContext.get().router_data.get("sid", "")
    if sid:
        return sid
    namespace = app.event_namespace
    client_token = session.router.session.client_token
    if namespace is None or not client_token:
        return ""
    if not await namespace._token_manager.is_token_connected(client_token):
        return ""
    return session._token_sid


class SessionGuard(Middleware):
    async def preprocess(self, app: App, state: BaseState, event: Event) -> StateUpdate | None:
        session = await state.get_state(SessionState)
        socket = await _socket_of(app, session)
        carried = _carried_token(event)
        if carried is not None:
            token, on_this_socket = carried, True
        else:
            token = session.token
            on_this_socket = bool(socket) and socket == session._token_sid
        user = await asyncio.to_thread(_verified, token) if token and on_this_socket else None
        booted_sid = socket if carried is not None else session._booted_sid
        if user is not None:
            media_links.use_session(user.session_id)  # links made by this event name it
            if (session.user_id, session._session_id) != (user.id, user.session_id):
                if session.user_id:
                    await wipe(session)  # another person or session: nothing carries over
                session._remember(user)
            if carried is not None:
                session._token_sid = socket
            session._booted_sid = booted_sid
            return None
        media_links.use_session(0)
        if event.name not in anonymous_handlers() and socket and booted_sid != socket:
            return _boot_again()
        if session.user_id or session.token or session._token_sid:
            await wipe(session)
        if carried is not None:
            session._token_sid = socket
        session._booted_sid = booted_sid
        if event.name in anonymous_handlers():
            return None
        return await _refusal(state)


def _boot_again() -> StateUpdate:
    """The server holds no start-up of this page's socket: Redis lost every tab's
    state, say. Instead of signing the person out, the page starts up again on
    its socket with the token the browser stored (the refused event is not run;
    a message it carried is still in the composer's outbox, which sends it again
    after the start-up). Not a reload: the person may be typing, and nothing on
    the page (the composer, the outbox, the realtime link) is lost. The start-up
    is then recorded for this socket, so this happens once, never in a loop.
    Nothing of the state is sent: a fresh state's empty token must not overwrite
    the one in the browser."""
    start_up = rx.remove_session_storage(_BOOT_AGAIN_KEY)
    return StateUpdate(events=Event.from_event_type([start_up, rx.call_script(_RESEND_JS)]))


async def _refusal(state: BaseState) -> StateUpdate:
    """Drop the event: send what the wipe changed and go to sign-in, naming the
    chat the page is on as ``require_session`` does (a chat's on_load chain meets
    both, and whichever redirect lands last must not lose the chat)."""
    root = state._get_root_state()
    try:
        delta = await root._get_resolved_delta()
    finally:
        root._clean()
    chat_id = chat_id_in_path(root.router.url.path)
    redirect: Any = rx.redirect(sign_in_route(chat_id), replace=True)
    return StateUpdate(delta=delta, events=Event.from_event_type(redirect))
