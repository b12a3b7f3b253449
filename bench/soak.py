"""A long soak: three or four people (phones and desktops, each a Chromium
context) use the app together through the loopback production topology
(``tests/stack``: Caddy, two backends, two realtime instances, Redis,
PostgreSQL) for as many minutes as asked, doing a seeded random mix of what
people do, while every screen is checked against the database after each
step; Redis is restarted halfway (``tests/soak/run.py`` has the moves and the
invariants). Not a test: it writes bench/results/soak.json, whose
``violations`` must be empty, and ``enter_to_other_screen_ms``: from Enter on
one page to the message first showing on the page of each other member who
had the chat open.

    python bench/soak.py [--minutes 30] [--people 4] [--seed N]

A failure prints the seed, the step, the moves before it and a screenshot of
every page (in bench/results/soak-failure/); ``--seed`` replays the walk.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402
from provenance import code_version  # noqa: E402

from tests.app_runner import CHROMIUM_ARGS, chromium_executable  # noqa: E402
from tests.soak.run import MOVES, Soak  # noqa: E402
from tests.stack import Stack, StackOptions  # noqa: E402

RESULT = ROOT / "bench" / "results" / "soak.json"
FAILURE = ROOT / "bench" / "results" / "soak-failure"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--people", type=int, default=4, choices=(3, 4))
    parser.add_argument("--seed", type=int, default=None, help="default: a new one, printed")
    parser.add_argument("--output", type=Path, default=RESULT)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(10**9)
    print(f"soak: seed {seed}, {args.people} people, {args.minutes} minutes", flush=True)

    shutil.rmtree(FAILURE, ignore_errors=True)
    load_before = [round(load, 2) for load in os.getloadavg()]
    options = StackOptions(env=(("SIGN_UP_MAX_PER_ADDRESS", "1000"),))
    with (
        tempfile.TemporaryDirectory(prefix="soak-bench-") as workdir,
        Stack(Path(workdir), options) as stack,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(
            executable_path=chromium_executable(), args=CHROMIUM_ARGS
        )
        soak = Soak(browser, stack, seed=seed, people=args.people, artifacts=FAILURE)
        outcome = soak.run(minutes=args.minutes)
        browser.close()

    results = outcome.as_json()
    results["setup"] = {
        "topology": "Caddy, 2 backends (granian, 2 workers each), 2 realtime instances, "
        "Redis, embedded PostgreSQL, on 127.0.0.1",
        "devices": "phones at 390x844 with touch, desktops at 1440x900 with a mouse",
        "moves": MOVES,
    }
    results["machine"] = {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "load_average_at_start": load_before,
        "load_average_at_end": [round(load, 2) for load in os.getloadavg()],
    }
    results["code_version"] = code_version()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(results, indent=2, ensure_ascii=False))
    if outcome.violations:
        print(outcome.report, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
