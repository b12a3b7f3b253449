"""Sign-in latency: the full service call against its floor, Argon2 verification alone.

A sign-in is dominated by the deliberately slow password hash; this shows how
much the rest (throttle check, user lookup, failure bookkeeping, token) adds
on top, measured in the same run on the same machine. Not a test: it prints
figures and writes bench/results/sign_in.json.

    python bench/sign_in.py [--rounds 200] [--quick]

Uses DATABASE_URL when set, otherwise the embedded server in $DATA_DIR/postgres,
on a throw-away database that is dropped afterwards.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
import uuid

from scratch_db import ROOT, scratch_database

RESULTS = ROOT / "bench" / "results" / "sign_in.json"
PASSWORD = "benchmark passphrase 42"


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _summary(samples: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(samples), 3),
        "p99_ms": round(_percentile(samples, 0.99), 3),
        "n": len(samples),
    }


def _timed(call, rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--quick", action="store_true", help="20 rounds, for a smoke run")
    args = parser.parse_args()
    rounds = 20 if args.quick else args.rounds

    with scratch_database("bench_sign_in"):
        from chat_app.services import auth, passwords

        username = f"bench_{uuid.uuid4().hex[:8]}"
        auth.sign_up(username=username, display_name="Bench", password=PASSWORD)
        stored = passwords.hash_password(PASSWORD)

        baseline = _timed(lambda: passwords.verify_password(stored, PASSWORD), rounds)
        sign_in = _timed(lambda: auth.sign_in(username=username, password=PASSWORD), rounds)

    result = {
        "rounds": rounds,
        "metrics": {"sign_in": _summary(sign_in)},
        "baseline": {"argon2_verify": _summary(baseline)},
        "ratio_p50": round(statistics.median(sign_in) / statistics.median(baseline), 3),
    }
    print(json.dumps(result, indent=2))
    if not args.quick:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
