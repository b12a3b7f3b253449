"""What the public origin says about itself, through the real Caddy in front of the
real backends and realtime instances: CORS for its own origin only, no software
names, HSTS over HTTPS, the documented CSP (and the app working under it), and
uploads capped before they reach a backend's disk."""

from __future__ import annotations

import re
import ssl
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, expect
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect
from websockets.typing import Origin

from chat_app.settings import PROJECT_ROOT
from chat_app.state.session import TOKEN_STORAGE_KEY
from tests import sample_files as files
from tests.app_runner import Service, free_port, http_status
from tests.stack import Stack, services
from tests.test_upload_guard import MB, post_upload
from tests.topology.people import Conversation, open_conversation, sign_up_person

FOREIGN_ORIGIN = "https://evil.example"
# Every kind of answer: the page shell, a hashed asset that is missing, Reflex's
# routes, the signed file routes (refused), the realtime path, a preflight.
PATHS = ["/", "/signin", "/assets/missing.js", "/ping", "/_health", "/files/1/x", "/avatars/x"]
SOFTWARE = re.compile(r"caddy|granian|uvicorn|python|starlette", re.I)
DOCUMENTED_CSP = re.search(
    r"\*\*Content-Security-Policy\*\*, exactly:\s*```\s*(.+?)\s*```",
    (PROJECT_ROOT / "docs" / "architecture.md").read_text(),
    re.S,
)
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', event => window.__cspViolations.push(
  `${event.effectiveDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`));
"""


def fetch(
    url: str, *, method: str = "GET", headers: dict[str, str] | None = None, insecure: bool = False
) -> tuple[int, dict[str, str]]:
    """Status and headers (names lower-cased; a repeated header joined with ", ")."""
    request = urllib.request.Request(url, method=method, headers=headers or {})
    context = ssl._create_unverified_context() if insecure else None
    try:
        with urllib.request.urlopen(request, timeout=10, context=context) as response:
            status, raw = response.status, response.headers
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.headers
    found: dict[str, str] = {}
    for name, value in raw.items():
        key = name.lower()
        found[key] = f"{found[key]}, {value}" if key in found else value
    return status, found


@pytest.mark.parametrize("path", PATHS)
def test_no_answer_names_the_software_behind_it(stack: Stack, path: str) -> None:
    for method in ("GET", "OPTIONS"):
        _, headers = fetch(stack.url + path, method=method, headers={"Origin": stack.url})
        for name in ("server", "via", "x-powered-by"):
            assert not SOFTWARE.search(headers.get(name, "")), (path, method, name, headers)
            assert name not in headers, (path, method, name, headers[name])


def test_the_realtime_path_names_no_software_either(stack: Stack) -> None:
    """A plain GET on the websocket path reaches a realtime instance (uvicorn)."""
    _, headers = fetch(stack.url + "/realtime")
    assert "server" not in headers
    assert "via" not in headers


@pytest.mark.parametrize("path", ["/ping", "/_health", "/_upload"])
def test_a_foreign_origin_gets_no_cors_permission(stack: Stack, path: str) -> None:
    _, simple = fetch(stack.url + path, headers={"Origin": FOREIGN_ORIGIN})
    _, preflight = fetch(
        stack.url + path,
        method="OPTIONS",
        headers={
            "Origin": FOREIGN_ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, reflex-client-token",
        },
    )

    for headers in (simple, preflight):
        assert "access-control-allow-origin" not in headers, headers
        assert "access-control-allow-credentials" not in headers, headers


def test_the_public_origin_is_allowed_and_only_it(stack: Stack) -> None:
    _, simple = fetch(stack.url + "/ping", headers={"Origin": stack.url})
    status, preflight = fetch(
        stack.url + "/_upload",
        method="OPTIONS",
        headers={
            "Origin": stack.url,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, reflex-client-token",
        },
    )

    assert simple["access-control-allow-origin"] == stack.url
    assert status == 200
    assert preflight["access-control-allow-origin"] == stack.url
    assert "access-control-allow-credentials" not in simple


def event_socket_opens(base_url: str, origin: str) -> bool:
    """Whether Reflex's event websocket opens for a page of ``origin``."""
    url = base_url.replace("http://", "ws://") + "/_event/?EIO=4&transport=websocket"
    try:
        with connect(url, origin=Origin(origin), open_timeout=10) as socket:
            return socket.recv(timeout=10).startswith("0")  # Engine.IO's "open"
    except InvalidStatus:
        return False


def test_reflex_websocket_refuses_pages_of_another_origin(stack: Stack) -> None:
    """Socket.IO's handshake checks Origin against the same list (a cross-site page
    cannot drive a tab's event socket)."""
    assert not event_socket_opens(stack.url, FOREIGN_ORIGIN)
    assert event_socket_opens(stack.url, stack.url)


@pytest.mark.parametrize("path", ["/", "/signin", "/chat/1"])
def test_pages_carry_exactly_the_documented_policy_and_no_hsts_over_http(
    stack: Stack, path: str
) -> None:
    assert DOCUMENTED_CSP is not None, "docs/architecture.md lost its CSP block"

    status, headers = fetch(stack.url + path)

    assert status == 200
    assert headers["content-security-policy"] == DOCUMENTED_CSP.group(1)
    assert "strict-transport-security" not in headers


def test_hsts_is_sent_when_a_tls_proxy_in_front_says_https(stack: Stack) -> None:
    _, headers = fetch(stack.url + "/", headers={"X-Forwarded-Proto": "https"})

    assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"


@pytest.fixture
def https_caddy(stack: Stack, tmp_path: Path) -> Iterator[str]:
    """The same Caddyfile with an https:// site address (Caddy's own certificate
    for 127.0.0.1), in front of the same instances."""
    # Without it Caddy would add its authority to this machine's trust store.
    assert "skip_install_trust" in services.CADDYFILE.read_text()
    port = free_port()
    url = f"https://127.0.0.1:{port}"
    env = {
        **services.caddy_home(tmp_path / "caddy"),
        **services.caddy_settings(
            port,
            stack.frontend_root,
            [p for backend in stack.backends if (p := backend.port)],
            [p for instance in stack.realtimes if (p := instance.port)],
        ),
        "SITE_ADDRESS": url,
    }

    def answers() -> bool:
        try:
            return fetch(url + "/", insecure=True)[0] == 200
        except OSError:
            return False

    caddy = Service(
        "caddy-https", services.caddy_command("run"), env, answers, tmp_path / "caddy.log"
    )
    caddy.start()
    yield url
    caddy.stop()


def test_hsts_is_sent_over_https(https_caddy: str) -> None:
    status, headers = fetch(https_caddy + "/", insecure=True)

    assert status == 200
    assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
    assert "server" not in headers


def test_the_app_runs_under_the_policy_without_a_single_violation(
    browser: Browser, stack: Stack, tmp_path: Path
) -> None:
    """Sign-up, a conversation both ways, a photo sent and seen, a reload: the
    browser reports no Content-Security-Policy violation anywhere."""
    original_new_context = browser.new_context
    contexts = []

    def new_context(**options: object):
        context = original_new_context(**options)
        context.add_init_script(CSP_LISTENER)
        contexts.append(context)
        return context

    browser.new_context = new_context  # type: ignore[method-assign]
    try:
        conversation: Conversation = open_conversation(browser, stack.url)
    finally:
        browser.new_context = original_new_context  # type: ignore[method-assign]
    try:
        conversation.say(conversation.alice, "under the policy")
        conversation.say(conversation.bob, "still fine")
        photo = tmp_path / "square.png"
        Image.new("RGB", (64, 48), (0, 120, 200)).save(photo)
        alice = conversation.alice.page
        alice.get_by_role("button", name="Attach").click()
        alice.locator("#attachments input[type=file]").set_input_files(str(photo))
        alice.get_by_role("button", name="Send", exact=True).click()
        seen = conversation.bob.page.get_by_role("img", name="square.png")
        expect(seen).to_be_visible()
        assert seen.evaluate("img => img.decode().then(() => img.naturalWidth)") == 64
        violations = []
        for person in conversation.people:
            violations += person.page.evaluate("window.__cspViolations")
            person.page.reload()
            expect(person.page.get_by_role("list", name="Chats")).to_be_visible()
            violations += person.page.evaluate("window.__cspViolations")
        assert violations == []
    finally:
        conversation.close()
        for context in contexts:
            context.close()


@pytest.fixture
def session_token(browser: Browser, stack: Stack) -> Iterator[str]:
    """A real session of the stack: signed up through the browser, read from the
    page's own storage."""
    person = sign_up_person(browser, stack.url, "Uploader")
    yield person.page.evaluate(f"localStorage.getItem({TOKEN_STORAGE_KEY!r})")
    person.page.context.close()


@pytest.mark.parametrize(("signed_in", "status"), [(False, 401), (True, 413)])
def test_a_300_mb_upload_is_refused_through_the_proxy_and_stores_nothing(
    request: pytest.FixtureRequest, stack: Stack, signed_in: bool, status: int
) -> None:
    """Without a session: 401. With one, but too large for one upload: 413."""
    token = request.getfixturevalue("session_token") if signed_in else None
    before = files.listing(stack.upload_dir)

    answer = post_upload(stack.port, size=300 * MB, token=token)

    assert answer.status == status
    assert answer.sent < 64 * MB
    assert files.listing(stack.upload_dir) == before


def test_refused_uploads_never_take_a_backend_out_of_the_rotation(stack: Stack) -> None:
    """A backend refuses an upload before reading its body and closes the
    connection. Were the proxy still sending that body, the close would reset it,
    the proxy would answer 502 and count the backend as failed: a few anonymous
    uploads would leave every backend out of the rotation (503 for everyone). The
    proxy asks first (``Expect: 100-continue``), so the refusal is a clean answer."""
    seen = []
    for chunked in (False, True) * 6:
        answer = post_upload(stack.port, size=300 * MB, token=None, chunked=chunked)
        seen.append((answer.status, http_status(f"{stack.url}/ping")))

    assert seen == [(401, 200)] * 12
