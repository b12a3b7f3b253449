"""Changes to Reflex's page runtime (``.web/utils/state.js``) that keep cookie
reads out of a page's start-up.

A page reads ``document.cookie`` synchronously from the browser's network
process: each first read waits for an answer, and while a page loads that
took 10-23 ms per read here, inside the start-up's longest tasks. Reflex reads
cookies twice where this app needs none: ``universal-cookie``'s jar is built
(and reads them) when the module loads, although only ``rx.Cookie`` state uses
it and this app has none; and ``isBackendDisabled()`` reads them after every
render of the event loop to find Reflex Cloud's ``backend-enabled=false``,
which a self-hosted app never sets.

Each change names the exact text it replaces: a Reflex upgrade that changes it
stops the build here (and ``tests/test_start_up_patches.py``), rather than
leaving a page that quietly reads cookies again.
"""

from __future__ import annotations

import reflex as rx

STATE_JS = "utils/state.js"

_COOKIE_JAR = "const cookies = new Cookies();"
_LAZY_COOKIE_JAR = """// Built on first use, as building it reads document.cookie
// (chat_app/start_up_patches.py).
let cookieJar = null;
const jar = () => (cookieJar ??= new Cookies());
const cookies = {
  get: (...args) => jar().get(...args),
  set: (...args) => jar().set(...args),
  remove: (...args) => jar().remove(...args),
};"""

_BACKEND_DISABLED = """export const isBackendDisabled = () => {
  const cookie = document.cookie
    .split("; ")
    .find((row) => row.startsWith("backend-enabled="));
  return cookie !== undefined && cookie.split("=")[1] == "false";
};"""
_BACKEND_ALWAYS_ENABLED = """// A self-hosted backend is never switched off by a cookie
// (chat_app/start_up_patches.py); reading one cost every render a cookie read.
export const isBackendDisabled = () => false;"""

REPLACEMENTS = ((_COOKIE_JAR, _LAZY_COOKIE_JAR), (_BACKEND_DISABLED, _BACKEND_ALWAYS_ENABLED))


class PatchError(RuntimeError):
    """Reflex's runtime no longer holds the text a change replaces."""


def patch_state_js(source: str) -> str:
    """``source`` with every change made; a file already changed is returned as it is
    (the compiler hands over ``.web``'s copy, which a previous build changed)."""
    for original, replacement in REPLACEMENTS:
        if replacement in source:
            continue
        if source.count(original) != 1:
            raise PatchError(
                f"{STATE_JS} no longer holds exactly one {original.splitlines()[0]!r}: "
                "Reflex changed; review chat_app/start_up_patches.py"
            )
        source = source.replace(original, replacement)
    return source


class StartUpWithoutCookies(rx.plugins.Plugin):
    """Applies :func:`patch_state_js` on every compile."""

    def pre_compile(self, **context: object) -> None:
        add_modify_task = context["add_modify_task"]
        add_modify_task(STATE_JS, patch_state_js)  # type: ignore[operator]
