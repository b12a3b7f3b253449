"""What the soak's people have done (the model) and what the database holds.

The model is what a person would remember: which messages they sent where,
what they changed, what they typed and left in each chat's composer, who is in
which group. The database is the truth every screen must agree with; the model
is what the database must agree with.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from playwright.sync_api import Page
from sqlalchemy import Engine, create_engine, pool, text

from tests.soak.screen import tag_of

REACTIONS = ("👍", "❤️", "😂", "😮", "😢", "🙏")


@dataclass
class Member:
    """One person and their browser: a phone (touch) or a desktop (mouse)."""

    first_name: str
    name: str
    username: str
    device: str
    page: Page
    chat: int | None = None  # the chat open on screen, None for the list
    drafts: dict[int, str] = field(default_factory=dict)
    online: bool = True
    offline_until: int = 0  # the step at which they come back
    page_errors: list[str] = field(default_factory=list)
    seen: dict[int, float] = field(default_factory=dict)  # tag -> first shown (ms)
    enters: dict[int, float] = field(default_factory=dict)  # tag -> Enter pressed (ms)

    @property
    def is_phone(self) -> bool:
        return self.device == "phone"


@dataclass
class Sent:
    """A message someone sent, by its tag."""

    tag: int
    chat: int
    sender: str
    text: str
    kind: str = "text"  # text, photo, document, reply
    id: int | None = None  # the database's, once stored
    deleted: bool = False
    reactions: dict[str, str] = field(default_factory=dict)  # person -> emoji
    # Who had the chat open (and was online) when Enter was pressed.
    watchers: tuple[str, ...] = ()


@dataclass
class Chat:
    id: int
    title: str | None  # a group's; None for a direct chat
    members: set[str]
    admin: str | None = None
    # Per member, the first message id they may see from this membership on
    # (0: everything); a member added back sees from then.
    since: dict[str, int] = field(default_factory=dict)

    @property
    def is_group(self) -> bool:
        return self.title is not None

    def name_for(self, person: str, names: dict[str, str]) -> str:
        """The chat's name in that person's list: the title, or the other's name."""
        if self.title is not None:
            return self.title
        (other,) = self.members - {person}
        return names[other]


@dataclass
class StoredRow:
    id: int
    body: str
    deleted: bool
    reactions: list[str]  # "👍 2", as the chips are labelled, sorted


class Database:
    """Reads of the topology's database (no writes: people make every change)."""

    def __init__(self, url: str) -> None:
        self.engine: Engine = create_engine(url, poolclass=pool.NullPool)

    def rows(self, chat_id: int) -> list[StoredRow]:
        """The chat's people's messages (no system lines), in the chat's order."""
        with self.engine.connect() as connection:
            messages = connection.execute(
                text(
                    "SELECT id, body, deleted_at IS NOT NULL AS deleted FROM messages "
                    "WHERE chat_id = :chat AND kind <> 'system' ORDER BY seq"
                ),
                {"chat": chat_id},
            ).all()
            reactions = connection.execute(
                text(
                    "SELECT r.message_id, r.emoji, count(*) AS n FROM reactions r "
                    "JOIN messages m ON m.id = r.message_id WHERE m.chat_id = :chat "
                    "GROUP BY r.message_id, r.emoji"
                ),
                {"chat": chat_id},
            ).all()
        chips: dict[int, list[str]] = defaultdict(list)
        for message_id, emoji, count in reactions:
            chips[message_id].append(f"{emoji} {count}")
        return [StoredRow(row.id, row.body, row.deleted, sorted(chips[row.id])) for row in messages]

    def reactions_by_person(self, chat_id: int) -> dict[int, dict[str, str]]:
        """message id -> username -> emoji."""
        with self.engine.connect() as connection:
            found = connection.execute(
                text(
                    "SELECT r.message_id, u.username, r.emoji FROM reactions r "
                    "JOIN messages m ON m.id = r.message_id JOIN users u ON u.id = r.user_id "
                    "WHERE m.chat_id = :chat"
                ),
                {"chat": chat_id},
            ).all()
        by_message: dict[int, dict[str, str]] = defaultdict(dict)
        for message_id, username, emoji in found:
            by_message[message_id][username] = emoji
        return by_message

    def close(self) -> None:
        self.engine.dispose()


def tag_counts(rows: list[StoredRow]) -> Counter[int]:
    return Counter(tag for row in rows if (tag := tag_of(row.body)) is not None)
