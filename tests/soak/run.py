"""The soak itself: people sign up, open chats with each other, then take turns
doing what people do, picked by a seeded random generator, while the checks
run after every step. Redis is restarted partway through.

The seed alone decides every choice (who, what, where, which words), so a
failing run replays with the same seed; the step it failed at, the moves that
led there and a screenshot of every page are written next to the report.
"""

from __future__ import annotations

import itertools
import random
import re
import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, WebSocket, expect
from playwright.sync_api import Error as PlaywrightError

from tests import sample_files
from tests.browser.conftest import VIEWPORTS
from tests.browser.helpers import message, sign_up
from tests.soak import moves
from tests.soak.checks import RECONNECT_SETTLE_S, Checks, Violation
from tests.soak.screen import TIMING_SCRIPT, harvest_timings, read_screen
from tests.soak.world import REACTIONS, Chat, Database, Member, Sent
from tests.stack import Stack

PEOPLE = (("Ana", "phone"), ("Ben", "desktop"), ("Chloé", "desktop"), ("Dev", "phone"))

# How often people do each thing, roughly as in a real afternoon of chatting.
MOVES = {
    "send": 30,
    "burst": 6,
    "reply": 7,
    "react": 8,
    "edit": 4,
    "delete": 3,
    "copy": 3,
    "attach": 5,
    "draft_and_switch": 9,
    "switch": 8,
    "look_around": 6,
    "back": 3,
    "reload": 3,
    "offline": 3,
    "group": 3,
}

WORDS = (
    "lunch at noon?", "running late 🏃", "ok 👍", "Ça marche", "who's in for Saturday?",
    "I'll bring the tea", "see you there", "naïve café plan", "😂😂", "on my way",
    "did you get the photo?", "yes", "no worries", "<b>not bold</b>", "50% off {today}",
    "¿qué tal?", "back in 5", "call me later", "nice!", "👀",
)  # fmt: skip
HALF_WRITTEN = ("I was thinking", "Maybe we could", "Sorry, I", "Wait —", "Also,")
EDIT_WINDOW_S = 10 * 60  # the app allows 15 minutes


@dataclass
class Outcome:
    seed: int
    people: int
    actions: int = 0
    messages: int = 0
    minutes: float = 0.0
    redis_restarts: int = 0
    violations: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    report: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "minutes": round(self.minutes, 1),
            "people": self.people,
            "seed": self.seed,
            "actions": self.actions,
            "messages": self.messages,
            "redis_restarts": self.redis_restarts,
            "violations": self.violations,
            "enter_to_other_screen_ms": percentiles(self.latencies_ms),
        }


def percentiles(values: list[float]) -> dict[str, float | int | None]:
    if not values:
        return {"p50": None, "p99": None, "count": 0}
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return {"p50": round(statistics.median(ordered), 1), "p99": round(p99, 1), "count": len(values)}


class Soak:
    def __init__(
        self,
        browser: Browser,
        stack: Stack,
        *,
        seed: int,
        people: int = 3,
        artifacts: Path,
        say: Callable[[str], None] = print,
    ) -> None:
        if not 2 <= people <= len(PEOPLE):
            raise ValueError(f"people must be 2 to {len(PEOPLE)}")
        self.browser = browser
        self.stack = stack
        self.seed = seed
        self.rng = random.Random(seed)
        self.artifacts = artifacts
        self.say = say
        self.database = Database(stack.database_url)
        self.members: dict[str, Member] = {}
        self.chats: dict[int, Chat] = {}
        self.sent: dict[int, Sent] = {}
        self.tags = itertools.count(1)
        self.step = 0
        self.journal: list[str] = []
        self.outcome = Outcome(seed=seed, people=people)
        self.checks = Checks(
            self.members,
            self.chats,
            self.sent,
            self.database,
            lambda: [port for backend in stack.backends if (port := backend.port)],
        )
        self.files = self._sample_files()
        self._cast = PEOPLE[:people]
        self._sent_at: dict[int, float] = {}
        self._reconnected_at = -10
        self._start_ups: dict[str, int] = {}

    # --- the run -------------------------------------------------------------------

    def run(self, *, actions: int | None = None, minutes: float | None = None) -> Outcome:
        """Until ``actions`` steps or ``minutes`` have passed; stops at the first violation."""
        started = time.monotonic()
        try:
            self._meet()
            restart_at = (actions or 0) // 2
            restart_after_s = (minutes or 0) * 30
            restarted = False
            while True:
                elapsed = time.monotonic() - started
                if actions is not None and self.step >= actions:
                    break
                if minutes is not None and elapsed >= minutes * 60:
                    break
                if not restarted and (
                    (actions and self.step >= restart_at)
                    or (minutes and elapsed >= restart_after_s)
                ):
                    self._restart_redis()
                    restarted = True
                self._one_step()
            self._agree_at_the_end()
        except Violation as violation:
            self.outcome.violations.append(str(violation))
            self._report(violation)
        finally:
            self.outcome.minutes = (time.monotonic() - started) / 60
            self.outcome.actions = self.step
            self.outcome.messages = len(self.sent)
            self.outcome.latencies_ms = self._latencies()
            self.database.close()
        return self.outcome

    def _one_step(self) -> None:
        self.step += 1
        for member in self.members.values():
            if not member.online and member.offline_until <= self.step:
                self._back_online(member)
        online = [m for m in self.members.values() if m.online]
        member = self.rng.choice(online)
        move = self.rng.choices(list(MOVES), weights=list(MOVES.values()))[0]
        start_ups = self._start_ups[member.first_name]
        try:
            detail = getattr(self, f"_{move}")(member)
        except (PlaywrightError, AssertionError) as error:
            if self._start_ups[member.first_name] == start_ups:
                raise Violation(self.step, member.first_name, f"{move} failed: {error}") from error
            # The page started up again under the move (a restarted Redis forgot
            # it, which closes what was open): look at where it is, as a person
            # would, and go on.
            self._where_am_i(member)
            detail = f"(the page started up again under it: {str(error).splitlines()[0]})"
        self._note(member, move, detail)
        settle = RECONNECT_SETTLE_S if self.step - self._reconnected_at <= 3 else None
        self.checks.everything(self.step, **({"settle_s": settle} if settle else {}))
        if self.step % 10 == 0:
            self.checks.backends_answer(self.step)

    def _note(self, member: Member, move: str, detail: str) -> None:
        line = f"{self.step:4d} {member.first_name:<6} {move:<17} {detail}"
        self.journal.append(line)
        self.say(line)

    # --- meeting: sign up, a direct chat between every two -------------------------

    def _meet(self) -> None:
        for first_name, device in self._cast:
            self._arrive(first_name, device)
        names = {m.first_name: m.name for m in self.members.values()}
        for first, second in itertools.combinations(list(self.members), 2):
            member = self.members[first]
            chat_id = moves.start_direct_chat(member, names[second])
            self.chats[chat_id] = Chat(chat_id, None, {first, second})
            member.chat = chat_id
            # An empty chat is in its opener's list only (as in WhatsApp): say hello.
            hello = self._write(member, self.chats[chat_id], "Hi!")
            moves.expect_stored(member.page, hello.text)
        self.say(f"soak: seed {self.seed}, {len(self.members)} people, {len(self.chats)} chats")
        self.checks.everything(self.step)

    def _arrive(self, first_name: str, device: str) -> None:
        touch = {"has_touch": True, "is_mobile": True} if device == "phone" else {}
        context = self.browser.new_context(
            viewport=VIEWPORTS[device], base_url=self.stack.url, **touch
        )
        context.set_default_timeout(moves.STEP_TIMEOUT_MS)
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=self.stack.url)
        context.add_init_script(TIMING_SCRIPT)
        page = context.new_page()
        suffix = uuid.uuid4().hex[:6]
        member = Member(
            first_name=first_name,
            name=f"{first_name} {suffix}",
            username=f"{_ascii(first_name)}_{suffix}{uuid.uuid4().hex[:4]}",
            device=device,
            page=page,
        )
        self._start_ups[first_name] = 0

        def started_up(_what: object = None) -> None:
            self._start_ups[first_name] += 1

        def start_up_sent(frame: str | bytes) -> None:
            # A page the server forgot starts up again on its socket, without a
            # load: its start-up goes as an event ("42"), not in a connect ("40").
            if isinstance(frame, str) and frame.startswith("42") and "hydrate_and_load" in frame:
                started_up()

        def on_socket(socket: WebSocket) -> None:
            socket.on("framesent", start_up_sent)

        page.on("load", started_up)
        page.on("websocket", on_socket)
        page.on("pageerror", lambda error: member.page_errors.append(str(error)))
        sign_up(page, member.username, member.name)
        expect(moves.chat_list(page)).to_be_visible()
        self.members[first_name] = member

    # --- the moves ---------------------------------------------------------------------

    def _in_a_chat(self, member: Member) -> Chat:
        """The chat they have open, or one they open now."""
        if member.chat is None or member.first_name not in self.chats[member.chat].members:
            self._open(member, self._pick_chat(member))
        assert member.chat is not None
        return self.chats[member.chat]

    def _pick_chat(self, member: Member, other_than: int | None = None) -> Chat:
        mine = [c for c in self._chats_of(member) if c.id != other_than]
        return self.rng.choice(mine)

    def _chats_of(self, member: Member) -> list[Chat]:
        return [
            c
            for c in sorted(self.chats.values(), key=lambda c: c.id)
            if member.first_name in c.members
        ]

    def _open(self, member: Member, chat: Chat) -> None:
        self._harvest(member)
        moves.open_chat(member, chat.id, chat.name_for(member.first_name, self._names()))
        member.chat = chat.id

    def _names(self) -> dict[str, str]:
        return {m.first_name: m.name for m in self.members.values()}

    def _new_tag(self) -> int:
        return next(self.tags)

    def _words(self) -> str:
        return " ".join(self.rng.sample(WORDS, self.rng.randint(1, 3)))

    def _watchers(self, member: Member, chat: Chat) -> tuple[str, ...]:
        """The other members online with this chat open: the screens a message goes to."""
        return tuple(
            m.first_name
            for m in self.members.values()
            if m is not member and m.online and m.chat == chat.id and m.first_name in chat.members
        )

    def _write(self, member: Member, chat: Chat, typed: str, kind: str = "text") -> Sent:
        """What they typed goes after whatever the composer held, with the tag last."""
        tag = self._new_tag()
        typed = f"{typed} #{tag:05d}"
        draft = member.drafts.pop(chat.id, "")
        text = f"{draft}{typed}" if draft else typed
        watchers = self._watchers(member, chat)
        sent = Sent(
            tag, chat.id, member.first_name, text, kind, watchers=watchers if member.online else ()
        )
        moves.type_in_composer(member.page, typed)
        moves.press_enter(member.page)
        self.sent[tag] = sent
        self._sent_at[tag] = time.monotonic()
        expect(moves.composer(member.page)).to_have_value("")
        return sent

    def _send(self, member: Member) -> str:
        chat = self._in_a_chat(member)
        sent = self._write(member, chat, self._words())
        moves.expect_stored(member.page, sent.text)
        return f"#{sent.tag:05d} in {chat.id}"

    def _burst(self, member: Member) -> str:
        """Several in a row, each typed right after the Enter of the one before."""
        chat = self._in_a_chat(member)
        burst = [self._write(member, chat, self._words()) for _ in range(self.rng.randint(2, 5))]
        for sent in burst:
            moves.expect_stored(member.page, sent.text)
        return f"{len(burst)} in {chat.id}"

    def _target(
        self, member: Member, chat: Chat, *, mine: bool = False, text_only: bool = False
    ) -> Sent | None:
        """A recent message of this chat on their screen, stored and not deleted.

        On their screen: a chat opens at its latest page, and a message further
        back is reached by scrolling up, which these moves do not do."""
        since = chat.since.get(member.first_name, 0)
        on_screen = {row.id for row in read_screen(member.page).rows}
        candidates = [
            s
            for s in self.sent.values()
            if s.chat == chat.id
            and s.id is not None
            and s.id in on_screen
            and s.id >= since
            and not s.deleted
            and (not mine or s.sender == member.first_name)
            and (not text_only or s.kind in ("text", "reply"))
            and (not mine or time.monotonic() - self._sent_at[s.tag] < EDIT_WINDOW_S)
        ][-8:]
        return self.rng.choice(candidates) if candidates else None

    def _reply(self, member: Member) -> str:
        chat = self._in_a_chat(member)
        target = self._target(member, chat)
        if target is None:
            return self._send(member)
        tag = self._new_tag()
        typed = f"{self._words()} #{tag:05d}"
        draft = member.drafts.pop(chat.id, "")
        moves.reply(member, target.text, typed)
        sent = Sent(tag, chat.id, member.first_name, draft + typed, "reply")
        self.sent[tag] = sent
        self._sent_at[tag] = time.monotonic()
        moves.expect_stored(member.page, sent.text)
        quote = message(member.page, sent.text).get_by_role(
            "button", name="Show the quoted message"
        )
        expect(quote).to_contain_text(target.text)
        return f"#{tag:05d} to #{target.tag:05d}"

    def _react(self, member: Member) -> str:
        chat = self._in_a_chat(member)
        target = self._target(member, chat)
        if target is None:
            return self._send(member)
        emoji = self.rng.choice(REACTIONS)
        moves.react(member, target.text, emoji)
        if target.reactions.get(member.first_name) == emoji:
            del target.reactions[member.first_name]
        else:
            target.reactions[member.first_name] = emoji
        return f"{emoji} on #{target.tag:05d}"

    def _edit(self, member: Member) -> str:
        chat = self._in_a_chat(member)
        target = self._target(member, chat, mine=True, text_only=True)
        if target is None:
            return self._send(member)
        new_text = f"{self._words()} (fixed) #{target.tag:05d}"
        moves.edit(member, target.text, new_text)
        target.text = new_text
        expect(message(member.page, new_text)).to_have_count(1)
        return f"#{target.tag:05d}"

    def _delete(self, member: Member) -> str:
        chat = self._in_a_chat(member)
        target = self._target(member, chat, mine=True)
        if target is None:
            return self._send(member)
        moves.delete_for_everyone(member, target.text)
        target.deleted = True
        target.reactions.clear()
        return f"#{target.tag:05d}"

    def _copy(self, member: Member) -> str:
        chat = self._in_a_chat(member)
        target = self._target(member, chat)
        if target is None:
            return self._send(member)
        held = moves.copy(member, target.text)
        if held != target.text:
            raise Violation(self.step, member.first_name, f"copied {held!r}, not {target.text!r}")
        return f"#{target.tag:05d}"

    def _attach(self, member: Member) -> str:
        chat = self._in_a_chat(member)
        kind = self.rng.choice(("photo", "document"))
        tag = self._new_tag()
        caption = f"{self._words()} #{tag:05d}"
        watchers = self._watchers(member, chat)
        moves.attach(member, self.files[kind], caption)
        self.sent[tag] = Sent(tag, chat.id, member.first_name, caption, kind, watchers=watchers)
        self._sent_at[tag] = time.monotonic()
        moves.expect_stored(member.page, caption)
        name = self.files[kind].name
        shown = member.page.get_by_role("img", name=name).or_(
            member.page.get_by_role("link", name=f"Download {name}")
        )
        expect(message(member.page, caption).locator(shown)).to_be_visible()
        return f"{kind} #{tag:05d} in {chat.id}"

    def _draft_and_switch(self, member: Member) -> str:
        chat = self._in_a_chat(member)
        if len(self._chats_of(member)) < 2:
            return self._send(member)
        half = self.rng.choice(HALF_WRITTEN) + " "
        moves.type_in_composer(member.page, half)
        member.drafts[chat.id] = member.drafts.get(chat.id, "") + half
        other = self._pick_chat(member, other_than=chat.id)
        self._open(member, other)
        return f"{half.strip()!r} left in {chat.id}, now in {other.id}"

    def _switch(self, member: Member) -> str:
        if len(self._chats_of(member)) < 2 and member.chat is not None:
            return self._send(member)
        other = self._pick_chat(member, other_than=member.chat)
        self._open(member, other)
        return f"to {other.id}"

    def _look_around(self, member: Member) -> str:
        if member.chat is None:
            what = "menu"
        else:
            what = self.rng.choice(
                ("emoji", "info", "attach", "menu" if not member.is_phone else "info")
            )
        moves.look_around(member, what)
        return what

    def _back(self, member: Member) -> str:
        if not member.is_phone or member.chat is None:
            return self._switch(member)
        self._harvest(member)
        moves.go_to_list(member)
        member.chat = None
        return "to the list"

    def _reload(self, member: Member) -> str:
        self._harvest(member)
        member.page.reload()
        self._where_am_i(member)
        return member.page.url

    def _offline(self, member: Member) -> str:
        """The network goes: sometimes they write meanwhile (it waits, pending)."""
        self._harvest(member)
        member.page.context.set_offline(True)
        member.online = False
        member.offline_until = self.step + self.rng.randint(2, 6)
        if member.chat is not None and self.rng.random() < 0.6:
            chat = self.chats[member.chat]
            sent = self._write(member, chat, self._words())
            expect(message(member.page, sent.text).get_by_label("Pending")).to_be_visible()
            return f"until step {member.offline_until}, #{sent.tag:05d} pending"
        return f"until step {member.offline_until}"

    def _back_online(self, member: Member) -> None:
        member.page.context.set_offline(False)
        member.online = True
        self._reconnected_at = self.step
        self._note(member, "online", "")

    def _group(self, member: Member) -> str:
        groups = [c for c in self.chats.values() if c.is_group]
        mine = [c for c in groups if c.admin == member.first_name]
        if not groups or (not mine and len(groups) < 2 and self.rng.random() < 0.5):
            return self._create_group(member)
        if not mine:
            return self._send(member)
        chat = self.rng.choice(mine)
        if member.chat != chat.id:
            self._open(member, chat)
        outsiders = sorted(set(self.members) - chat.members)
        # Only people online right now: they see it happen.
        insiders = sorted(
            who for who in chat.members - {member.first_name} if self.members[who].online
        )
        if not outsiders and not insiders:
            return self._send(member)
        if outsiders and (not insiders or self.rng.random() < 0.5):
            return self._add(member, chat, self.rng.choice(outsiders))
        return self._remove(member, chat, self.rng.choice(insiders))

    def _create_group(self, member: Member) -> str:
        others = sorted(set(self.members) - {member.first_name})
        chosen = self.rng.sample(others, self.rng.randint(1, len(others)))
        title = f"Plans {self._new_tag():05d}"
        self._harvest(member)
        chat_id = moves.create_group(member, title, [self.members[o].name for o in sorted(chosen)])
        self.chats[chat_id] = Chat(chat_id, title, {member.first_name, *chosen}, member.first_name)
        member.chat = chat_id
        return f"{chat_id} with {', '.join(sorted(chosen))}"

    def _add(self, member: Member, chat: Chat, who: str) -> str:
        moves.add_to_group(member, self.members[who].name)
        stored = self.database.rows(chat.id)
        chat.since[who] = (stored[-1].id + 1) if stored else 0
        chat.members.add(who)
        return f"{who} to {chat.id}"

    def _remove(self, member: Member, chat: Chat, who: str) -> str:
        moves.remove_from_group(member, self.members[who].name)
        chat.members.discard(who)
        gone = self.members[who]
        gone.drafts.pop(chat.id, None)
        if gone.chat == chat.id and gone.online:
            # They see it happen, then go back to their chats.
            self._harvest(gone)
            gone.page.goto("/")
            expect(moves.chat_list(gone.page)).to_be_visible()
            gone.chat = None
        return f"{who} from {chat.id}"

    # --- Redis, reloads, timings -----------------------------------------------------

    def _restart_redis(self) -> None:
        """Every tab's server-side state is gone; the pages rebuild it by themselves."""
        assert self.stack.redis is not None
        self.stack.redis.stop()
        self.stack.redis.start()
        self.outcome.redis_restarts += 1
        self.journal.append(f"{self.step:4d} -      redis restarted")
        self.say(self.journal[-1])

    def _where_am_i(self, member: Member) -> None:
        """After a reload: the chat in the address, once the page shows it."""
        found = re.search(r"/chat/(\d+)", member.page.url)
        member.chat = int(found.group(1)) if found else None
        shown = moves.chat_list if member.chat is None else moves.composer
        expect(shown(member.page)).to_be_visible()

    def _harvest(self, member: Member) -> None:
        if not member.online:
            return
        seen, enters = harvest_timings(member.page)
        for mine, theirs in ((member.seen, seen), (member.enters, enters)):
            for tag, at in theirs.items():
                mine[tag] = min(at, mine.get(tag, at))

    def _latencies(self) -> list[float]:
        for member in self.members.values():
            try:
                self._harvest(member)
            except PlaywrightError:
                continue
        found = []
        for sent in self.sent.values():
            entered = self.members[sent.sender].enters.get(sent.tag)
            for watcher in sent.watchers:
                shown = self.members[watcher].seen.get(sent.tag)
                if entered is not None and shown is not None:
                    found.append(shown - entered)
        return found

    # --- the end: every screen agrees with the database ------------------------------

    def _agree_at_the_end(self) -> None:
        self.step += 1
        for member in self.members.values():
            if not member.online:
                self._back_online(member)
        self.checks.everything(self.step, RECONNECT_SETTLE_S)
        for member in self.members.values():
            for chat in self._chats_of(member):
                self._open(member, chat)
                self.checks.everything(self.step)
        self._note(next(iter(self.members.values())), "visited all", "every chat, by everyone")
        for member in self.members.values():
            self._ticks_agree(member)

    def _ticks_agree(self, member: Member) -> None:
        """Everyone has read everything now, live; a reload shows the same."""
        deadline = time.monotonic() + 20
        while True:
            live = [(r.id, r.tick) for r in read_screen(member.page).stored if r.tick]
            unread = [(i, tick) for i, tick in live if tick != "Read"]
            if not unread:
                break
            if time.monotonic() > deadline:
                raise Violation(self.step, member.first_name, f"not Read on screen: {unread}")
            member.page.wait_for_timeout(200)
        self._harvest(member)
        member.page.reload()
        expect(moves.composer(member.page)).to_be_visible()
        self.checks.everything(self.step)
        reloaded = [(r.id, r.tick) for r in read_screen(member.page).stored if r.tick]
        if reloaded != live:
            raise Violation(self.step, member.first_name, f"live {live} but stored {reloaded}")

    # --- a failure: what a person needs to find it -----------------------------------

    def _report(self, violation: Violation) -> None:
        self.artifacts.mkdir(parents=True, exist_ok=True)
        shots = []
        for member in self.members.values():
            path = self.artifacts / f"step-{violation.step}-{_ascii(member.first_name)}.png"
            try:
                member.page.screenshot(path=str(path))
                shots.append(str(path))
            except PlaywrightError as error:
                shots.append(f"{path.name}: {error}")
        (self.artifacts / "journal.txt").write_text("\n".join(self.journal) + "\n")
        self.outcome.report = "\n".join(
            [
                f"soak violation: {violation}",
                f"seed {self.seed} (replay: SOAK_SEED={self.seed} pytest tests/soak, "
                f"or python bench/soak.py --seed {self.seed})",
                "the last steps:",
                *self.journal[-15:],
                "screenshots:",
                *shots,
            ]
        )
        self.say(self.outcome.report)

    def _sample_files(self) -> dict[str, Path]:
        folder = self.artifacts / "files"
        folder.mkdir(parents=True, exist_ok=True)
        photo = folder / "beach.png"
        photo.write_bytes(sample_files.png((320, 240)))
        document = folder / "minutes.pdf"
        document.write_bytes(sample_files.pdf())
        return {"photo": photo, "document": document}


def _ascii(name: str) -> str:
    return name.encode("ascii", "ignore").decode().lower()
