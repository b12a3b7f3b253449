"""What people see when a process of the production topology dies mid-conversation.

The loopback topology (``tests/stack``: Caddy, two backends, two realtime
instances, Redis, PostgreSQL) runs the exported frontend; two people in two
Chromium contexts share a direct chat. Alice writes at a steady pace through
the real path (composer, Reflex websocket, a backend, the outbox, a realtime
instance); Bob's page records when each message first appears on his screen.
Partway through, one process is crashed: a backend (SIGKILL), a realtime
instance (SIGKILL), or PostgreSQL (immediate stop, then started again). Not a
test: it prints figures and writes bench/results/failover.json.

Alice behaves like a person: the next message goes when the previous one has
its tick, and one without a tick after a few seconds is sent again with
Enter (the composer still holds it, and the retry carries the same message
id, so it cannot be stored twice). Counting is at the receiver: ``received``
is the distinct messages on Bob's screen at the end, ``duplicated`` any
message shown there more than once, ``first_message_after_kill_ms`` the time
from the crash until Bob sees the first message Alice sent after it.

    python bench/failover.py [--messages 100] [--interval-ms 200] [--crash-after-s 8]
                             [--scenarios backend_kill realtime_kill postgres_restart]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402
from provenance import code_version  # noqa: E402

from tests.app_runner import CHROMIUM_ARGS, Service, chromium_executable  # noqa: E402
from tests.browser.helpers import message  # noqa: E402
from tests.stack import Stack  # noqa: E402
from tests.topology.levers import conversation_on  # noqa: E402
from tests.topology.people import (  # noqa: E402
    ACKNOWLEDGED,
    Conversation,
    open_conversation,
    shown_bodies,
    stored_bodies,
)

RESULT = ROOT / "bench" / "results" / "failover.json"
RETRY_AFTER_MS = 3_000  # a person who sees no tick presses Enter again
MAX_TRIES = 10
SETTLE_S = 30  # how long Bob's screen may take to show everything at the end

# Runs in Bob's page: the first time each message body appears on screen.
RECORD_ARRIVALS = """() => {
  window.firstSeen = {};
  const record = () => {
    for (const body of document.querySelectorAll(".wa-body")) {
      const text = body.textContent;
      if (!(text in window.firstSeen)) window.firstSeen[text] = Date.now();
    }
  };
  new MutationObserver(record).observe(document.body, {
    subtree: true, childList: true, characterData: true,
  });
  record();
}"""


@dataclass
class Scenario:
    name: str
    # The process whose sockets both pages are made to use (None: PostgreSQL).
    target: Callable[[Stack], Service | None]
    crash: Callable[[Stack], None]


SCENARIOS = [
    Scenario("backend_kill", lambda s: s.backends[0], lambda s: s.backends[0].kill()),
    Scenario("realtime_kill", lambda s: s.realtimes[0], lambda s: s.realtimes[0].kill()),
    Scenario("postgres_restart", lambda s: None, lambda s: s.postgres.restart(crash=True)),
]


@dataclass
class Sending:
    sent_at: dict[str, float] = field(default_factory=dict)  # body -> wall-clock ms
    retries: int = 0
    # What the sender's screen showed for each message that never got its tick.
    unacknowledged: list[dict[str, Any]] = field(default_factory=list)
    crashed_at: float | None = None  # wall-clock ms


def _send(page: Page, body: str, sending: Sending) -> None:
    """Enter, then wait for the tick; without one, Enter again (as a person would)."""
    composer = page.get_by_role("textbox", name="Type a message")
    composer.fill(body)
    composer.press("Enter")
    sending.sent_at[body] = time.time() * 1000
    tick = message(page, body).get_by_label(ACKNOWLEDGED)
    for _ in range(MAX_TRIES):
        try:
            expect(tick).to_be_visible(timeout=RETRY_AFTER_MS)
            return
        except AssertionError:
            sending.retries += 1
            if composer.input_value() == body:
                composer.press("Enter")
    sending.unacknowledged.append(
        {
            "body": body,
            "composer": composer.input_value(),
            "errors": page.get_by_role("alert").all_inner_texts(),
            "bubbles": message(page, body).count(),
            "banners": page.get_by_role("status").all_inner_texts(),
        }
    )


def _write_steadily(
    chat: Conversation, label: str, args: argparse.Namespace, crash: Callable[[], None]
) -> Sending:
    sending = Sending()

    def crash_now() -> None:
        sending.crashed_at = time.time() * 1000
        crash()

    timer = threading.Timer(args.crash_after_s, crash_now)
    start = time.monotonic()
    timer.start()
    try:
        for number in range(args.messages):
            time.sleep(max(0.0, start + number * args.interval_ms / 1000 - time.monotonic()))
            _send(chat.alice.page, f"{label} {number:03d}", sending)
    finally:
        timer.join()
    return sending


def _figures(chat: Conversation, sending: Sending, database_url: str) -> dict[str, Any]:
    bodies = list(sending.sent_at)
    expected = set(bodies)
    deadline = time.monotonic() + SETTLE_S
    while not expected <= set(shown_bodies(chat.bob.page)) and time.monotonic() < deadline:
        chat.bob.page.wait_for_timeout(200)
    on_screen = Counter(body for body in shown_bodies(chat.bob.page) if body in expected)
    first_seen: dict[str, float] = chat.bob.page.evaluate("window.firstSeen")
    crashed_at = sending.crashed_at or 0.0
    after = [first_seen[b] for b in bodies if sending.sent_at[b] >= crashed_at and b in first_seen]
    arrivals = sorted(first_seen[b] for b in bodies if b in first_seen)
    stored = Counter(body for body in stored_bodies(database_url, chat.chat_id) if body in expected)
    return {
        "sent": len(bodies),
        "received": len(on_screen),
        "lost": len(expected - set(on_screen)),
        "duplicated": sum(count - 1 for count in on_screen.values()),
        "first_message_after_kill_ms": round(min(after) - crashed_at) if after else None,
        "longest_gap_at_receiver_ms": max(
            (round(b - a) for a, b in itertools.pairwise(arrivals)), default=None
        ),
        "resent_by_hand": sending.retries,
        "never_acknowledged": len(sending.unacknowledged),
        "unacknowledged": sending.unacknowledged,
        "stored": sum(stored.values()),
        "stored_duplicates": sum(count - 1 for count in stored.values()),
    }


def _run(stack: Stack, browser: Browser, scenario: Scenario, args: argparse.Namespace) -> dict:
    stack.heal()
    target = scenario.target(stack)

    def open_one() -> Conversation:
        return open_conversation(browser, stack.url)

    chat = conversation_on(stack, target, open_one) if target else open_one()
    try:
        chat.bob.page.evaluate(RECORD_ARRIVALS)
        sending = _write_steadily(chat, scenario.name, args, lambda: scenario.crash(stack))
        return _figures(chat, sending, stack.database_url)
    finally:
        chat.close()
        stack.heal()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100, help="per scenario (at most 150)")
    parser.add_argument("--interval-ms", type=int, default=200, help="Alice's pace")
    parser.add_argument("--crash-after-s", type=float, default=8.0)
    parser.add_argument(
        "--scenarios", nargs="+", choices=[s.name for s in SCENARIOS], help="default: all"
    )
    args = parser.parse_args()

    results: dict[str, Any] = {"scenarios": {}}
    with (
        tempfile.TemporaryDirectory(prefix="failover-bench-") as workdir,
        Stack(Path(workdir)) as stack,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(
            executable_path=chromium_executable(), args=CHROMIUM_ARGS
        )
        for scenario in SCENARIOS:
            if args.scenarios and scenario.name not in args.scenarios:
                continue
            figures = _run(stack, browser, scenario, args)
            results["scenarios"][scenario.name] = figures
            print(scenario.name, json.dumps(figures), file=sys.stderr, flush=True)
        browser.close()
    results["setup"] = {
        "messages_per_scenario": args.messages,
        "interval_ms": args.interval_ms,
        "crash_after_s": args.crash_after_s,
        "retry_after_ms": RETRY_AFTER_MS,
        "topology": "Caddy, 2 backends (granian, 2 workers each), 2 realtime instances, "
        "Redis, embedded PostgreSQL 16, on 127.0.0.1",
        "postgres_restart": "pg_ctl stop -m immediate, then start again at once",
    }
    results["machine"] = {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "load_average_at_end": [round(load, 2) for load in os.getloadavg()],
    }
    results["code_version"] = code_version()
    RESULT.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
