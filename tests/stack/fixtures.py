"""One production topology (``tests/stack``) for the session's failover tests and
the soak, which may both stop parts of it.

It has its own embedded PostgreSQL, which the tests may restart; after each
test whatever it stopped or killed is started again, so a failure does not
spill into the next test.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.stack import Stack, StackOptions


@pytest.fixture(scope="session")
def running_stack() -> Iterator[Stack]:
    # Not under pytest's temporary folder: as root, PostgreSQL runs as its own
    # user, which must be able to reach its data folder for every restart, and
    # any pytest starting on the machine makes that folder private again.
    workdir = Path(tempfile.mkdtemp(prefix="chat-stack-"))
    try:
        # Every person of these tests signs up from 127.0.0.1, like a whole office
        # behind one address; the per-address limit has tests of its own.
        options = StackOptions(env=(("SIGN_UP_MAX_PER_ADDRESS", "1000"),))
        with Stack(workdir, options) as running:
            yield running
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def stack(running_stack: Stack) -> Iterator[Stack]:
    """The session's topology, whole before and after the test."""
    running_stack.heal()
    yield running_stack
    running_stack.heal()
