"""Bytes on disk: receiving an upload, keeping it under a generated name, removing it.

An upload is streamed into a hidden temporary file in the upload folder
(the same filesystem, so the final rename is atomic) and only renamed into
place once it has been checked; every failure removes the temporary file, so a
refused or interrupted upload leaves nothing behind. Stored names are random
and carry no part of what the sender called the file.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from chat_app.services.errors import InvalidInput

CHUNK = 256 * 1024
TEMP_PREFIX = ".incoming-"
STORED_NAME = re.compile(r"[0-9a-f]{32}\.[a-z]{3,4}")

log = logging.getLogger(__name__)


def human_size(size: int) -> str:
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:.3g} {unit}"
    return f"{size} bytes"


def receive(data: BinaryIO, *, folder: Path, limit: int) -> tuple[Path, int]:
    """Copy ``data`` into a temporary file in ``folder``; returns it and its size.

    Reads at most ``limit + 1`` bytes: one byte past the limit is enough to
    refuse, and a sender cannot make the server read (or store) more.
    """
    folder.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".part", dir=folder)
    temp = Path(name)
    size = 0
    try:
        with os.fdopen(fd, "wb") as handle:
            while size <= limit:
                chunk = data.read(min(CHUNK, limit + 1 - size))
                if not chunk:
                    break
                handle.write(chunk)
                size += len(chunk)
            if size > limit:
                raise InvalidInput("file", f"Files can be at most {human_size(limit)}.")
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp, size


def keep(temp: Path, *, folder: Path, extension: str) -> str:
    """Rename a checked temporary file to a fresh random name in ``folder`` (on the
    same filesystem as the temporary file, which is created only now if needed)."""
    folder.mkdir(parents=True, exist_ok=True)
    storage_name = secrets.token_hex(16) + extension
    os.replace(temp, folder / storage_name)
    return storage_name


def path_for(folder: Path, storage_name: str) -> Path | None:
    """The file for a stored name, or None for anything that is not one of ours
    (so a name from a URL can never walk out of the folder)."""
    if not STORED_NAME.fullmatch(storage_name):
        return None
    return folder / storage_name


def discard(folder: Path, storage_names: Iterable[str]) -> None:
    """Remove stored files; one already gone is not an error."""
    for storage_name in storage_names:
        path = path_for(folder, storage_name)
        if path is not None:
            try:
                path.unlink(missing_ok=True)
            except OSError as error:
                # The database no longer points at it; an orphan is harmless but worth a line.
                log.warning("could not remove stored file %s: %s", path, error)
