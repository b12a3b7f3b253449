"""Redis is down for half a minute: the pages say they are connecting, and nothing else.

Seen in use: both pages showed Reflex's red "An error occurred. Contact the
website administrator." toast, and nothing more; ``/_health`` through Caddy
took 5 s to answer (every backend was out of the rotation, and it waited out
``lb_try_duration`` before saying so), and a backend's own ``/_health`` hung
for as long as a silent Redis let it.
"""

from __future__ import annotations

import json
import os
import re
import signal
import time
import urllib.error
import urllib.request
from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.browser.helpers import message, send_message
from tests.stack import Stack
from tests.topology.people import ACKNOWLEDGED, LIVE_TIMEOUT_MS, Conversation, stored_tokens

DOWN_FOR_S = 30
HEALTH_ANSWERS_WITHIN_S = 2.0
CHAT_PATH = re.compile(r"/chat/\d+/?$")
NOTICE = re.compile(r"^(Connecting…|Offline — reconnecting…)$")
ERROR_TEXT = "An error occurred"
# Remembers, across reloads of the tab, whether Reflex's error toast (or its
# fallback alert) ever said anything.
WATCH_FOR_ERRORS_JS = """
(() => {
  const text = "An error occurred";
  const look = () => {
    if (document.body && document.body.innerText.includes(text)) {
      sessionStorage.setItem("saw_error", document.body.innerText.slice(0, 500));
    }
  };
  const start = () => {
    new MutationObserver(look).observe(document.documentElement, {
      subtree: true, childList: true, characterData: true,
    });
    look();
  };
  if (document.documentElement) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
"""


def _watch_for_errors(page: Page, alerts: list[str]) -> None:
    page.context.add_init_script(WATCH_FOR_ERRORS_JS)
    page.evaluate(WATCH_FOR_ERRORS_JS)
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))


def _error_seen(page: Page) -> str | None:
    return page.evaluate("sessionStorage.getItem('saw_error')")


def _health(url: str) -> tuple[int, str, float]:
    """Status, body and seconds taken; a status of 0 is no answer at all."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            status, body = response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read().decode()
    except OSError:
        status, body = 0, ""
    return status, body, time.monotonic() - started


def _expect_health_says_redis_is_down(stack: Stack) -> None:
    """Through Caddy, no backend is fit to serve: 503 at once. Each backend, asked
    itself, says why."""
    status, answer, took = _health(f"{stack.url}/_health")
    assert status == 503, (status, answer)
    assert took < HEALTH_ANSWERS_WITHIN_S, f"/_health through Caddy took {took:.1f} s"
    for backend in stack.backends:
        _expect_backend_says_redis_is_down(backend.name, backend.port)


def _expect_backend_says_redis_is_down(name: str, port: int | None) -> None:
    status, answer, took = _health(f"http://127.0.0.1:{port}/_health")
    assert status == 503, (name, status, answer)
    assert json.loads(answer)["redis"] is False, (name, answer)
    assert took < HEALTH_ANSWERS_WITHIN_S, f"{name}'s /_health took {took:.1f} s"


def test_redis_down_for_a_while_shows_one_notice_and_the_message_waits(
    stack: Stack, conversation_factory: Callable[[], Conversation]
) -> None:
    chat = conversation_factory()
    chat.exchange("before", 2)
    tokens = stored_tokens(chat)
    alerts: list[str] = []
    for person in chat.people:
        _watch_for_errors(person.page, alerts)
    alice, bob = chat.people
    body = "written while Redis was away"

    assert stack.redis is not None
    stack.redis.stop()
    went_down = time.monotonic()
    # Caddy's health checks have seen every backend fail theirs.
    stack.let_proxy_notice()

    # The health check answers at once, and says what is wrong.
    _expect_health_says_redis_is_down(stack)

    send_message(alice.page, body)
    expect(message(alice.page, body).get_by_label("Pending")).to_be_visible()
    expect(alice.page.get_by_role("status").get_by_text(NOTICE)).to_be_visible(
        timeout=LIVE_TIMEOUT_MS
    )
    while time.monotonic() - went_down < DOWN_FOR_S:
        alice.page.wait_for_timeout(1_000)
        _expect_health_says_redis_is_down(stack)
    expect(alice.page.get_by_role("status").get_by_text(NOTICE)).to_be_visible()
    expect(message(alice.page, body).get_by_label("Pending")).to_be_visible()
    for person in chat.people:
        expect(person.page.get_by_text(ERROR_TEXT)).to_have_count(0)

    stack.redis.start()

    chat.sent.append(body)
    expect(message(alice.page, body).get_by_label(ACKNOWLEDGED)).to_be_visible(timeout=40_000)
    expect(message(bob.page, body)).to_have_count(1, timeout=LIVE_TIMEOUT_MS)
    for person in chat.people:
        expect(person.page.get_by_role("status").get_by_text(NOTICE)).to_have_count(
            0, timeout=LIVE_TIMEOUT_MS
        )
    chat.say(bob, "and back")
    chat.say(alice, "all good")
    for person in chat.people:
        expect(person.page).to_have_url(CHAT_PATH)
        assert _error_seen(person.page) is None, person.name
    assert alerts == []
    assert stored_tokens(chat) == tokens
    chat.expect_each_once_everywhere(stack.database_url)


def test_a_silent_redis_is_reported_within_the_health_checks_timeout(stack: Stack) -> None:
    """Frozen, Redis neither answers nor refuses: each backend's /_health still
    answers within Caddy's health_timeout (2 s), saying Redis is down."""
    assert stack.redis is not None
    assert stack.redis.pid is not None
    os.killpg(stack.redis.pid, signal.SIGSTOP)
    try:
        for backend in stack.backends:
            _expect_backend_says_redis_is_down(backend.name, backend.port)
    finally:
        os.killpg(stack.redis.pid, signal.SIGCONT)
