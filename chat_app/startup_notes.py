"""What ``reflex run`` tells a newcomer: where the app keeps its data, and nothing false.

Reflex's own start-up lines include advice that is wrong for this project:
after creating ``.web`` it says "Run `uv run reflex run` to start the app"
while the app is already starting, and with a Node.js older than it likes it
warns (twice) that Node.js is out of date, although it then runs the frontend
on bun (``bun --bun``), which ``scripts/setup`` installs, so nothing needs
installing. Those two lines are dropped here; every other line of Reflex's
stays. The line this module adds says where the data is.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

from chat_app.settings import PROJECT_ROOT, Settings, get_settings

# (logger, the message) of each piece of advice that is wrong here.
_WRONG_ADVICE = (
    ("reflex.reflex", re.compile(r"Initialized .*Run `uv run reflex run`")),
    ("reflex.utils.js_runtimes", re.compile(r"Your version \(.*\) of Node\.js is out of date")),
)


class _DropMessages(logging.Filter):
    def __init__(self, pattern: re.Pattern[str]) -> None:
        super().__init__()
        self._pattern = pattern

    def filter(self, record: logging.LogRecord) -> bool:
        return self._pattern.search(str(record.msg)) is None


def drop_wrong_reflex_advice() -> None:
    """Installs the filters once (``rxconfig`` is imported by every Reflex command)."""
    for name, pattern in _WRONG_ADVICE:
        logger = logging.getLogger(name)
        if not any(isinstance(existing, _DropMessages) for existing in logger.filters):
            logger.addFilter(_DropMessages(pattern))


def _shown(path: Path) -> str:
    """A folder as a person would type it: relative to the checkout when inside it."""
    resolved = path.resolve()
    try:
        return f"{resolved.relative_to(PROJECT_ROOT)}/"
    except ValueError:
        return f"{resolved}/"


def where_the_data_is(settings: Settings) -> str:
    """One line: the database (never its password) and the uploaded files."""
    if settings.uses_embedded_database:
        database = f"PostgreSQL in {_shown(settings.data_dir / 'postgres')} (embedded)"
    else:
        address = urlsplit(settings.database_url or "")
        name = address.path.lstrip("/")
        database = f"PostgreSQL at {address.hostname}:{address.port or 5432}/{name}"
    return f"Data: {database}, files in {_shown(settings.upload_dir)}"


@contextlib.asynccontextmanager
async def announce_where_the_data_is() -> AsyncIterator[None]:
    """A Reflex lifespan task: in development, print the data line once at start."""
    settings = get_settings()
    if not settings.is_production:
        print(where_the_data_is(settings), flush=True)
    yield
