"""Appending realtime events, always inside the caller's transaction.

Each payload is checked against its kind's model in :mod:`chat_app.protocol`
before it is stored, so a service that publishes a wrong shape fails in its
own tests instead of in a browser. The session is marked so that
:func:`chat_app.database.unit_of_work` sends the wake-up once it has committed.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from chat_app.notifier import mark_events_added
from chat_app.protocol import EventKind, validate_payload
from chat_app.repositories import events as events_repo


def publish(
    session: Session,
    kind: EventKind,
    *,
    chat_id: int | None,
    recipient_ids: list[int] | None = None,
    **payload: Any,
) -> None:
    """Append one event; raises ``pydantic.ValidationError`` when the payload does not fit."""
    data = {"chat_id": chat_id, **payload} if chat_id is not None else payload
    checked = validate_payload(kind, data)
    events_repo.create(
        session=session,
        kind=kind.value,
        chat_id=chat_id,
        payload=checked.model_dump(mode="json", exclude_unset=True),
        recipient_ids=recipient_ids,
    )
    mark_events_added(session)
