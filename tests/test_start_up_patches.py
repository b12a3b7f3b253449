"""The start-up's cookie reads stay out of Reflex's page runtime, and a Reflex
upgrade that moves what the change replaces is caught here, not by a slower page."""

from __future__ import annotations

from pathlib import Path

import pytest
import reflex_base

from chat_app.start_up_patches import REPLACEMENTS, PatchError, patch_state_js

TEMPLATE = Path(reflex_base.__file__).parent / ".templates" / "web" / "utils" / "state.js"


def test_reflexs_runtime_still_holds_what_is_replaced() -> None:
    source = TEMPLATE.read_text()
    for original, _ in REPLACEMENTS:
        assert source.count(original) == 1, original


def test_the_patched_runtime_reads_no_cookie_at_start_up() -> None:
    patched = patch_state_js(TEMPLATE.read_text())
    assert "new Cookies()" not in patched.replace("(cookieJar ??= new Cookies())", "")
    assert "export const isBackendDisabled = () => false;" in patched
    assert 'startsWith("backend-enabled=")' not in patched
    assert patch_state_js(patched) == patched  # a build over a built .web changes nothing


def test_a_runtime_without_the_text_stops_the_build() -> None:
    with pytest.raises(PatchError, match="Reflex changed"):
        patch_state_js("export const somethingElse = 1;")
