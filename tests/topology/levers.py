"""The moves the failover tests make, in the order a crash happens to people."""

from __future__ import annotations

from collections.abc import Callable

from tests.app_runner import Service
from tests.stack import Stack
from tests.topology.people import Conversation


def conversation_on(
    stack: Stack, target: Service, open_one: Callable[[], Conversation]
) -> Conversation:
    """A conversation whose sockets all land on ``target``: the other instances of
    its kind are down while the pages connect, then back in Caddy's rotation."""
    kind = stack.backends if target in stack.backends else stack.realtimes
    others = [service for service in kind if service is not target]
    for service in others:
        service.stop()
    chat = open_one()
    for service in others:
        service.start()
    stack.let_proxy_notice()
    return chat


def crash(chat: Conversation, service: Service, socket_kind: str) -> None:
    """SIGKILL ``service`` and wait until both pages have lost the socket it held
    for them (``"event"`` for a backend, ``"realtime"``): a message written in
    the instant a socket dies would go down with it (Reflex does not resend),
    staying unacknowledged in the composer."""
    connected = chat.closed_sockets(socket_kind)
    service.kill()
    chat.wait_until_both_lost(socket_kind, connected)
