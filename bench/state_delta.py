"""How many bytes the browser receives when one message arrives in an open chat.

The conversation state keeps a bounded window of messages, so the update a
browser receives for a new message should not grow with the chat's history.
This measures it for real: the app runs as in production, Chromium opens a
chat with N messages of history, sends one more, and the websocket frames
received for it are counted. Not a test: it prints figures and writes
bench/results/state_delta.json (and the ``delta_bytes`` of chat_core.json
when that file exists).

    python bench/state_delta.py [--rounds 5] [--quick]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402
from scratch_db import scratch_database  # noqa: E402

from chat_app.database import unit_of_work  # noqa: E402
from chat_app.models import MessageKind  # noqa: E402
from chat_app.services import auth, direct_chats  # noqa: E402
from chat_app.services.message_send import do_send  # noqa: E402
from tests.app_runner import CHROMIUM_ARGS, chromium_executable, running_app  # noqa: E402

RESULTS = ROOT / "bench" / "results"
PASSWORD = "benchmark passphrase 42"


def _seed_chat(alice_id: int, bob_id: int, history: int) -> int:
    """A direct chat with ``history`` messages (a fresh pair of people for each size)."""
    chat_id = direct_chats.open_direct_chat(user_id=alice_id, other_user_id=bob_id)
    with unit_of_work() as session:
        for n in range(history):
            do_send(
                session,
                chat_id=chat_id,
                sender_id=alice_id if n % 2 else bob_id,
                kind=MessageKind.TEXT,
                body=f"History message {n}: a sentence of ordinary length to look real.",
            )
    return chat_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="histories of 100 and 1,000")
    args = parser.parse_args()
    sizes = (100, 1_000) if args.quick else (100, 10_000)

    with scratch_database("delta") as (url, _dsn), tempfile.TemporaryDirectory() as scratch:
        chats = {}
        for size in sizes:
            alice = auth.sign_up(
                username=f"a{uuid.uuid4().hex[:8]}", display_name="Alice", password=PASSWORD
            )
            bob = auth.sign_up(
                username=f"b{uuid.uuid4().hex[:8]}", display_name="Bob", password=PASSWORD
            )
            chats[size] = (alice.user.username, _seed_chat(alice.user.id, bob.user.id, size))
        figures = {}
        with running_app(url, Path(scratch) / "reflex.log") as base, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
            for size, (username, chat_id) in chats.items():
                context = browser.new_context(
                    base_url=base, viewport={"width": 1440, "height": 900}
                )
                sockets = []
                page = context.new_page()
                page.on("websocket", lambda socket, found=sockets: found.append(socket))
                page.goto("/signin")
                page.get_by_label("Username").fill(username)
                page.get_by_label("Password").fill(PASSWORD)
                page.get_by_role("button", name="Sign in").click()
                expect(page.get_by_role("list", name="Chats")).to_be_visible()
                page.goto(f"/chat/{chat_id}")
                expect(page.locator(".wa-body").first).to_be_visible()
                largest, total = [], []
                for n in range(args.rounds):
                    biggest, whole = _measure(page, sockets, f"Delta probe {size}-{n}")
                    largest.append(biggest)
                    total.append(whole)
                figures[f"history_{size}"] = {
                    "largest_frame_bytes": int(statistics.median(largest)),
                    "all_frames_bytes": int(statistics.median(total)),
                }
                context.close()
            browser.close()

    small, large = (figures[f"history_{s}"]["largest_frame_bytes"] for s in sizes)
    result = {
        "rounds": args.rounds,
        "delta": figures,
        "ratio_large_to_small": round(large / small, 3),
    }
    print(json.dumps(result, indent=2))
    if not args.quick:
        (RESULTS / "state_delta.json").write_text(json.dumps(result, indent=2) + "\n")
        core = RESULTS / "chat_core.json"
        if core.exists():
            data = json.loads(core.read_text())
            data["delta_bytes"] = {
                f"history_{s}": figures[f"history_{s}"]["largest_frame_bytes"] for s in sizes
            }
            core.write_text(json.dumps(data, indent=2) + "\n")


def _measure(page: Page, sockets: list, text: str) -> tuple[int, int]:
    received: list[int] = []
    listening = {"on": True}

    def on_frame(payload: str | bytes) -> None:
        if listening["on"]:
            received.append(len(payload.encode() if isinstance(payload, str) else payload))

    for socket in sockets:
        socket.on("framereceived", on_frame)
    box = page.get_by_role("textbox", name="Type a message")
    box.fill(text)
    box.press("Enter")
    expect(page.locator(".wa-body", has_text=text)).to_be_visible()
    time.sleep(0.5)  # let the chat-list refresh that follows arrive too
    listening["on"] = False
    for socket in sockets:
        socket.remove_listener("framereceived", on_frame)
    return max(received, default=0), sum(received)


if __name__ == "__main__":
    main()
