"""What a page is told when an event fails on the server.

Registered as ``rx.App(backend_exception_handler=...)`` in ``chat_app.py``.

Reflex's own handler answers every failure with a red "An error occurred.
Contact the website administrator." toast. When Redis or the database cannot
be reached (:func:`outages.is_outage`) that is wrong twice over: nothing is
broken in the app, and the message being sent is still in the composer's
outbox, which sends it again. So the page is told only that the app is
unavailable, and shows its one connection notice (``assets/pwa_support.jsx``)
until the backend answers ``/_health`` again. Any other failure is a fault of
the app and keeps Reflex's toast (and its logged traceback).
"""

# No ``from __future__ import annotations``: Reflex checks the handler's return
# annotation by evaluating it, and a string would be evaluated in its module.

import logging

import reflex as rx
from reflex.app import default_backend_exception_handler
from reflex_base.event import EventSpec

from chat_app.services.outages import is_outage

log = logging.getLogger(__name__)

# A constant script: it names a function pwa_support.jsx puts on the window.
_UNAVAILABLE_JS = "window.chatAppUnavailable && window.chatAppUnavailable()"


def backend_exception_handler(exception: Exception) -> EventSpec | None:
    if is_outage(exception):
        log.warning("an event failed, a service is unreachable: %r", exception)
        return rx.call_script(_UNAVAILABLE_JS)
    return default_backend_exception_handler(exception)
