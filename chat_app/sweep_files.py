"""Removing stored files that no row points at: once from the command line, or
periodically inside every backend.

    python -m chat_app.sweep_files [--grace SECONDS]

Every backend also sweeps every ``UPLOAD_SWEEP_INTERVAL_SECONDS`` (0 turns it
off); backends sweeping the shared folder at the same time only find less to
remove. Files younger than ``UPLOAD_SWEEP_GRACE_SECONDS`` are never touched,
so an upload in flight is safe.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import random
from collections.abc import AsyncIterator

from chat_app.services.file_sweep import sweep_orphans
from chat_app.settings import get_settings

log = logging.getLogger(__name__)


async def _sweep_every(interval: int) -> None:
    # Backends started together do not all sweep at the same moment.
    await asyncio.sleep(random.uniform(0.1, 1.0) * interval)
    while True:
        try:
            await asyncio.to_thread(sweep_orphans)
        except Exception:
            # The database may be away for a moment; the next round tries again.
            log.exception("sweeping orphaned files failed")
        await asyncio.sleep(interval)


@contextlib.asynccontextmanager
async def sweep_periodically() -> AsyncIterator[None]:
    """A Reflex lifespan task: sweep while the backend runs."""
    interval = get_settings().upload_sweep_interval_seconds
    task = asyncio.create_task(_sweep_every(interval)) if interval else None
    try:
        yield
    finally:
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--grace",
        type=int,
        default=None,
        help="leave files younger than this many seconds (default UPLOAD_SWEEP_GRACE_SECONDS)",
    )
    args = parser.parse_args(argv)
    if args.grace is not None and args.grace < 0:
        parser.error("--grace must not be negative")
    swept = sweep_orphans(grace_seconds=args.grace)
    for name in swept.removed:
        print(f"removed {name}")
    print(f"{len(swept.removed)} removed, {swept.kept} kept")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
