"""Whether someone is online, or when they were last seen, for a conversation header.

The realtime service keeps presence in PostgreSQL (see
:mod:`chat_app.repositories.presence`); this only reads it. Presence is shown
to people who share a chat with the person (and to the person): anyone else
gets the same NotFound as for someone who does not exist, so presence cannot
be used to watch strangers or probe ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from chat_app.database import unit_of_work
from chat_app.repositories import presence as presence_repo
from chat_app.services.errors import NotFound

PERSON_NOT_FOUND = "This person does not exist or shares no chat with you."


@dataclass(frozen=True)
class PresenceView:
    online: bool
    # When they were last connected; None while online, or if they never were.
    last_seen_at: datetime | None


def presence_of(*, viewer_id: int, user_id: int) -> PresenceView:
    with unit_of_work() as session:
        if viewer_id != user_id and not presence_repo.sharing_a_chat(
            session=session, user_ids=[user_id], among=[viewer_id]
        ):
            raise NotFound(PERSON_NOT_FOUND)
        found = presence_repo.presence_of_user(session=session, user_id=user_id)
    if found is None:
        raise NotFound(PERSON_NOT_FOUND)
    online, last_seen_at = found
    return PresenceView(online=online, last_seen_at=last_seen_at)
