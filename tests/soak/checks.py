"""The invariants, checked after every step: what each person sees agrees with
the database, and the database agrees with what the people did.

A screen may lag a moment behind (live updates travel), so each check looks
again until it holds or its time is up; only then is it a violation.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from tests.app_runner import http_status
from tests.soak.screen import Screen, read_screen, tag_of
from tests.soak.world import Chat, Database, Member, Sent, StoredRow, tag_counts

SETTLE_S = 20.0  # a live update, or a reload after a restart
RECONNECT_SETTLE_S = 45.0  # a page coming back online reconnects first
WINDOW_AT_LEAST = 15  # rows a chat shows at once (it shows about 50)


@dataclass
class Violation(Exception):
    step: int
    person: str
    what: str

    def __str__(self) -> str:
        return f"step {self.step}, {self.person}: {self.what}"


class Checks:
    def __init__(
        self,
        members: dict[str, Member],
        chats: dict[int, Chat],
        sent: dict[int, Sent],
        database: Database,
        backends: Callable[[], list[int]],
    ) -> None:
        self.members = members
        self.chats = chats
        self.sent = sent
        self.database = database
        self.backends = backends

    # --- one round ---------------------------------------------------------------------

    def everything(self, step: int, settle_s: float = SETTLE_S) -> None:
        """Every invariant, looked at again until it holds or ``settle_s`` passes."""
        deadline = time.monotonic() + settle_s
        while True:
            problems = self.problems()
            if not problems:
                return
            if time.monotonic() > deadline:
                person, what = problems[0]
                more = "; ".join(f"{p}: {w}" for p, w in problems[1:4])
                raise Violation(step, person, what + (f" (also {more})" if more else ""))
            self._let_pages_run()

    def problems(self) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        rows = {chat_id: self.database.rows(chat_id) for chat_id in self.chats}
        found += self._database_against_model(rows)
        for member in self.members.values():
            if member.page_errors:
                found.append((member.first_name, f"uncaught error: {member.page_errors[0]}"))
            if member.online:
                found += [
                    (member.first_name, what)
                    for what in self._screen_against_database(member, rows)
                ]
        return found

    def backends_answer(self, step: int) -> None:
        for port in self.backends():
            status = http_status(f"http://127.0.0.1:{port}/ping")
            if status != 200:
                raise Violation(step, "-", f"the backend on port {port} answered /ping {status}")

    def _let_pages_run(self) -> None:
        for member in self.members.values():
            member.page.wait_for_timeout(150 / len(self.members))

    # --- the database against what people did ------------------------------------------

    def _database_against_model(self, rows: dict[int, list[StoredRow]]) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        by_id = {row.id: row for chat_rows in rows.values() for row in chat_rows}
        for chat_id, chat_rows in rows.items():
            counts = tag_counts(chat_rows)
            for tag, count in counts.items():
                if count > 1:
                    found.append(("-", f"#{tag:05d} is stored {count} times in chat {chat_id}"))
            for row in chat_rows:
                tag = tag_of(row.body)
                if tag is not None and tag in self.sent and self.sent[tag].id is None:
                    self.sent[tag].id = row.id
        reactions = {chat_id: self.database.reactions_by_person(chat_id) for chat_id in self.chats}
        for message in self.sent.values():
            sender = self.members[message.sender]
            if message.id is None:
                if sender.online:
                    found.append((message.sender, f"#{message.tag:05d} is not stored"))
                continue
            row = by_id.get(message.id)
            if row is None or row.deleted != message.deleted:
                found.append(("-", f"#{message.tag:05d} deleted={message.deleted}, stored {row}"))
                continue
            if not message.deleted and row.body != message.text:
                found.append(("-", f"#{message.tag:05d} is {row.body!r}, not {message.text!r}"))
            stored = reactions[message.chat].get(message.id, {})
            expected = {self.members[name].username: e for name, e in message.reactions.items()}
            if stored != expected:
                found.append(("-", f"#{message.tag:05d} reactions {stored}, not {expected}"))
        return found

    # --- each screen against the database -----------------------------------------------

    def _screen_against_database(
        self, member: Member, rows: dict[int, list[StoredRow]]
    ) -> list[str]:
        screen = read_screen(member.page)
        found = [f"{what} is open" for what in screen.open]
        found += [f"text covered: {what}" for what in screen.covered]
        if member.chat is None:
            if screen.path.startswith("/chat/"):
                found.append(f"shows {screen.path}, not the chat list")
            return found
        if screen.path.rstrip("/") != f"/chat/{member.chat}":
            return [*found, f"shows {screen.path}, not chat {member.chat}"]
        expected_draft = member.drafts.get(member.chat, "")
        if screen.composer != expected_draft:
            found.append(f"the composer holds {screen.composer!r}, not {expected_draft!r}")
        chat = self.chats[member.chat]
        found += self._window(screen, rows[member.chat], chat.since.get(member.first_name, 0))
        for row in screen.pending:
            message = self.sent.get(row.tag or -1)
            if message is None or message.sender != member.first_name:
                found.append(f"a pending row that is not theirs: {row.text!r}")
            else:
                found.append(f"#{message.tag:05d} is still pending")
        return found

    @staticmethod
    def _window(screen: Screen, stored: list[StoredRow], since: int) -> list[str]:
        """The rows shown are a run of the stored ones, in order, each once, ending
        with the newest unless the person scrolled away from it."""
        stored = [row for row in stored if row.id >= since]
        shown = [row for row in screen.stored if row.id is not None and row.id >= since]
        ids = [row.id for row in stored]
        shown_ids = [row.id for row in shown]
        if not stored:
            return [f"shows {shown_ids} in an empty chat"] if shown_ids else []
        if not shown_ids:
            return [f"shows none of {len(ids)} stored messages"]
        if shown_ids[0] not in ids:
            return [f"shows message {shown_ids[0]}, not stored here"]
        start = ids.index(shown_ids[0])
        if ids[start : start + len(shown_ids)] != shown_ids:
            return [f"shows {_brief(shown_ids)}, stored {_brief(ids[start:])}"]
        if not screen.jump and shown_ids[-1] != ids[-1]:
            return [f"ends at {shown_ids[-1]}, the newest is {ids[-1]}"]
        if len(shown_ids) < min(len(ids), WINDOW_AT_LEAST):
            return [f"shows {len(shown_ids)} of {len(ids)} messages"]
        found = []
        by_id = {row.id: row for row in stored}
        for row in shown:
            truth = by_id[row.id]
            if row.deleted != truth.deleted:
                found.append(f"message {row.id} deleted={row.deleted} on screen")
            elif not truth.deleted and row.text != truth.body.strip():
                found.append(f"message {row.id} shows {row.text!r}, stored {truth.body!r}")
            if row.reactions != truth.reactions:
                found.append(f"message {row.id} shows {row.reactions}, stored {truth.reactions}")
        return found


def _brief(ids: list[int | None]) -> str:
    return str(ids) if len(ids) <= 8 else f"[{ids[0]}, …, {ids[-1]}] ({len(ids)})"
