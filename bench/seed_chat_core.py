"""Seed data for bench/chat_core.py: users, chats, members and messages at scale.

Rows are generated in Python from a fixed random seed and streamed into the
migrated schema with COPY from in-memory buffers (one password hash for every
user, computed once), then the tables are vacuumed and analyzed. The data is
shaped like a real deployment rather than a uniform grid:

* chats are mostly direct (``direct_key`` "<low>:<high>", one per pair) and
  about a tenth are groups of 3-20 members; people differ in how sociable they
  are, so some have many chats and some few;
* message counts per chat are heavy-tailed (log-normal), message ids follow
  time across all chats (a chat's history is scattered over the table, as it
  is after months of use), groups open with a system line, and a few per cent
  of messages are photos or documents (with attachment rows), replies,
  edited, deleted or reacted to;
* every member has read and delivered cursors: most are caught up, some lag by
  a few or a few hundred messages, a few never opened the chat; a member has
  always read up to their own last message;
* ``chats.last_seq``, ``last_message_id`` and ``last_activity_at`` agree with
  the messages;
* one "heavy" user (id 1) is a member of exactly ``heavy_chats`` chats, all
  with messages, a few pinned, muted or archived, and one of them a busy group
  holding about 2% of all messages (deep history to page through).

    python bench/seed_chat_core.py [--quick]   # seeds a throw-away database and drops it

The importable entry point is :func:`seed`.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import random
import time
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

HEAVY_USER_ID = 1
NULL = r"\N"
SEED_PASSWORD = "benchmark passphrase 42"
COPY_CHUNK_ROWS = 200_000
BIG_CHAT_SHARE = 0.02


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = _words(
    """
    Ana Ben Carla Dmitri Elif Farid Grace Hugo Ines Jonas Kemal Lina Marco Nadia Omar Priya
    Quentin Rosa Sami Tara Umar Vera Wen Ximena Yusuf Zoe Aiko Bruno Chloe Diego Emma Felix
    Gita Hana Ivan Julia Kofi Lea Mateo Noor
    """
)
LAST_NAMES = _words(
    """
    Silva Novak Okafor Jensen Haddad Rossi Kim Lopez Schmidt Ivanova Tanaka Dubois Costa Nowak
    Mensah Patel Larsen Yilmaz Moreau Kowalski Svensson Garcia Ahmed Fischer Chen Murphy Santos
    Weber Nguyen Petrov Ali Berg Hoffmann Romano Sato Khan Vargas Lund Oliveira Kaur Meyer Bauer
    Hansen Fernandez Popescu Horvat Smit Ortiz Jovanovic Walsh
    """
)
WORDS = _words(
    """
    ok yes no maybe sure thanks lol haha see you soon tomorrow today tonight later now where
    are you coming home at the station running late sorry on my way did you get it send me
    the photo meeting moved to three call me when free what time dinner lunch coffee weekend
    plans sounds good great perfect love it happy birthday congrats good morning night sleep
    well the kids school pick up shopping list milk bread eggs train bus traffic rain sunny
    cold hot beach trip tickets booked flight hotel document invoice report deadline project
    review tomorrow morning afternoon evening I think we should just let me know can't wait
    miss you take care be careful
    """
)
GROUP_TOPICS = (
    "Family",
    "Flatmates",
    "Football",
    "Book club",
    "Hiking",
    "Team",
    "Project Alpha",
    "Climbing",
    "Parents",
    "Running",
    "Trip planning",
    "Band",
    "Choir",
    "Neighbours",
    "Class of 2015",
    "Gaming",
    "Cooking",
    "Startup",
)
EMOJI = ("👍", "❤️", "😂", "😮", "😢", "🙏")
FILES = (
    ("report.pdf", "application/pdf"),
    ("invoice.pdf", "application/pdf"),
    ("notes.txt", "text/plain"),
    ("budget.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("slides.pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
)


@dataclass(frozen=True)
class SeedConfig:
    users: int
    chats: int
    messages: int
    heavy_chats: int = 200
    group_share: float = 0.10
    heavy_group_share: float = 0.15
    empty_direct_share: float = 0.03
    history_days: int = 365
    random_seed: int = 20261126


FULL = SeedConfig(users=10_000, chats=50_000, messages=1_000_000)
QUICK = SeedConfig(users=500, chats=2_000, messages=20_000)


@dataclass(frozen=True)
class Seeded:
    heavy_user_id: int
    heavy_chat_ids: list[int]
    big_chat_id: int
    users: int
    chats: int
    messages: int
    members: int
    attachments: int
    reactions: int
    seconds: float
    seconds_generate: float
    seconds_load: float
    seconds_analyze: float


def display_name(user_id: int) -> str:
    return (
        f"{FIRST_NAMES[user_id % len(FIRST_NAMES)]} "
        f"{LAST_NAMES[(user_id // len(FIRST_NAMES)) % len(LAST_NAMES)]}"
    )


def _ts(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat()


def _weighted_picker(rng: random.Random, items: Sequence[int], weights: Sequence[float]):
    cumulative = list(itertools.accumulate(weights))
    total = cumulative[-1]

    def pick(k: int) -> list[int]:
        return [items[bisect_right(cumulative, rng.random() * total)] for _ in range(k)]

    return pick


@dataclass
class _Plan:
    """Everything generated, as COPY-ready text blocks plus a few facts."""

    users: str
    chats: str
    members: str
    messages: list[str]
    attachments: str
    reactions: str
    heavy_chat_ids: list[int]
    big_chat_id: int
    counts: dict[str, int]


def _plan_chats(
    cfg: SeedConfig, rng: random.Random
) -> tuple[list[str], list[list[int]], list[str | None]]:
    """Kinds, member lists (creator first) and titles, in chat-id order (index + 1)."""
    if cfg.users < cfg.heavy_chats + 21:
        raise ValueError("need more users than the heavy user has chats")
    heavy_groups = round(cfg.heavy_chats * cfg.heavy_group_share)
    heavy_direct = cfg.heavy_chats - heavy_groups
    n_groups = max(round(cfg.chats * cfg.group_share), heavy_groups)
    n_direct = cfg.chats - n_groups
    others = list(range(2, cfg.users + 1))
    # Sociability: some people have many chats, most a handful.
    pick_person = _weighted_picker(rng, others, [rng.lognormvariate(0, 0.8) for _ in others])

    pairs: set[tuple[int, int]] = {(HEAVY_USER_ID, k) for k in rng.sample(others, heavy_direct)}
    if n_direct - len(pairs) > len(others) * (len(others) - 1) // 4:
        raise ValueError("too many direct chats for this many users")
    while len(pairs) < n_direct:
        a, b = pick_person(2)
        if a != b:
            pairs.add((min(a, b), max(a, b)))

    chats: list[tuple[str, list[int], str | None]] = []
    for low, high in pairs:
        members = [low, high] if rng.random() < 0.5 else [high, low]
        chats.append(("direct", members, None))
    for g in range(n_groups):
        size = min(20, 3 + int(rng.expovariate(1 / 3.5)))
        members_set: set[int] = set()
        while len(members_set) < size - (1 if g < heavy_groups else 0):
            members_set.update(pick_person(1))
        members = list(members_set)
        rng.shuffle(members)
        if g < heavy_groups:
            members.insert(0 if rng.random() < 0.3 else rng.randrange(1, len(members)), 1)
        topic = GROUP_TOPICS[g % len(GROUP_TOPICS)]
        chats.append(("group", members, f"{topic} {g + 1}"))
    rng.shuffle(chats)
    return [c[0] for c in chats], [c[1] for c in chats], [c[2] for c in chats]


def _copy_line(*values: Any) -> str:
    return "\t".join(NULL if v is None else str(v) for v in values) + "\n"


def _generate(cfg: SeedConfig, password_hash: str) -> _Plan:
    rng = random.Random(cfg.random_seed)
    kinds, members, titles = _plan_chats(cfg, rng)
    n_chats = len(kinds)
    chat_ids = range(1, n_chats + 1)
    heavy_chat_ids = [c for c in chat_ids if HEAVY_USER_ID in members[c - 1]]
    heavy_set = set(heavy_chat_ids)
    heavy_groups = [c for c in heavy_chat_ids if kinds[c - 1] == "group"]
    big_chat_id = max(heavy_groups, key=lambda c: len(members[c - 1]))

    # Which chats have messages, and how many (heavy-tailed; groups and the
    # heavy user's chats busier; one busy group with deep history).
    direct_others = [c for c in chat_ids if kinds[c - 1] == "direct" and c not in heavy_set]
    empty = set(rng.sample(direct_others, int(len(direct_others) * cfg.empty_direct_share)))
    active = [c for c in chat_ids if c not in empty]
    big_count = int(cfg.messages * BIG_CHAT_SHARE)
    if cfg.messages < len(active) + big_count:
        raise ValueError("too few messages for this many chats")
    weights = []
    for c in active:
        w = rng.lognormvariate(0, 1.5)
        w *= 2.0 if kinds[c - 1] == "group" else 1.0
        w *= 3.0 if c in heavy_set else 1.0
        weights.append(0.0 if c == big_chat_id else w)
    pick_chat = _weighted_picker(rng, active, weights)
    timeline = active + [big_chat_id] * (big_count - 1)
    timeline += pick_chat(cfg.messages - len(timeline))
    rng.shuffle(timeline)

    start = datetime.now(UTC) - timedelta(days=cfg.history_days)
    t0 = start.timestamp()
    step = cfg.history_days * 86400 / cfg.messages
    ids_by_chat: dict[int, list[int]] = {c: [] for c in active}
    own_last: dict[tuple[int, int], int] = {}
    first_ts: dict[int, float] = {}
    last_ts: dict[int, float] = {}
    bodies = [
        " ".join(rng.choice(WORDS) for _ in range(1 + int(rng.expovariate(1 / 7))))
        for _ in range(3000)
    ]
    message_blocks: list[str] = []
    lines: list[str] = []
    attachment_lines: list[str] = []
    reaction_lines: list[str] = []
    for index, chat_id in enumerate(timeline):
        message_id = index + 1
        chat_members = members[chat_id - 1]
        history = ids_by_chat[chat_id]
        seq = len(history) + 1
        is_group = kinds[chat_id - 1] == "group"
        epoch = t0 + index * step + rng.random() * step * 0.9
        created = _ts(epoch)
        edited = deleted = reply_to = None
        client_msg_id: str | None = f"seed{message_id:010d}"
        r = rng.random()
        if is_group and seq == 1:
            sender, kind = chat_members[0], "system"
            body = f'{display_name(sender)} created group "{titles[chat_id - 1]}"'
            client_msg_id = None
        elif is_group and r < 0.004:
            sender, kind = chat_members[0], "system"
            body = f"{display_name(sender)} added {display_name(rng.choice(chat_members))}"
            client_msg_id = None
        else:
            if is_group:
                # A few members do most of the talking.
                sender = chat_members[min(int(rng.expovariate(0.4)), len(chat_members) - 1)]
            else:
                sender = chat_members[rng.random() < 0.5]
            body = rng.choice(bodies)
            if r < 0.05:
                kind = "image"
                body = body if rng.random() < 0.3 else ""
                attachment_lines.append(
                    _copy_line(
                        chat_id,
                        message_id,
                        sender,
                        f"seed-{message_id:010d}.jpg",
                        f"IMG_{message_id % 10000:04d}.jpg",
                        "image/jpeg",
                        rng.randint(80_000, 4_000_000),
                        1600,
                        1200,
                        created,
                    )
                )
            elif r < 0.065:
                kind, body = "file", ""
                name, mime = rng.choice(FILES)
                attachment_lines.append(
                    _copy_line(
                        chat_id,
                        message_id,
                        sender,
                        f"seed-{message_id:010d}.bin",
                        name,
                        mime,
                        rng.randint(5_000, 20_000_000),
                        None,
                        None,
                        created,
                    )
                )
            else:
                kind = "text"
                if history and rng.random() < 0.04:
                    reply_to = rng.choice(history[-30:])
            d = rng.random()
            if d < 0.008:
                deleted, body, reply_to = _ts(epoch + 60), "", None
            elif kind == "text" and d < 0.023:
                edited = _ts(epoch + 120)
            elif d < 0.048:
                for reactor in rng.sample(chat_members, min(len(chat_members), rng.randint(1, 3))):
                    reaction_lines.append(
                        _copy_line(message_id, reactor, rng.choice(EMOJI), _ts(epoch + 300))
                    )
        lines.append(
            _copy_line(
                message_id,
                chat_id,
                seq,
                sender,
                kind,
                body,
                reply_to,
                client_msg_id,
                created,
                edited,
                deleted,
            )
        )
        if len(lines) >= COPY_CHUNK_ROWS:
            message_blocks.append("".join(lines))
            lines = []
        history.append(message_id)
        own_last[(chat_id, sender)] = message_id
        first_ts.setdefault(chat_id, epoch)
        last_ts[chat_id] = epoch
    if lines:
        message_blocks.append("".join(lines))

    users = "".join(
        _copy_line(
            u,
            f"user{u:06d}",
            display_name(u),
            password_hash,
            "Hey there! I am using Chat." if u % 3 else "",
            _ts(t0 - 86400 * 30 + u),
        )
        for u in range(1, cfg.users + 1)
    )

    chat_lines = []
    for c in chat_ids:
        chat_members = members[c - 1]
        history = ids_by_chat.get(c, [])
        created_epoch = (
            first_ts[c] - 60 if c in first_ts else t0 + rng.random() * (cfg.history_days * 86400)
        )
        chat_lines.append(
            _copy_line(
                c,
                kinds[c - 1],
                titles[c - 1],
                f"{min(chat_members)}:{max(chat_members)}" if kinds[c - 1] == "direct" else None,
                chat_members[0],
                _ts(created_epoch),
                _ts(last_ts.get(c, created_epoch)),
                len(history),
                history[-1] if history else None,
            )
        )

    pinned = set(rng.sample(heavy_chat_ids, 3))
    rest = [c for c in heavy_chat_ids if c not in pinned]
    muted = set(rng.sample(rest, 8))
    archived = set(rng.sample([c for c in rest if c not in muted], 4))
    member_lines = []
    n_members = 0
    for c in chat_ids:
        chat_members = members[c - 1]
        history = ids_by_chat.get(c, [])
        joined = _ts(first_ts[c] - 60) if c in first_ts else _ts(t0)
        for position, user_id in enumerate(chat_members):
            heavy = user_id == HEAVY_USER_ID
            read, delivered = _cursors(rng, history, own_last.get((c, user_id), 0), heavy=heavy)
            is_admin = kinds[c - 1] == "group" and (position == 0 or rng.random() < 0.05)
            if heavy:
                is_muted, is_archived = c in muted, c in archived
                pinned_at = _ts(time.time() - 86400 * (len(pinned) + 1)) if c in pinned else None
            else:
                is_muted, is_archived, pinned_at = rng.random() < 0.03, rng.random() < 0.01, None
            member_lines.append(
                _copy_line(
                    c,
                    user_id,
                    "admin" if is_admin else "member",
                    joined,
                    read,
                    delivered,
                    "t" if is_muted else "f",
                    "t" if is_archived else "f",
                    pinned_at,
                )
            )
            n_members += 1

    return _Plan(
        users=users,
        chats="".join(chat_lines),
        members="".join(member_lines),
        messages=message_blocks,
        attachments="".join(attachment_lines),
        reactions="".join(reaction_lines),
        heavy_chat_ids=heavy_chat_ids,
        big_chat_id=big_chat_id,
        counts={
            "users": cfg.users,
            "chats": n_chats,
            "messages": len(timeline),
            "members": n_members,
            "attachments": len(attachment_lines),
            "reactions": len(reaction_lines),
        },
    )


def _cursors(
    rng: random.Random, history: list[int], own_last: int, *, heavy: bool
) -> tuple[int, int]:
    """(read, delivered) message ids: mostly caught up, some behind, a few never opened."""
    if not history:
        return 0, 0
    caught_up, slightly, well = (0.60, 0.90, 0.98) if heavy else (0.75, 0.92, 0.98)
    r = rng.random()
    if r < caught_up:
        lag = 0
    elif r < slightly:
        lag = rng.randint(1, 20)
    elif r < well:
        lag = rng.randint(21, 300)
    else:
        lag = len(history)
    position = len(history) - 1 - lag
    read = max(history[position] if position >= 0 else 0, own_last)
    if read == history[-1] or rng.random() < 0.7:
        delivered = history[-1]
    else:
        delivered = max(read, history[rng.randint(max(position, 0), len(history) - 1)])
    return read, delivered


def _copy(cursor: Any, table: str, columns: Iterable[str], blocks: Iterable[str]) -> None:
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    for block in blocks:
        if block:
            cursor.copy_expert(sql, io.StringIO(block))


def seed(dsn: str, cfg: SeedConfig, *, password_hash: str | None = None) -> Seeded:
    """Fill an empty, migrated database at ``dsn`` (a libpq URL) and analyze it."""
    import psycopg2
    from psycopg2 import errors

    started = time.perf_counter()
    if password_hash is None:
        from chat_app.services.passwords import hash_password

        password_hash = hash_password(SEED_PASSWORD)  # once, for everyone
    plan = _generate(cfg, password_hash)
    generated = time.perf_counter()

    connection = psycopg2.connect(dsn)
    try:
        with connection, connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
            _copy(
                cursor,
                "users",
                ("id", "username", "display_name", "password_hash", "about", "created_at"),
                [plan.users],
            )
            _copy(
                cursor,
                "chats",
                (
                    "id",
                    "kind",
                    "title",
                    "direct_key",
                    "created_by",
                    "created_at",
                    "last_activity_at",
                    "last_seq",
                    "last_message_id",
                ),
                [plan.chats],
            )
            _copy(
                cursor,
                "chat_members",
                (
                    "chat_id",
                    "user_id",
                    "role",
                    "joined_at",
                    "last_read_message_id",
                    "last_delivered_message_id",
                    "muted",
                    "archived",
                    "pinned_at",
                ),
                [plan.members],
            )
            _copy(
                cursor,
                "messages",
                (
                    "id",
                    "chat_id",
                    "seq",
                    "sender_id",
                    "kind",
                    "body",
                    "reply_to_id",
                    "client_msg_id",
                    "created_at",
                    "edited_at",
                    "deleted_at",
                ),
                plan.messages,
            )
            _copy(
                cursor,
                "attachments",
                (
                    "chat_id",
                    "message_id",
                    "uploader_id",
                    "storage_name",
                    "original_name",
                    "mime_type",
                    "size_bytes",
                    "width",
                    "height",
                    "created_at",
                ),
                [plan.attachments],
            )
            _copy(
                cursor,
                "reactions",
                ("message_id", "user_id", "emoji", "created_at"),
                [plan.reactions],
            )
            for table in ("users", "chats", "messages"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
        loaded = time.perf_counter()
        connection.autocommit = True
        with connection.cursor() as cursor:
            # What autovacuum would have done by now: statistics and the visibility map.
            cursor.execute("VACUUM (ANALYZE)")
            # Write the seed's dirty pages out now, not during the timed part.
            # (A DATABASE_URL role without pg_checkpoint leaves it to the server.)
            with contextlib.suppress(errors.InsufficientPrivilege):
                cursor.execute("CHECKPOINT")
    finally:
        connection.close()
    finished = time.perf_counter()
    return Seeded(
        heavy_user_id=HEAVY_USER_ID,
        heavy_chat_ids=plan.heavy_chat_ids,
        big_chat_id=plan.big_chat_id,
        users=plan.counts["users"],
        chats=plan.counts["chats"],
        messages=plan.counts["messages"],
        members=plan.counts["members"],
        attachments=plan.counts["attachments"],
        reactions=plan.counts["reactions"],
        seconds=round(finished - started, 2),
        seconds_generate=round(generated - started, 2),
        seconds_load=round(loaded - generated, 2),
        seconds_analyze=round(finished - loaded, 2),
    )


def main() -> None:
    import argparse
    import dataclasses
    import json

    from scratch_db import scratch_database

    parser = argparse.ArgumentParser(description="Seed a throw-away database, report, drop it.")
    parser.add_argument("--quick", action="store_true", help="the small seed")
    args = parser.parse_args()
    with scratch_database() as (_, dsn):
        seeded = seed(dsn, QUICK if args.quick else FULL)
    report = dataclasses.asdict(seeded)
    report["heavy_chat_ids"] = len(seeded.heavy_chat_ids)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
