"""Whether an error means a service the app stands on could not be reached.

Redis (Reflex's state) and PostgreSQL going away are outages, not bugs: the
page says it is reconnecting and keeps what the person wrote, instead of an
error message. Anything else is a fault of the app and reported as one.
"""

from __future__ import annotations

from redis import exceptions as redis_errors
from sqlalchemy import exc as database_errors

UNREACHABLE: tuple[type[BaseException], ...] = (
    # Refused, reset, timed out, or still loading its data after a restart.
    redis_errors.ConnectionError,
    redis_errors.TimeoutError,
    # The database server is gone or the connection broke mid-statement.
    database_errors.OperationalError,
    database_errors.InterfaceError,
    ConnectionError,
    TimeoutError,
)


def is_outage(error: BaseException) -> bool:
    """``error``, or what it was raised from, says a service could not be reached."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, UNREACHABLE):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False
