"""Lighthouse scores of the production build, as a phone on a slow network sees it.

The loopback topology (``tests/stack``: Caddy serving the static export, two
backends, two realtime instances, Redis, PostgreSQL) is started, and the
pinned Lighthouse (``scripts/setup --dev``) audits two pages with its default
mobile preset (emulated mid-range phone, simulated slow 4G and a 4x slower
CPU):

* ``signin``: the first page a stranger sees, from an empty browser profile;
* ``conversation``: a signed-in chat with a few messages. Two people sign up
  and open their chat in Playwright; Alice's sign-in (the token in
  localStorage) is copied into a Chrome profile of its own, that profile's
  HTTP cache is then emptied, and Lighthouse runs in it with
  ``--disable-storage-reset`` (a reset would sign her out). So this is a
  signed-in person's first load, not a warm one.

Each page is audited ``--runs`` times; the figures written are the medians
and ``spread`` keeps every run (the machine is shared, so performance and
LCP move from run to run). ``js_bytes`` is the JavaScript transferred,
compressed, on that first load; ``lcp_ms`` the largest contentful paint,
``tbt_ms`` the total blocking time, and ``benchmark_index`` Lighthouse's measure
of the machine's speed during that run (the score follows it).

A baseline commit is audited in the same run, alternating with this checkout
(its own loopback topology, from a git worktree): the performance score follows
the machine (the same build scored 93 and 82 a day apart here), so a figure
means something only beside one measured at the same time.

    python bench/lighthouse.py [--runs 3] [--url http://127.0.0.1:PORT] [--reports DIR]
                               [--baseline COMMIT | --no-baseline] [--check]

``--url`` audits a topology already running (``scripts/stack``) instead of
starting one (no baseline then). ``--check`` exits non-zero, naming each score
under its target; a performance score under its target passes only while it is
no more than ``PERFORMANCE_MARGIN`` under the baseline's in the same run, that
is, while the baseline, which met the target on its day, misses it too.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import platform
import queue
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import expect, sync_playwright  # noqa: E402
from provenance import code_version  # noqa: E402

from tests.app_runner import CHROMIUM_ARGS, chromium_executable  # noqa: E402
from tests.browser.helpers import message  # noqa: E402
from tests.stack import Stack  # noqa: E402
from tests.topology.people import open_conversation  # noqa: E402

RESULT = ROOT / "bench" / "results" / "lighthouse.json"
LIGHTHOUSE_VERSION = "12.2.3"  # scripts/setup --dev installs exactly this one
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 90, "accessibility": 95, "best-practices": 95, "seo": 90}
# Headless Chromium on a machine with no outside network (the same switches the
# browser tests use, so nothing phones home during a measurement).
CHROME_FLAGS = ["--headless=new", *CHROMIUM_ARGS]
# What a profile keeps between loads besides storage: emptied so the signed-in
# audit measures a first load (the sign-in lives in "Local Storage", kept).
PROFILE_CACHES = ("Cache", "Code Cache", "GPUCache", "Service Worker")
LIGHTHOUSE_TIMEOUT_S = 300
# The last commit whose chat page met the performance target when it landed (93,
# sign-in 96, 2026-12-03); on slower days of this machine it scored 82-85.
BASELINE_COMMIT = "aa9cd991ea6a874648989fa93451f1614a07f780"
# How far under the baseline's median a median may fall (alternating runs of one
# build differ by about this much) while both are under the target.
PERFORMANCE_MARGIN = 5
BASELINE_START_TIMEOUT_S = 600
_STACK_URL = re.compile(r"The app is at (http://\S+)")
CONVERSATION_MESSAGES = ("Are we still on for tonight?", "Yes, 8 pm at the usual place.")


def lighthouse_command() -> list[str]:
    """The pinned Lighthouse; a missing or different one is named, not used."""
    binary = shutil.which("lighthouse")
    if binary is None:
        sys.exit("lighthouse is not installed: run scripts/setup --dev")
    version = subprocess.run(
        [binary, "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    if version != LIGHTHOUSE_VERSION:
        sys.exit(
            f"lighthouse {version} found, {LIGHTHOUSE_VERSION} expected: run scripts/setup --dev"
        )
    return [binary]


def audit(url: str, profile: Path | None) -> dict[str, Any]:
    """One Lighthouse run (mobile preset) of ``url``; its full report."""
    flags = list(CHROME_FLAGS)
    extra: list[str] = []
    if profile is not None:
        forget_caches(profile)
        flags.append(f"--user-data-dir={profile}")
        extra.append("--disable-storage-reset")
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as out:
        report = Path(out) / "report.json"
        done = subprocess.run(
            [
                *lighthouse_command(),
                url,
                "--output=json",
                f"--output-path={report}",
                f"--only-categories={','.join(CATEGORIES)}",
                f"--chrome-flags={' '.join(flags)}",
                "--quiet",
                *extra,
            ],
            env={**os.environ, "CHROME_PATH": chromium_executable()},
            capture_output=True,
            text=True,
            timeout=LIGHTHOUSE_TIMEOUT_S,
        )
        if done.returncode != 0 or not report.exists():
            raise RuntimeError(f"lighthouse failed on {url}:\n{done.stderr[-4000:]}")
        lhr: dict[str, Any] = json.loads(report.read_text())
    if lhr.get("runtimeError"):
        raise RuntimeError(f"lighthouse could not load {url}: {lhr['runtimeError']}")
    return lhr


def figures(lhr: dict[str, Any]) -> dict[str, int]:
    """The four scores (0-100), first-load JavaScript bytes, LCP and blocking time of
    one report, and the machine's speed as Lighthouse measured it during the run.

    Lighthouse simulates its slow phone by multiplying the CPU time it observes,
    so the performance score follows the machine: ``benchmark_index`` (higher is
    faster; Lighthouse's docs put a high-end desktop at 1500-2000) says how fast
    this one was, and runs are compared at similar values.
    """
    scores = {name: _score(lhr["categories"][name]["score"]) for name in CATEGORIES}
    resources = lhr["audits"]["resource-summary"]["details"]["items"]
    script = next(item for item in resources if item["resourceType"] == "script")
    audits = lhr["audits"]
    return {
        **scores,
        "js_bytes": int(script["transferSize"]),
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "benchmark_index": round(lhr["environment"]["benchmarkIndex"]),
    }


def transferred(lhr: dict[str, Any]) -> dict[str, int]:
    """Bytes on the wire (compressed) of the first load, by kind of resource."""
    resources = lhr["audits"]["resource-summary"]["details"]["items"]
    kinds = ("script", "stylesheet", "document", "image", "font", "total")
    return {
        item["resourceType"]: int(item["transferSize"])
        for item in resources
        if item["resourceType"] in kinds
    }


def _score(value: float | None) -> int:
    if value is None:  # a category Lighthouse could not compute scores nothing
        return 0
    return round(value * 100)


def findings(lhr: dict[str, Any]) -> dict[str, list[str]]:
    """Per category, the audits that did not pass: what to fix to raise its score."""
    failed: dict[str, list[str]] = {}
    for name in CATEGORIES:
        ids = [ref["id"] for ref in lhr["categories"][name]["auditRefs"] if ref.get("weight")]
        failed[name] = [
            f"{audit_id}: {lhr['audits'][audit_id]['title']}"
            for audit_id in ids
            if (lhr["audits"][audit_id].get("score") is not None)
            and lhr["audits"][audit_id]["score"] < 1
        ]
    return failed


def signed_in_profile(base_url: str, workdir: Path) -> tuple[Path, str]:
    """A Chrome profile in which Alice is signed in, and the address of her chat with Bob."""
    profile = workdir / "profile"
    workdir.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_executable(), args=CHROMIUM_ARGS
        )
        chat = open_conversation(browser, base_url)
        for sender, body in zip(chat.people, CONVERSATION_MESSAGES, strict=True):
            chat.say(sender, body)
        storage = chat.alice.page.evaluate("JSON.stringify(Object.entries(localStorage))")
        chat_path = f"/chat/{chat.chat_id}"
        chat.close()
        browser.close()

        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=chromium_executable(), args=CHROMIUM_ARGS
        )
        page = context.new_page()
        page.goto(f"{base_url}/signin")
        page.evaluate(
            "entries => { for (const [k, v] of JSON.parse(entries)) localStorage.setItem(k, v); }",
            storage,
        )
        page.goto(f"{base_url}{chat_path}")
        expect(message(page, CONVERSATION_MESSAGES[-1])).to_be_visible(timeout=30_000)
        context.close()
    return profile, chat_path


def forget_caches(profile: Path) -> None:
    """Empty what a previous load left in the profile, keeping the sign-in."""
    for cache in PROFILE_CACHES:
        shutil.rmtree(profile / "Default" / cache, ignore_errors=True)


@contextmanager
def topology(url: str | None) -> Iterator[str]:
    """The address to audit: the one given, or a loopback topology started for the run."""
    if url:
        yield url.rstrip("/")
        return
    workdir = Path(tempfile.mkdtemp(prefix="lighthouse-bench-"))
    # Registered before the stack starts, so it runs after the embedded
    # PostgreSQL's own exit hook, which still writes a lock file in the folder.
    atexit.register(shutil.rmtree, workdir, ignore_errors=True)
    with Stack(workdir) as stack:
        yield stack.url


@contextmanager
def baseline_topology(commit: str, workdir: Path) -> Iterator[str]:
    """The loopback topology of ``commit`` (a git worktree with its own build),
    started by that commit's own ``scripts/stack``; its address."""
    tree = workdir / "baseline"
    added = subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), commit],
        capture_output=True,
        text=True,
    )
    if added.returncode != 0:
        sys.exit(f"baseline {commit} cannot be checked out (a shallow clone?): {added.stderr}")
    stack = subprocess.Popen(
        [str(tree / "scripts" / "stack")],
        cwd=tree,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        yield _stack_address(stack)
    finally:
        os.killpg(stack.pid, signal.SIGTERM)
        stack.wait(timeout=120)
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=True
        )


def _stack_address(stack: subprocess.Popen[str]) -> str:
    """The address ``scripts/stack`` prints once everything answers; its output
    is drained after that, so it never blocks on a full pipe."""
    lines: queue.Queue[str | None] = queue.Queue()

    def drain() -> None:
        assert stack.stdout is not None
        for line in stack.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=drain, daemon=True).start()
    seen: list[str] = []
    deadline = time.monotonic() + BASELINE_START_TIMEOUT_S
    while (left := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            break
        if line is None:
            break
        seen.append(line)
        if found := _STACK_URL.search(line):
            return found.group(1)
    raise RuntimeError("the baseline topology did not start:\n" + "".join(seen[-40:]))


@dataclass
class Build:
    """One build under audit: its address, a signed-in profile, its chat and its runs."""

    name: str
    url: str
    profile: Path
    chat_path: str
    runs: dict[str, list[dict[str, int]]] = field(
        default_factory=lambda: {"signin": [], "conversation": []}
    )
    last: dict[str, dict[str, Any]] = field(default_factory=dict)

    def audit_once(self, number: int, reports: Path | None) -> None:
        self.last["signin"] = audit(f"{self.url}/signin", None)
        self.last["conversation"] = audit(f"{self.url}{self.chat_path}", self.profile)
        for page, lhr in self.last.items():
            self.runs[page].append(figures(lhr))
            if reports:
                reports.mkdir(parents=True, exist_ok=True)
                (reports / f"{self.name}-{page}-{number}.json").write_text(json.dumps(lhr))
            print(
                self.name,
                page,
                json.dumps(self.runs[page][-1]),
                file=sys.stderr,
                flush=True,
            )

    def medians(self) -> dict[str, dict[str, int]]:
        return {page: median_page(page_runs) for page, page_runs in self.runs.items()}

    def spread(self) -> dict[str, dict[str, list[int]]]:
        return {
            page: {key: [run[key] for run in page_runs] for key in page_runs[0]}
            for page, page_runs in self.runs.items()
        }


def median_page(runs: list[dict[str, int]]) -> dict[str, int]:
    return {key: round(statistics.median(run[key] for run in runs)) for key in runs[0]}


def under_target(
    pages: dict[str, dict[str, int]], baseline: dict[str, dict[str, int]] | None = None
) -> list[str]:
    """Each median under its target, but a performance score that is within
    ``PERFORMANCE_MARGIN`` of the baseline's in the same run (the machine, not the
    page, being slow then)."""
    low: list[str] = []
    for page, values in pages.items():
        for name, target in TARGETS.items():
            if values[name] >= target:
                continue
            if name == "performance" and baseline is not None:
                floor = baseline[page][name] - PERFORMANCE_MARGIN
                if values[name] >= floor:
                    continue
                low.append(f"{page} {name} {values[name]} < {target} and < {floor} (baseline)")
                continue
            low.append(f"{page} {name} {values[name]} < {target}")
    return low


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="audits per page (median kept)")
    parser.add_argument("--url", help="a running topology (scripts/stack) instead of a new one")
    parser.add_argument("--check", action="store_true", help="fail on a score under its target")
    parser.add_argument("--reports", type=Path, help="also keep each full report in this folder")
    parser.add_argument(
        "--baseline",
        default=BASELINE_COMMIT,
        help="the commit audited alongside, alternating (default: the last that met the target)",
    )
    parser.add_argument(
        "--no-baseline",
        dest="baseline",
        action="store_const",
        const="",
        help="audit this checkout only",
    )
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    lighthouse_command()

    with ExitStack() as stack:
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        addresses = {"checkout": stack.enter_context(topology(args.url))}
        if args.baseline and not args.url:
            addresses["baseline"] = stack.enter_context(baseline_topology(args.baseline, scratch))
        builds = {
            build: Build(build, url, *signed_in_profile(url, scratch / build))
            for build, url in addresses.items()
        }
        load_before = os.getloadavg()[0]
        for number in range(1, args.runs + 1):
            # Alternating, so neither build always runs on the busier side of a minute.
            order = list(builds) if number % 2 else list(reversed(builds))
            for name in order:
                builds[name].audit_once(number, args.reports)

    checkout = builds["checkout"]
    pages = checkout.medians()
    last = checkout.last
    baseline = builds.get("baseline")
    results: dict[str, Any] = {
        "pages": pages,
        "targets": TARGETS,
        "baseline": None
        if baseline is None
        else {
            "commit": args.baseline,
            "pages": baseline.medians(),
            "spread": baseline.spread(),
            "performance_margin": PERFORMANCE_MARGIN,
        },
        "spread": checkout.spread(),
        "first_load_bytes": {page: transferred(lhr) for page, lhr in last.items()},
        "findings": {page: findings(lhr) for page, lhr in last.items()},
        "setup": {
            "runs_per_page": args.runs,
            "figures": "median of the runs; spread lists each run",
            "lighthouse": last["signin"]["lighthouseVersion"],
            "preset": "mobile (Lighthouse default: emulated phone, simulated slow 4G, 4x CPU)",
            "chromium": last["signin"]["environment"]["hostUserAgent"],
            "topology": "Caddy (static export, precompressed), 2 backends, 2 realtime "
            "instances, Redis, PostgreSQL, on 127.0.0.1",
        },
        "machine": {
            "cpus": os.cpu_count(),
            # Lighthouse simulates a slow phone from the CPU time it observes, so
            # a busy machine lowers performance and raises LCP: this says how busy.
            "load_average_1m": {"before": load_before, "after": os.getloadavg()[0]},
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "code_version": code_version(),
    }
    RESULT.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))
    if args.check and (low := under_target(pages, baseline.medians() if baseline else None)):
        sys.exit("Under target: " + "; ".join(low))


if __name__ == "__main__":
    main()
