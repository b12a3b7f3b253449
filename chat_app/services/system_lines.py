"""Group system lines ("Carol added Dan") stored as what happened, worded per reader.

A system line's body holds its event as JSON: what happened, the names of the
people it happened to (as they were then) and a title. Its actor is the
message's sender. Each reader gets the words from that: the actor reads "You
created group …" and the person added reads "Carol added you", while everyone
else reads the names. Lines stored as plain text before this keep their text.
"""

from __future__ import annotations

import json
from typing import Any

from chat_app.services.previews import DELETED_ACCOUNT

CREATED = "created"
ADDED = "added"
RENAMED = "renamed"
PICTURE = "picture"
REMOVED = "removed"
PROMOTED = "promoted"
LEFT = "left"
NOW_ADMIN = "now_admin"


def encode(
    event: str, *, actor_name: str, targets: dict[int, str] | None = None, title: str = ""
) -> str:
    """The stored body of a system line: ``targets`` maps the people it names to
    their names at the time (an actor or target who later deletes the account
    is still named as they were)."""
    people = [{"id": user_id, "name": name} for user_id, name in (targets or {}).items()]
    return json.dumps(
        {"event": event, "actor_name": actor_name, "targets": people, "title": title},
        ensure_ascii=False,
    )


def _joined(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _decode(body: str) -> dict[str, Any] | None:
    if not body.startswith("{"):
        return None
    try:
        data = json.loads(body)
    except ValueError:
        return None
    return data if isinstance(data, dict) and isinstance(data.get("event"), str) else None


def wording(body: str, *, actor_id: int | None, viewer_id: int) -> str:
    """What ``viewer_id`` reads for a system line whose actor is ``actor_id``."""
    data = _decode(body)
    if data is None:
        return body
    actor = "You" if actor_id == viewer_id else str(data.get("actor_name") or DELETED_ACCOUNT)
    people = [p for p in data.get("targets", []) if isinstance(p, dict)]
    named = [
        "you" if p.get("id") == viewer_id else str(p.get("name") or DELETED_ACCOUNT) for p in people
    ]
    target = _joined(named) if named else ""
    title = str(data.get("title", ""))
    event = data["event"]
    if event == NOW_ADMIN:
        return "You're now an admin" if target == "you" else f"{target} is now an admin"
    words = {
        CREATED: f'{actor} created group "{title}"',
        ADDED: f"{actor} added {target}",
        RENAMED: f'{actor} renamed the group to "{title}"',
        PICTURE: f"{actor} changed the group picture",
        REMOVED: f"{actor} removed {target}",
        PROMOTED: f"{actor} made {target} an admin",
        LEFT: f"{actor} left",
    }
    return words.get(event, "")
