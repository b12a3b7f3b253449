"""The installable app's page side (assets/pwa_support.jsx), wrapped around every page.

It registers the service worker in production builds, clears what the worker
cached when the token goes (sign-out), and shows one notice: "Offline —
reconnecting…" while the network is gone, "Connecting…" while Reflex's socket
is not connected or the server cannot reach Redis or the database.
"""

from __future__ import annotations

import reflex as rx
from reflex_components_core.core.banner import has_connection_errors

from chat_app.state.session import SessionState

# The order among Reflex's own wraps: inside the error boundary (55), around
# the page, where Reflex would put its connection overlay (5; removed in chat_app.py).
APP_WRAP_ORDER = 6


class PwaSupport(rx.Component):
    library = "$/public/pwa_support.jsx"
    tag = "PwaSupport"

    token: rx.Var[str]
    backend_down: rx.Var[bool]


def pwa_support(stateful: bool) -> rx.Component | None:
    """The app wrap: the component whose children become the page."""
    if not stateful:
        return None
    return PwaSupport.create(token=SessionState.token, backend_down=has_connection_errors)
