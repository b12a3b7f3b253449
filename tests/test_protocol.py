"""The protocol module: the checked-in schema matches, and publishers must fit it."""

from __future__ import annotations

import pydantic
import pytest
from sqlalchemy import Engine

from chat_app.database import unit_of_work
from chat_app.protocol import (
    CLIENT_FRAME,
    PAYLOADS,
    SERVER_FRAME,
    EventKind,
    MessageDeleted,
    MessageUpdated,
    json_schema_text,
)
from chat_app.services.outbox import publish
from chat_app.settings import PROJECT_ROOT
from tests.chat_factories import events


def test_the_checked_in_schema_is_the_codes_export() -> None:
    checked_in = (PROJECT_ROOT / "docs" / "realtime-protocol.json").read_text()
    assert checked_in == json_schema_text(), (
        "run: python -m chat_app.protocol > docs/realtime-protocol.json"
    )


def test_every_event_kind_has_a_payload_model() -> None:
    assert set(PAYLOADS) == set(EventKind)


def test_an_event_is_parsed_by_its_kind_not_by_its_shape() -> None:
    data = {"chat_id": 1, "message_id": 2}
    updated = SERVER_FRAME.validate_python(
        {"type": "event", "v": 1, "id": 5, "kind": "message.updated", "data": data}
    )
    deleted = SERVER_FRAME.validate_python(
        {"type": "event", "v": 1, "id": 6, "kind": "message.deleted", "data": data}
    )
    assert isinstance(updated.data, MessageUpdated)
    assert isinstance(deleted.data, MessageDeleted)


def test_client_frames_refuse_unknown_types_and_fields() -> None:
    with pytest.raises(pydantic.ValidationError):
        CLIENT_FRAME.validate_python({"type": "shout"})
    with pytest.raises(pydantic.ValidationError):
        CLIENT_FRAME.validate_python({"type": "resume", "last_event_id": 1, "chat_id": 2})


def test_publishing_a_payload_that_does_not_fit_raises_and_stores_nothing(db: Engine) -> None:
    with pytest.raises(pydantic.ValidationError), unit_of_work() as session:
        publish(session, EventKind.MESSAGE_CREATED, chat_id=None, message_id=1)
    with pytest.raises(pydantic.ValidationError), unit_of_work() as session:
        publish(session, EventKind.REACTION_CHANGED, chat_id=None, message_id=1, colour="red")
    assert events(db) == []
