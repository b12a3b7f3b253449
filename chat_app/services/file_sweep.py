"""Removing stored files that no row points at.

Every path that stores a file either commits the row pointing at it or
removes it, and replaced pictures are removed after their change commits; a
crash between the two (a killed backend, a full disk) can still leave a file
behind. The sweep removes those: files in the upload and avatar folders whose
names are ours (a stored name, or an upload's temporary file) and that no
``attachments``, ``users`` or ``chats`` row names. Only files older than the
grace period are considered, so an upload in flight (its temporary file is
being written, or it is kept and its row not yet committed) is never touched.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

from chat_app.database import unit_of_work
from chat_app.repositories import stored_files as stored_files_repo
from chat_app.services import file_store
from chat_app.services.attachments import avatar_folder, upload_folder
from chat_app.settings import get_settings

BATCH = 500

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Swept:
    removed: list[str]  # paths relative to the upload folder
    kept: int  # files past the grace period that a row still points at


def _ours(path: Path) -> bool:
    name = path.name
    return bool(file_store.STORED_NAME.fullmatch(name)) or name.startswith(file_store.TEMP_PREFIX)


def _candidates(older_than: float) -> list[Path]:
    found = []
    for folder in (upload_folder(), avatar_folder()):
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            try:
                old = path.is_file() and path.stat().st_mtime < older_than
            except FileNotFoundError:
                continue  # removed meanwhile
            if old and _ours(path):
                found.append(path)
    return found


def sweep_orphans(*, grace_seconds: int | None = None, now: float | None = None) -> Swept:
    """Remove our files older than the grace period that no row points at."""
    grace = get_settings().upload_sweep_grace_seconds if grace_seconds is None else grace_seconds
    older_than = (time.time() if now is None else now) - grace
    candidates = _candidates(older_than)
    removed: list[str] = []
    for start in range(0, len(candidates), BATCH):
        batch = candidates[start : start + BATCH]
        # A temporary file is never a stored name, so it is never "referenced".
        with unit_of_work() as session:
            referenced = stored_files_repo.referenced(
                session=session, names=[path.name for path in batch]
            )
        for path in batch:
            if path.name in referenced:
                continue
            try:
                path.unlink(missing_ok=True)
            except OSError as error:
                log.warning("could not remove orphaned file %s: %s", path, error)
                continue
            removed.append(str(path.relative_to(upload_folder())))
    if removed:
        log.info("removed %d stored files no row points at", len(removed))
    return Swept(removed=removed, kept=len(candidates) - len(removed))
