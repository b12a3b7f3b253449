"""A running app for the browser tests (the Chromium is the session's, in tests/conftest.py).

The app runs the way production runs it (``reflex run --env prod``: the built
frontend and the backend on one port), on 127.0.0.1 and a free port, against
the test run's database. It is started once for this package and stopped
when its last test is done, so nothing of it (its realtime instance's
heartbeats, say) lingers into the tests that run after.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.app_runner import RealtimeProcess, running_app

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1440, "height": 900}}


@pytest.fixture(scope="package")
def realtime_service(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RealtimeProcess]:
    """The realtime service the app's pages connect to; a test may kill and restart it."""
    service = RealtimeProcess(database_url, tmp_path_factory.mktemp("realtime") / "realtime.log")
    service.start()
    yield service
    service.stop()


@pytest.fixture(scope="package")
def app_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Everything the app under test prints (Reflex, the backend, the app's own lines)."""
    return tmp_path_factory.mktemp("app") / "reflex.log"


@pytest.fixture(scope="package")
def app_url(database_url: str, realtime_service: RealtimeProcess, app_log: Path) -> Iterator[str]:
    with running_app(database_url, app_log, realtime_service) as base:
        yield base


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(autouse=True)
def set_up_in_a_moment(settings_env: Callable[..., None]) -> None:
    """What a test sets up through the services in this process (people, chats, a
    long history) happens in a moment, faster than any person sends; the app under
    test, started before this, keeps the default send limits."""
    settings_env(SEND_BURST_MAX="100000", SEND_SUSTAINED_MAX="100000")


def own_address() -> dict[str, str]:
    """Headers that make a browser a person at an address of its own (198.18.0.0/15,
    the benchmarking range): the app trusts X-Forwarded-For from loopback in
    development, so tests do not share one address's sign-in and sign-up limits."""
    return {"X-Forwarded-For": f"198.18.{random.randrange(256)}.{random.randrange(1, 255)}"}


def person_context(browser: Browser, app_url: str, viewport: str, **options) -> BrowserContext:
    """A browser of a person of their own: their own storage and their own address."""
    context = browser.new_context(
        viewport=VIEWPORTS[viewport], base_url=app_url, extra_http_headers=own_address(), **options
    )
    context.set_default_timeout(15_000)
    return context


@pytest.fixture(autouse=True)
def close_what_the_test_opened(browser: Browser) -> Iterator[None]:
    """Every browser context a test opened is closed when it ends, so its pages'
    sockets do not stay open against the app (and its per-address socket cap) for
    the rest of the run."""
    before = set(browser.contexts)
    yield
    for context in browser.contexts:
        if context not in before:
            context.close()


@pytest.fixture
def context(browser: Browser, viewport: str, app_url: str) -> BrowserContext:
    return person_context(browser, app_url, viewport)


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()
