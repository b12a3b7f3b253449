"""Which page load an event came from, for questions and dialogs that must not
outlive it.

A reload (or a new socket after a drop) connects a new socket, so its id tells
one page load from the next; the address tells one chat from another. Reflex
runs a page's on_load chain on the server after the event that started it, so
a tap made the moment a chat opens can be handled *before* that chat's on_load:
comparing visits, not the order events ran in, is what lets on_load close only
what an earlier page load left open.
"""

from __future__ import annotations

import reflex as rx


def page_visit(state: rx.State) -> str:
    """This page load and address."""
    return f"{state.router.session.session_id} {state.router.url.path}"
