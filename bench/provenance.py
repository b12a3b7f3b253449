"""Which code a benchmark measured, so a figure can be traced to its commit."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def code_version() -> str | None:
    """The commit measured, marked "+dirty" when the working tree had changes."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, check=True
        ).stdout.decode()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "chat_app"], cwd=ROOT, capture_output=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return head.strip() + ("+dirty" if dirty else "")
