"""Promises about the repository itself: PostgreSQL only, every setting documented."""

from __future__ import annotations

import re
import subprocess

from chat_app.settings import PROJECT_ROOT

# Spelled in two parts so this file does not match its own search.
FORBIDDEN_ENGINE = "sql" + "ite"
SETTING_READERS = ("chat_app/settings.py", "tests/conftest.py", "tests/app_runner.py")


def _tracked_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return [name for name in listed.stdout.splitlines() if (PROJECT_ROOT / name).is_file()]


def test_no_file_mentions_a_file_database_engine() -> None:
    offenders = [
        name
        for name in _tracked_files()
        if FORBIDDEN_ENGINE in name.lower()
        or FORBIDDEN_ENGINE in (PROJECT_ROOT / name).read_bytes().decode("utf-8", "ignore").lower()
    ]
    assert offenders == []


def test_every_variable_the_code_reads_is_documented_in_env_example() -> None:
    documented = set(
        re.findall(r"^([A-Z][A-Z0-9_]*)=", (PROJECT_ROOT / ".env.example").read_text(), re.M)
    )
    read = set()
    for name in SETTING_READERS:
        source = (PROJECT_ROOT / name).read_text()
        read |= set(re.findall(r'_(?:text|integer|port|flag|path)\(env, "([A-Z0-9_]+)"', source))
        read |= set(re.findall(r'os\.environ\.get\("([A-Z0-9_]+)"', source))
    assert read, "the patterns found no variables: the test would prove nothing"
    assert read - documented == set()
