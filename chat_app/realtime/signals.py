"""Ephemeral signals between realtime instances, carried as NOTIFY payloads.

An empty payload on the events channel is a wake-up (read the outbox); any
other payload is one signal, ``{"kind": <event kind>, ...its payload}``. Signals
are never stored and never resumed: a client that misses one sees the state
on its next reload. Each instance turns a signal into an event with a null id
for its own sockets.
"""

from __future__ import annotations

import json

from pydantic import ValidationError

from chat_app.protocol import EventKind, Presence, Typing, validate_payload

Signal = Typing | Presence

_KINDS: dict[type[Signal], EventKind] = {
    Typing: EventKind.TYPING,
    Presence: EventKind.PRESENCE,
}


def encode(signal: Signal) -> str:
    """The NOTIFY payload for ``signal`` (well under PostgreSQL's 8,000-byte limit)."""
    return json.dumps({"kind": _KINDS[type(signal)].value, **signal.model_dump(mode="json")})


def decode(payload: str) -> tuple[EventKind, Signal] | None:
    """The signal's kind and payload, or None for anything this version does not know."""
    try:
        fields = json.loads(payload)
        kind = EventKind(fields.pop("kind"))
        signal = validate_payload(kind, fields)
    except (ValueError, KeyError, TypeError, AttributeError, ValidationError):
        return None
    if not isinstance(signal, Typing | Presence):
        return None
    return kind, signal
