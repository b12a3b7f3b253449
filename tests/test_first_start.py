"""The README's first command on a fresh checkout: what a newcomer reads is true.

``reflex run`` runs as the README says, in a copy of the checkout's files (no
``.web``, no ``.data``, no settings in the environment, so the embedded
PostgreSQL starts), on free ports. Its output must say where the app is and
where its data is, and must not tell the newcomer to run the app that is
already starting, to run a migration command this project forbids, or to
upgrade a Node.js that nothing uses.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from chat_app.settings import PROJECT_ROOT
from tests.app_runner import answers, free_port

START_TIMEOUT_S = 600
# Lines that were printed on a first start and were wrong for this project.
WRONG = (
    "uv run reflex run",
    "reflex db migrate",
    "Target database is not up to date",
    "of Node.js is out of date",
    "Uvicorn running on",
)


def _checkout_copy(target: Path) -> None:
    """The checkout's files as a fresh clone has them (tracked and new, not ignored)."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = PROJECT_ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def _settings_free_environment() -> dict[str, str]:
    """This machine's environment without any of the app's settings (the test run
    sets several): the app then uses its defaults, as on a newcomer's machine."""
    documented = set(
        re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", (PROJECT_ROOT / ".env.example").read_text(), re.M)
    )
    return {key: value for key, value in os.environ.items() if key not in documented}


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Ctrl-C, as a person stops it; then firmer."""
    for sig, wait in ((signal.SIGINT, 30), (signal.SIGTERM, 15), (signal.SIGKILL, 10)):
        if process.poll() is not None:
            return
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue


@pytest.fixture
def first_start(tmp_path: Path) -> Iterator[tuple[str, int]]:
    """The output of the first ``reflex run`` until the app answers, and its backend port."""
    checkout = tmp_path / "chat"
    checkout.mkdir()
    _checkout_copy(checkout)
    frontend, backend, realtime = free_port(), free_port(), free_port()
    env = {
        **_settings_free_environment(),
        "FRONTEND_PORT": str(frontend),
        "BACKEND_PORT": str(backend),
        "REALTIME_PORT": str(realtime),
    }
    log_path = tmp_path / "first-start.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            ["reflex", "run"],
            cwd=checkout,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline and process.poll() is None:
            printed = log_path.read_text(errors="replace")
            if (
                "App running at" in printed
                and "Data:" in printed
                and answers(f"http://127.0.0.1:{backend}/ping")
                and answers(f"http://127.0.0.1:{realtime}/health")
            ):
                break
            time.sleep(1)
        time.sleep(3)  # whatever start-up still prints
        yield log_path.read_text(errors="replace"), backend
    finally:
        _stop(process)


def test_the_first_start_says_where_the_app_and_its_data_are_and_nothing_false(
    first_start: tuple[str, int],
) -> None:
    printed, backend = first_start

    assert "App running at" in printed, printed
    assert "Data: PostgreSQL in .data/postgres/ (embedded), files in uploaded_files/" in printed
    assert answers(f"http://127.0.0.1:{backend}/ping")
    assert [line for line in printed.splitlines() if any(w in line for w in WRONG)] == []
