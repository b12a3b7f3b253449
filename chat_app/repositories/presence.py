"""Presence in PostgreSQL: realtime instances, their heartbeats, and who is on each.

A person is online while a session row of theirs sits on an instance whose
heartbeat is younger than the TTL, so a crashed instance stops counting by
itself even before anyone sweeps it. Every time is the database's clock, so
instances on machines whose clocks disagree still agree here.

Changes that decide a transition (came online, went offline) lock the
instance row first and then the people's ``users`` rows in id order: two
instances changing the same person take turns, so exactly one of them sees
the transition, and the fixed order rules out deadlocks with a sweep.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import text
from sqlmodel import Session

# How long an instance counts as alive after its last heartbeat, unless told otherwise.
# The realtime service's default and the web app's reads use the same value.
PRESENCE_TTL_S = 30.0

Offline = tuple[int, datetime]  # (user id, last seen at)

_FRESH = "i.heartbeat_at > now() - make_interval(secs => :ttl)"


def _online(user: str) -> str:
    """SQL: ``user`` has a session on an instance whose heartbeat is fresh."""
    return (
        "EXISTS (SELECT 1 FROM presence_sessions s JOIN realtime_instances i "
        f"ON i.id = s.instance_id WHERE s.user_id = {user} AND {_FRESH})"
    )


def register_instance(*, session: Session, instance_id: str) -> None:
    """Add this instance (again, after a sweep took it); a repeat only beats."""
    session.execute(
        text(
            "INSERT INTO realtime_instances (id) VALUES (:id) "
            "ON CONFLICT (id) DO UPDATE SET heartbeat_at = now()"
        ),
        {"id": instance_id},
    )


def heartbeat(*, session: Session, instance_id: str) -> bool:
    """Beat; False when the row is gone (another instance swept this one)."""
    result = session.execute(
        text("UPDATE realtime_instances SET heartbeat_at = now() WHERE id = :id"),
        {"id": instance_id},
    )
    return bool(result.rowcount)


def _hold_instance(session: Session, instance_id: str, *, exclusive: bool = False) -> bool:
    """Lock the instance row (first, always: see the module docstring); False when gone."""
    mode = "UPDATE" if exclusive else "KEY SHARE"
    found = session.execute(
        text(f"SELECT 1 FROM realtime_instances WHERE id = :id FOR {mode}"), {"id": instance_id}
    ).first()
    return found is not None


def _lock_people(session: Session, user_ids: Sequence[int]) -> list[int]:
    """Lock these people's rows in id order; returns the ids that exist."""
    if not user_ids:
        return []
    rows = session.execute(
        text(
            "SELECT id FROM users WHERE id = ANY(CAST(:ids AS bigint[])) "
            "ORDER BY id FOR NO KEY UPDATE"
        ),
        {"ids": list(user_ids)},
    )
    return [int(row[0]) for row in rows]


def _mark_offline(
    session: Session, user_ids: list[int], *, ttl_s: float, seen_at: datetime | None
) -> list[Offline]:
    """Of ``user_ids``, those online nowhere now get ``last_seen_at`` (default: now)."""
    if not user_ids:
        return []
    rows = session.execute(
        text(
            "UPDATE users u SET last_seen_at = "
            "GREATEST(u.last_seen_at, COALESCE(CAST(:seen AS timestamptz), now())) "
            f"WHERE u.id = ANY(CAST(:ids AS bigint[])) AND NOT {_online('u.id')} "
            "RETURNING u.id, u.last_seen_at"
        ),
        {"ids": user_ids, "seen": seen_at, "ttl": ttl_s},
    )
    return sorted((int(user_id), last_seen) for user_id, last_seen in rows)


def add_sessions(
    *, session: Session, instance_id: str, user_ids: Sequence[int], ttl_s: float
) -> list[int] | None:
    """These people have a socket here now; returns who of them was online nowhere before.

    None when the instance's row is gone: it must register again first.
    """
    if not _hold_instance(session, instance_id):
        return None
    people = _lock_people(session, user_ids)
    if not people:
        return []
    came_online = session.execute(
        text(
            f"SELECT p FROM unnest(CAST(:ids AS bigint[])) AS p WHERE NOT {_online('p')} ORDER BY p"
        ),
        {"ids": people, "ttl": ttl_s},
    )
    arrivals = [int(row[0]) for row in came_online]
    session.execute(
        text(
            "INSERT INTO presence_sessions (instance_id, user_id) "
            "SELECT :instance, unnest(CAST(:ids AS bigint[])) ON CONFLICT DO NOTHING"
        ),
        {"instance": instance_id, "ids": people},
    )
    return arrivals


def remove_sessions(
    *, session: Session, instance_id: str, user_ids: Sequence[int], ttl_s: float
) -> list[Offline] | None:
    """These people closed their last socket here; returns who is now online nowhere.

    None when the instance's row is gone (a sweep already took them offline).
    """
    if not _hold_instance(session, instance_id):
        return None
    people = _lock_people(session, user_ids)
    session.execute(
        text(
            "DELETE FROM presence_sessions "
            "WHERE instance_id = :instance AND user_id = ANY(CAST(:ids AS bigint[]))"
        ),
        {"instance": instance_id, "ids": people},
    )
    return _mark_offline(session, people, ttl_s=ttl_s, seen_at=None)


def _retire(
    session: Session, instance_id: str, *, ttl_s: float, seen_at: datetime | None
) -> list[Offline]:
    """Delete a locked instance and its sessions; its people online nowhere else go offline."""
    on_it = session.execute(
        text("SELECT user_id FROM presence_sessions WHERE instance_id = :id"), {"id": instance_id}
    )
    people = _lock_people(session, [int(row[0]) for row in on_it])
    session.execute(text("DELETE FROM realtime_instances WHERE id = :id"), {"id": instance_id})
    return _mark_offline(session, people, ttl_s=ttl_s, seen_at=seen_at)


def retire_instance(*, session: Session, instance_id: str, ttl_s: float) -> list[Offline]:
    """A graceful shutdown: this instance's people are last seen now."""
    if not _hold_instance(session, instance_id, exclusive=True):
        return []
    return _retire(session, instance_id, ttl_s=ttl_s, seen_at=None)


def sweep_one(*, session: Session, instance_id: str, ttl_s: float) -> list[Offline] | None:
    """Retire one other instance whose heartbeat is older than the TTL; None when none is.

    ``SKIP LOCKED``: sweepers never wait for each other or take the same
    instance twice. Its people are last seen at its last heartbeat, the last
    moment they were known to be connected.
    """
    row = session.execute(
        text(
            "SELECT id, heartbeat_at FROM realtime_instances i "
            f"WHERE id <> :self AND NOT ({_FRESH}) "
            "ORDER BY heartbeat_at LIMIT 1 FOR UPDATE SKIP LOCKED"
        ),
        {"self": instance_id, "ttl": ttl_s},
    ).first()
    if row is None:
        return None
    return _retire(session, row.id, ttl_s=ttl_s, seen_at=row.heartbeat_at)


def sharing_a_chat(
    *, session: Session, user_ids: Sequence[int], among: Sequence[int]
) -> list[tuple[int, int]]:
    """(person, other) for each person in ``user_ids`` and each of ``among`` in a chat
    with them — never a person with themself."""
    if not user_ids or not among:
        return []
    rows = session.execute(
        text(
            "SELECT DISTINCT a.user_id, b.user_id FROM chat_members a "
            "JOIN chat_members b ON b.chat_id = a.chat_id AND b.user_id <> a.user_id "
            "WHERE a.user_id = ANY(CAST(:people AS bigint[])) "
            "AND b.user_id = ANY(CAST(:among AS bigint[]))"
        ),
        {"people": list(user_ids), "among": list(among)},
    )
    return [(int(person), int(other)) for person, other in rows]


def presence_of_user(
    *, session: Session, user_id: int, ttl_s: float = PRESENCE_TTL_S
) -> tuple[bool, datetime | None] | None:
    """(online, last seen) for one person, None when there is no such person.

    Someone whose instance died and was not swept yet is last seen at that
    instance's last heartbeat; the last seen time of someone online is None.
    """
    row = session.execute(
        text(
            f"SELECT {_online('u.id')} AS online, GREATEST(u.last_seen_at, "
            "(SELECT max(i.heartbeat_at) FROM presence_sessions s JOIN realtime_instances i "
            "ON i.id = s.instance_id WHERE s.user_id = u.id)) AS seen "
            "FROM users u WHERE u.id = :user"
        ),
        {"user": user_id, "ttl": ttl_s},
    ).first()
    if row is None:
        return None
    return (True, None) if row.online else (False, row.seen)
