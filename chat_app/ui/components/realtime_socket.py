"""The realtime link (assets/realtime_socket.jsx) as a component, wired to its controller.

It renders nothing while connected and a small "Connecting…" notice while not.
"""

from __future__ import annotations

import reflex as rx
from reflex.event import passthrough_event_spec

from chat_app.state.live import LiveState
from chat_app.state.session import SessionState


class RealtimeSocket(rx.Component):
    library = "$/public/realtime_socket.jsx"
    tag = "RealtimeSocket"

    token: rx.Var[str]

    on_event: rx.EventHandler[passthrough_event_spec(dict)]
    on_resync: rx.EventHandler[passthrough_event_spec(dict)]
    on_typing_stopped: rx.EventHandler[passthrough_event_spec(dict)]
    on_visibility: rx.EventHandler[passthrough_event_spec(dict)]
    on_auth_failed: rx.EventHandler[passthrough_event_spec(dict)]


def realtime_socket() -> rx.Component:
    return RealtimeSocket.create(
        token=SessionState.token,
        on_event=LiveState.receive,
        on_resync=LiveState.resync,
        on_typing_stopped=LiveState.typing_stopped,
        on_visibility=LiveState.visibility,
        on_auth_failed=LiveState.auth_failed,
    )
