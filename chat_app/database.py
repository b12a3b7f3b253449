"""Engine and unit of work.

Repositories receive a Session and never commit; a service call opens exactly
one :func:`unit_of_work`, so everything it changes commits or rolls back
together. When the transaction added realtime events, the wake-up is asked
for only after the commit succeeded (see :mod:`chat_app.notifier`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import Engine, create_engine
from sqlmodel import Session

from chat_app import notifier
from chat_app.embedded_postgres import start_embedded_postgres
from chat_app.settings import get_settings


@lru_cache(maxsize=1)
def database_url() -> str:
    """DATABASE_URL, or the embedded server in the data folder when it is unset."""
    settings = get_settings()
    if settings.database_url is not None:
        return settings.database_url
    return start_embedded_postgres(settings.data_dir / "postgres")


@lru_cache(maxsize=1)
def get_engine() -> Engine:
    return create_engine(database_url(), pool_pre_ping=True, pool_size=5, max_overflow=10)


@contextmanager
def unit_of_work(engine: Engine | None = None) -> Iterator[Session]:
    """One transaction: commit when the block succeeds, roll back when it raises."""
    engine = engine or get_engine()
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            notifier.take_events_added(session)
            raise
        if notifier.take_events_added(session):
            notifier.wake(engine)
