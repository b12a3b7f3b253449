"""Which stored file names a row still points at (attachments, profile and group pictures)."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import text
from sqlmodel import Session

_REFERENCED_SQL = text(
    "SELECT storage_name FROM attachments WHERE storage_name = ANY(:names) "
    "UNION SELECT avatar_path FROM users WHERE avatar_path = ANY(:names) "
    "UNION SELECT avatar_path FROM chats WHERE avatar_path = ANY(:names)"
)


def referenced(*, session: Session, names: Collection[str]) -> set[str]:
    """The names among ``names`` that some row points at."""
    if not names:
        return set()
    rows = session.execute(_REFERENCED_SQL, {"names": list(names)})
    return {row[0] for row in rows}
