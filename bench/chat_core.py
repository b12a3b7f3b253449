"""Chat core at scale: chat list, history page, unread total and send, p50/p99.

Seeds 10,000 users, 50,000 chats and 1,000,000 messages (bench/seed_chat_core.py)
into a throw-away database, then times the real service calls for a user with
200 chats, each against a bare ``SELECT 1`` through the same engine measured in
the same run, and captures EXPLAIN (ANALYZE, BUFFERS) of the SQL underneath.
Not a test: it prints one JSON object and writes bench/results/chat_core.json
(``--quick``: a small seed, bench/results/chat_core.quick.json).

    python bench/chat_core.py [--rounds 1000] [--quick] [--wait-quiet SECONDS]

Uses DATABASE_URL when set, otherwise the embedded server in $DATA_DIR/postgres;
the database it creates is dropped afterwards, also on failure.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, text
from sqlalchemy.sql.elements import TextClause

sys.path.insert(0, str(Path(__file__).resolve().parent))

from provenance import code_version
from scratch_db import ROOT, scratch_database
from seed_chat_core import FULL, QUICK, WORDS, Seeded, seed

from chat_app import database

RESULTS = ROOT / "bench" / "results" / "chat_core.json"
QUICK_RESULTS = ROOT / "bench" / "results" / "chat_core.quick.json"
TARGETS = {"chat_list_p99_ms": 15, "history_page_p99_ms": 5, "send_p99_ms": 10}
EXPLAIN = "EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) "


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _summary(samples: list[float]) -> dict[str, Any]:
    return {
        "p50_ms": round(statistics.median(samples), 3),
        "p90_ms": round(_percentile(samples, 0.90), 3),
        "p99_ms": round(_percentile(samples, 0.99), 3),
        "mean_ms": round(statistics.fmean(samples), 3),
        "max_ms": round(max(samples), 3),
        "n": len(samples),
    }


def _timed(call: Callable[[int], object], rounds: int, warmup: int) -> list[float]:
    """Milliseconds per call; ``call`` gets the round number (warm-up rounds are negative)."""
    for i in range(-warmup, 0):
        call(i)
    gc.collect()  # start each block with the collector's debt paid
    samples = []
    for i in range(rounds):
        start = time.perf_counter()
        call(i)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def _explain(engine: Engine, clause: TextClause, params: dict[str, Any]) -> str:
    with engine.connect() as connection:
        rows = connection.execute(text(EXPLAIN + clause.text), params)
        return "\n".join(row[0] for row in rows)


@contextmanager
def _captured_statements(engine: Engine) -> Iterator[list[tuple[str, Any, float]]]:
    """(statement, driver parameters, seconds in the driver) of everything sent in the block.

    The seconds cover ``cursor.execute``: the round trip plus the server's
    parsing, planning and execution (and psycopg2's implicit BEGIN before the
    first statement of a transaction); not the pool's pre-ping or the COMMIT.
    """
    captured: list[tuple[str, Any, float]] = []
    started: list[float] = []

    def before(_conn, _cursor, _statement, _parameters, _context, _executemany) -> None:
        started.append(time.perf_counter())

    def after(_conn, _cursor, statement, parameters, _context, _executemany) -> None:
        captured.append((statement, parameters, time.perf_counter() - started.pop()))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield captured
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


def _breakdown(engine: Engine, call: Callable[[int], object], calls: int) -> dict[str, float]:
    """Where a call's time goes, from a separate instrumented pass (not the timed one)."""
    total = 0.0
    with _captured_statements(engine) as statements:
        for i in range(calls):
            start = time.perf_counter()
            call(i)
            total += time.perf_counter() - start
    in_driver = sum(seconds for _, _, seconds in statements)
    return {
        "statements": round(len(statements) / calls, 1),
        "sql_ms_mean": round(in_driver / calls * 1000, 3),
        "python_and_commit_ms_mean": round((total - in_driver) / calls * 1000, 3),
    }


def _replay_plans(
    engine: Engine, statements: list[tuple[str, Any, float]], skip: str | None = None
) -> str:
    """EXPLAIN ANALYZE the captured statements again, in a transaction that is rolled back."""
    parts = []
    with engine.connect() as connection, connection.begin() as transaction:
        for statement, parameters, _ in statements:
            if skip is not None and " ".join(statement.split()) == " ".join(skip.split()):
                continue
            params = parameters
            if statement.lstrip().upper().startswith("INSERT INTO MESSAGES") and isinstance(
                params, dict
            ):
                # Replaying the same insert would hit the unique keys: fresh ones.
                params = {**params, "client_msg_id": uuid.uuid4().hex, "seq": 2**62}
            plan = connection.exec_driver_sql(EXPLAIN + statement, params).scalars().all()
            parts.append("-- " + " ".join(statement.split()) + "\n" + "\n".join(plan))
        transaction.rollback()
    return "\n\n".join(parts)


def _measure(seeded: Seeded, rounds: int) -> dict[str, Any]:
    from chat_app.repositories import chats as chats_repo
    from chat_app.repositories import messages as messages_repo
    from chat_app.services import chat_list, history, message_send

    engine = database.get_engine()
    rng = random.Random(7)
    user_id = seeded.heavy_user_id
    chats = seeded.heavy_chat_ids
    warmup = max(5, rounds // 10)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT chat_id, array_agg(id ORDER BY id) FROM messages "
                "WHERE chat_id = ANY(:chats) GROUP BY chat_id"
            ),
            {"chats": chats},
        ).all()
    ids_by_chat: dict[int, list[int]] = {row[0]: row[1] for row in rows}
    deep = [c for c, ids in ids_by_chat.items() if len(ids) > history.PAGE_SIZE]

    def select_1(_: int) -> None:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1")).scalar_one()

    def list_chats(_: int) -> None:
        rows = chat_list.list_chats(user_id=user_id)
        assert len(rows) == len(chats), (len(rows), len(chats))

    latest_samples: list[float] = []
    older_samples: list[float] = []

    def history_page(i: int) -> None:
        # Alternate the newest page of a random chat and an older page at a random point.
        start = time.perf_counter()
        if i % 2 == 0:
            page = history.load_latest(user_id=user_id, chat_id=rng.choice(chats))
            bucket = latest_samples
        else:
            chat_id = rng.choice(deep)
            before_id = rng.choice(ids_by_chat[chat_id][history.PAGE_SIZE :])
            page = history.load_older(user_id=user_id, chat_id=chat_id, before_id=before_id)
            assert len(page.messages) == history.PAGE_SIZE
            bucket = older_samples
        assert page.messages
        if i >= 0:
            bucket.append((time.perf_counter() - start) * 1000)

    def unread_total(_: int) -> None:
        chat_list.unread_total(user_id=user_id)

    def send(_: int) -> None:
        body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 12)))
        sent = message_send.send_message(
            user_id=user_id, chat_id=rng.choice(chats), body=body, client_msg_id=uuid.uuid4().hex
        )
        assert sent.created

    calls = {
        "chat_list": list_chats,
        "history_page": history_page,
        "unread_total": unread_total,
        "send": send,
    }
    load_before = os.getloadavg()[0]
    baseline = _timed(select_1, rounds, warmup)
    samples = {name: _timed(call, rounds, warmup) for name, call in calls.items()}
    baseline += _timed(select_1, rounds, 0)  # before and after, so drift shows in both
    base = _summary(baseline)
    # Anything else running on the machine shows here (and in select_1).
    base["load_average_1m"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    metrics = {}
    for name, values in samples.items():
        metrics[name] = _summary(values)
        metrics[name]["p99_over_select_1_p99"] = round(metrics[name]["p99_ms"] / base["p99_ms"], 1)
    metrics["history_page"]["by_call"] = {
        "load_latest": _summary(latest_samples),
        "load_older": _summary(older_samples),
    }
    for name, call in calls.items():
        metrics[name]["breakdown"] = _breakdown(engine, call, min(rounds, 100))

    with _captured_statements(engine) as list_statements:
        list_chats(0)
    with _captured_statements(engine) as send_statements:
        send(0)
    big = ids_by_chat[seeded.big_chat_id]
    plans = {
        "chat_list": _explain(
            engine,
            chats_repo._CHAT_LIST_SQL,
            {"user_id": user_id, "limit": chat_list.CHAT_LIST_LIMIT, "chat_id": None},
        ),
        "history_page": _explain(
            engine,
            messages_repo._BEFORE_SQL,
            {
                "chat_id": seeded.big_chat_id,
                "bound": big[len(big) // 2],
                "fallback": 0,
                "limit": history.PAGE_SIZE + 1,
                "viewer_id": user_id,
            },
        ),
        "unread_total": _explain(engine, chats_repo._UNREAD_TOTAL_SQL, {"user_id": user_id}),
        "chat_list_other_statements": _replay_plans(
            engine, list_statements, skip=str(chats_repo._CHAT_LIST_SQL.compile(engine))
        ),
        "send": _replay_plans(engine, send_statements),
    }
    return {"metrics": metrics, "baseline": {"select_1": base}, "plans": plans}


def _wait_for_quiet(limit_seconds: float) -> None:
    """On a shared machine, wait (up to a limit) until the 1-minute load is under half the CPUs."""
    threshold = (os.cpu_count() or 2) / 2
    deadline = time.monotonic() + limit_seconds
    while os.getloadavg()[0] >= threshold and time.monotonic() < deadline:
        print(f"load {os.getloadavg()[0]:.2f}, waiting for < {threshold}", file=sys.stderr)
        time.sleep(10)


def _scale(seeded: Seeded) -> dict[str, Any]:
    with database.get_engine().connect() as connection:
        counts = connection.execute(
            text(
                "SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM chats), "
                "(SELECT count(*) FROM messages), "
                "(SELECT count(*) FROM chat_members WHERE user_id = :u), "
                "(SELECT count(*) FROM messages WHERE chat_id = :big)"
            ),
            {"u": seeded.heavy_user_id, "big": seeded.big_chat_id},
        ).one()
        server = connection.execute(text("SHOW server_version")).scalar_one()
    return {
        "users": counts[0],
        "chats": counts[1],
        "messages": counts[2],
        "chat_members": seeded.members,
        "attachments": seeded.attachments,
        "reactions": seeded.reactions,
        "heavy_user_chats": counts[3],
        "heavy_user_biggest_chat_messages": counts[4],
        "seed_seconds": seeded.seconds,
        "seed_seconds_generate": seeded.seconds_generate,
        "seed_seconds_load": seeded.seconds_load,
        "seed_seconds_vacuum_analyze": seeded.seconds_analyze,
        "postgres": server,
        "code_version": code_version(),
    }


def _previous_delta_bytes() -> dict[str, Any]:
    """Keep the figures bench/state_delta.py wrote into the last result; this run has none."""
    delta: dict[str, Any] = {"history_100": None, "history_10000": None}
    try:
        previous = json.loads(RESULTS.read_text()).get("delta_bytes") or {}
    except (OSError, ValueError, AttributeError):
        return delta
    return {key: previous.get(key) for key in delta}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1000, help="timed calls per metric")
    parser.add_argument("--quick", action="store_true", help="small seed and 50 rounds")
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=0,
        metavar="SECONDS",
        help="after seeding, wait up to this long for the machine's load to settle",
    )
    args = parser.parse_args()
    rounds = 50 if args.quick else args.rounds

    with scratch_database("bench_chat_core") as (_, dsn):
        seeded = seed(dsn, QUICK if args.quick else FULL)
        print(f"seeded in {seeded.seconds:.1f} s", file=sys.stderr)
        scale = _scale(seeded)
        _wait_for_quiet(args.wait_quiet)
        measured = _measure(seeded, rounds)

    metrics = measured["metrics"]
    result = {
        "scale": scale,
        "metrics": metrics,
        "delta_bytes": _previous_delta_bytes(),
        "plans": measured["plans"],
        "baseline": measured["baseline"],
        "targets": TARGETS,
        "meets_targets": {
            name: metrics[name]["p99_ms"] < TARGETS[f"{name}_p99_ms"]
            for name in ("chat_list", "history_page", "send")
        },
    }
    output = json.dumps(result, indent=2, ensure_ascii=False)
    print(output)
    path = QUICK_RESULTS if args.quick else RESULTS
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(output + "\n")


if __name__ == "__main__":
    main()
