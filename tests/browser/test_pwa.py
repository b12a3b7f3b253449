"""The installable app: Chromium accepts its manifest, the service worker takes the
page over and opens the shell without a network, and signing out empties its cache."""

from __future__ import annotations

import importlib.util
import io
import json
import re
import shutil
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest
from PIL import Image
from playwright.sync_api import Page, WebSocketRoute, expect

from chat_app.settings import PROJECT_ROOT
from chat_app.ui.theme_colours import colour
from tests.app_runner import free_port
from tests.browser.helpers import (
    HOME_URL,
    eventually,
    expect_shell,
    sign_out,
    sign_up,
    unique_username,
)
from tests.stack import services as stack_services

OFFLINE = "Offline — reconnecting…"
CACHE_PREFIX = "chat-shell-"
MAKE_ICONS = PROJECT_ROOT / "scripts" / "make_icons.py"
WORKER = PROJECT_ROOT / "assets" / "service_worker.js"
# What the worker may keep: public files of the build, the same for everyone.
SHELL_PATH = re.compile(
    r"^/(|signin|signup|404\.html|theme\.css|manifest\.json|icons/[\w-]+\.png|assets/[\w.@~-]+|__build__)$"
)

CACHED_PATHS_JS = """async () => {
    const found = {};
    for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        found[name] = (await cache.keys()).map((request) => new URL(request.url).pathname);
    }
    return found;
}"""
# True once the worker has cached a whole build (it writes the build marker last).
SHELL_CACHED_JS = f"""async () => {{
    for (const name of await caches.keys()) {{
        const cache = await caches.open(name);
        if (name.startsWith("{CACHE_PREFIX}") && await cache.match("/__build__")) return true;
    }}
    return false;
}}"""
NO_SHELL_CACHE_JS = f"""async () =>
    (await caches.keys()).filter((name) => name.startsWith("{CACHE_PREFIX}")).length === 0"""
# The realtime link reports a lost connection after its 1.5 s grace.
REALTIME_DROP_MS = 15_000


def _signed_up(page: Page, viewport: str) -> None:
    sign_up(page, unique_username("pwa"), "Pat Offline")
    expect_shell(page, viewport)


def _wait_for_cached_shell(page: Page) -> None:
    assert eventually(page, SHELL_CACHED_JS), "the worker never cached the shell"


def _offline_notice(page: Page):
    return page.get_by_role("status").filter(has_text=OFFLINE)


def test_icons_and_manifest_colours_come_from_the_source_image_and_tokens() -> None:
    spec = importlib.util.spec_from_file_location("make_icons", MAKE_ICONS)
    assert spec is not None
    assert spec.loader is not None
    make_icons = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_icons)
    assert make_icons.stale(make_icons.planned()) == []
    manifest = json.loads((PROJECT_ROOT / "assets" / "manifest.json").read_text())
    assert manifest["theme_color"] == colour("panel")
    assert manifest["background_color"] == colour("sidebar")


def test_caddy_serves_the_worker_from_the_root_revalidated_on_every_visit(tmp_path: Path) -> None:
    """Production serves the export through the Caddyfile: a cached worker would
    keep the browser on an old one, and a worker under /assets/ could not reach /."""
    if shutil.which("caddy") is None:
        pytest.fail("caddy is not installed (apt-get install caddy; scripts/setup --dev)")
    root = tmp_path / "frontend"
    root.mkdir()
    (root / "index.html").write_text("<!doctype html><title>Chat</title>")
    shutil.copy(WORKER, root / WORKER.name)
    port = free_port()
    caddy = stack_services.caddy(
        port, root, [free_port()], [free_port()], tmp_path / "caddy", tmp_path
    )
    caddy.start()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/{WORKER.name}") as response:
            assert response.read() == WORKER.read_bytes()
            assert response.headers["Cache-Control"] == "no-cache"
            assert "javascript" in response.headers["Content-Type"]
    finally:
        caddy.stop()


def test_chromium_parses_the_manifest_and_its_icons(page: Page) -> None:
    page.goto("/signin")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    session = page.context.new_cdp_session(page)
    answer = session.send("Page.getAppManifest")
    assert answer["errors"] == []
    assert urlparse(answer["url"]).path == "/manifest.json"
    manifest = json.loads(answer["data"])
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == "/"
    assert manifest["scope"] == "/"
    assert manifest["name"]
    assert manifest["short_name"]
    assert manifest["description"]
    purposes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= purposes
    for icon in manifest["icons"]:
        response = page.request.get(icon["src"])
        assert response.ok, icon["src"]
        width, height = Image.open(io.BytesIO(response.body())).size
        assert f"{width}x{height}" == icon["sizes"], icon["src"]

    themes = page.locator("meta[name=theme-color]")
    assert {
        (themes.nth(i).get_attribute("media"), themes.nth(i).get_attribute("content"))
        for i in range(themes.count())
    } == {
        ("(prefers-color-scheme: light)", colour("panel")),
        ("(prefers-color-scheme: dark)", colour("panel", "dark")),
    }
    touch = page.locator("link[rel=apple-touch-icon]").get_attribute("href")
    assert touch is not None
    assert page.request.get(touch).ok


class _CuttableRealtime:
    """The page's realtime socket, which goes down with the network.

    Chromium's offline mode leaves open websockets alone, as a phone losing its
    signal would not; this closes the realtime one and refuses new ones."""

    def __init__(self, page: Page) -> None:
        self.up = True
        self.sockets: list[WebSocketRoute] = []
        page.context.route_web_socket(re.compile(r"/realtime$"), self._route)

    def _route(self, socket: WebSocketRoute) -> None:
        if self.up:
            socket.connect_to_server()
            self.sockets.append(socket)
        else:
            socket.close(code=1011, reason="offline")

    def cut(self) -> None:
        self.up = False
        for socket in self.sockets:
            socket.close(code=1011, reason="offline")


def test_the_worker_controls_the_page_and_the_shell_opens_offline(
    page: Page, viewport: str
) -> None:
    realtime = _CuttableRealtime(page)
    _signed_up(page, viewport)
    scope = page.evaluate("navigator.serviceWorker.ready.then((r) => r.scope)")
    assert urlparse(scope).path == "/"
    _wait_for_cached_shell(page)
    page.reload()
    expect_shell(page, viewport)
    assert page.evaluate("navigator.serviceWorker.controller.scriptURL").endswith(
        "/service_worker.js"
    )
    expect(_offline_notice(page)).to_have_count(0)

    page.context.set_offline(True)
    realtime.cut()
    # The open page notices at once, and says so once: the realtime link's own
    # "Connecting…" notice, there as well after its grace, steps aside.
    expect(_offline_notice(page)).to_be_visible()
    expect(page.locator(".wa-realtime-banner")).to_be_attached(timeout=REALTIME_DROP_MS)
    expect(page.get_by_text("Connecting…", exact=True)).to_be_hidden()
    expect(page.get_by_role("status")).to_have_count(1)
    # Nor does Reflex add its own: no connection toast, no pulsing icon.
    expect(page.locator('[title^="Connection Error"]')).to_have_count(0)
    expect(page.get_by_text("Cannot connect to server")).to_have_count(0)
    # ...and the app still opens, from the cache, on a reload and at any of its addresses.
    page.reload()
    expect(page).to_have_url(HOME_URL)
    expect(page).to_have_title("Chat")
    expect(_offline_notice(page)).to_be_visible()
    page.goto("/signin")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    expect(page.get_by_label("Username")).to_be_visible()
    expect(_offline_notice(page)).to_be_visible()
    page.goto("/chat/12345")
    expect(_offline_notice(page)).to_be_visible()

    page.context.set_offline(False)
    page.goto("/")
    expect_shell(page, viewport)
    expect(_offline_notice(page)).to_have_count(0)


def test_only_the_public_shell_is_cached_and_sign_out_clears_it(page: Page, viewport: str) -> None:
    _signed_up(page, viewport)
    _wait_for_cached_shell(page)
    # Traffic that belongs to the person or is live goes past the worker.
    for path in ("/ping", "/_health", "/files/1/x.png", "/avatars/1/x.png"):
        page.evaluate("(path) => fetch(path).then((r) => r.status)", path)
    page.reload()
    expect_shell(page, viewport)

    cached = page.evaluate(CACHED_PATHS_JS)
    shell = [paths for name, paths in cached.items() if name.startswith(CACHE_PREFIX)]
    assert len(shell) == 1, cached
    assert "/" in shell[0]
    assert "/404.html" in shell[0]
    assert [path for path in shell[0] if not SHELL_PATH.match(path)] == []

    sign_out(page)
    assert eventually(page, NO_SHELL_CACHE_JS), "sign-out left the shell cached"
    assert page.evaluate(CACHED_PATHS_JS) == {}

    # The next visit caches the shell again, for whoever signs in next.
    page.reload()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    _wait_for_cached_shell(page)
