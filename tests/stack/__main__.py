"""``scripts/stack``: the production topology on this machine, until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path
from types import FrameType

from tests.stack.topology import Stack, StackOptions


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="scripts/stack",
        description="Run PostgreSQL, Redis, two backends, two realtime instances and Caddy "
        "on 127.0.0.1 as production does; Ctrl-C stops them all.",
    )
    parser.add_argument("--port", type=int, help="Caddy's port (default: a free one)")
    parser.add_argument("--backends", type=int, default=2)
    parser.add_argument("--realtimes", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="granian workers per backend")
    return parser.parse_args(argv)


def _exit_on_sigterm(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def _missing_programs() -> list[str]:
    return [program for program in ("caddy", "redis-server") if shutil.which(program) is None]


def main(argv: list[str]) -> int:
    args = _parse(argv)
    if missing := _missing_programs():
        sys.exit(f"scripts/stack needs {' and '.join(missing)}: run scripts/setup --dev first")
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    workdir = Path(tempfile.mkdtemp(prefix="chat-stack-"))
    # Registered first, so it runs last: after the embedded server's own exit hook,
    # which still takes a lock file in the folder.
    atexit.register(shutil.rmtree, workdir, ignore_errors=True)
    options = StackOptions(
        port=args.port,
        backends=args.backends,
        realtimes=args.realtimes,
        backend_workers=args.workers,
        database_url=os.environ.get("DATABASE_URL") or None,
    )
    stack = Stack(workdir, options)
    try:
        print(f"Starting the topology (logs in {stack.logs}) ...", flush=True)
        stack.start()
        print(f"\nThe app is at {stack.url}\nCtrl-C stops everything.\n", flush=True)
        while True:
            signal.pause()
    except KeyboardInterrupt:
        return 0
    finally:
        print("Stopping ...", flush=True)
        stack.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
