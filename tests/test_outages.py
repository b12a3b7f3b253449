"""Which failures are outages (the page shows its connection notice) and which are faults."""

from __future__ import annotations

from redis import exceptions as redis_errors
from sqlalchemy import exc as database_errors

from chat_app.services.outages import is_outage


def _raised_from(cause: BaseException) -> BaseException:
    try:
        try:
            raise cause
        except BaseException as inner:
            raise RuntimeError("while loading the tab's state") from inner
    except RuntimeError as outer:
        return outer


def _raised_while_handling(first: BaseException) -> BaseException:
    try:
        try:
            raise first
        except BaseException:
            raise KeyError("state")  # noqa: B904 (the implicit context is the point)
    except KeyError as second:
        return second


def test_unreachable_redis_and_database_are_outages() -> None:
    assert is_outage(redis_errors.ConnectionError("Connection refused"))
    assert is_outage(redis_errors.TimeoutError("Timeout reading from socket"))
    assert is_outage(database_errors.OperationalError("SELECT 1", {}, OSError("server closed")))
    assert is_outage(ConnectionRefusedError())


def test_an_outage_behind_another_error_is_still_one() -> None:
    assert is_outage(_raised_from(redis_errors.ConnectionError("Connection refused")))
    assert is_outage(_raised_while_handling(redis_errors.ConnectionError("reset")))


def test_faults_of_the_app_are_not_outages() -> None:
    assert not is_outage(ValueError("bad input"))
    assert not is_outage(_raised_from(KeyError("missing")))
    assert not is_outage(redis_errors.ResponseError("WRONGTYPE"))
    assert not is_outage(database_errors.IntegrityError("INSERT", {}, Exception("duplicate")))
