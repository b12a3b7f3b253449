"""``POST /_upload`` over real HTTP: refused before the body is read unless a
signed-in person sends a body within the limit, and nothing reaches the disk.

A real backend (``reflex run --env prod --backend-only``, granian) runs with its
own temporary folder (``TMPDIR``, where Starlette spools multipart files) and
upload folder, so what a request writes to disk can be measured.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import select
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from chat_app.services import auth
from chat_app.state.attach import AttachState
from tests.app_runner import free_port
from tests.stack import services

MB = 1024 * 1024
MAX_UPLOAD_BYTES = 1 * MB  # the backend's setting here: requests up to 10 MB
REQUEST_LIMIT = 10 * MAX_UPLOAD_BYTES
CHUNK = 256 * 1024
BOUNDARY = "----guardtestboundary"
# What the attach dialog's upload names.
HANDLER = f"{AttachState.get_full_name()}.send"


@dataclass
class Backend:
    port: int
    spool: Path
    uploads: Path
    process_group: int


@pytest.fixture(scope="module")
def backend(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    workdir = tmp_path_factory.mktemp("upload-guard")
    spool, uploads = workdir / "tmp", workdir / "uploads"
    spool.mkdir()
    uploads.mkdir()
    port = free_port()
    env = {
        "DATABASE_URL": database_url,
        "UPLOAD_DIR": str(uploads),
        "MAX_UPLOAD_BYTES": str(MAX_UPLOAD_BYTES),
        "TMPDIR": str(spool),
        "MIGRATE_ON_START": "false",
        "REALTIME_AUTOSTART": "false",
        "REFLEX_USE_SYSTEM_BUN": "1",
        "GRANIAN_WORKERS": "1",
    }
    env.pop("FRONTEND_PORT", None)
    service = services.backend("backend", port, {**os.environ, **env}, workdir, workdir)
    service.start()
    try:
        assert service.pid is not None
        yield Backend(port, spool, uploads, service.pid)
    finally:
        service.stop()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="module")
def token(database_url: str) -> str:
    signed = auth.sign_up(
        username=f"guard{secrets.token_hex(4)}",
        display_name="Guard Test",
        password="violet Tractor 93 umbrella!",
    )
    return signed.token


def disk_use(folder: Path, process_group: int) -> int:
    """Bytes on disk under ``folder``: its files, and the files the backend's
    processes hold open there after unlinking them (Python's temporary files
    have no name, so a folder listing alone would miss them)."""
    paths = [Path(root) / name for root, _, names in os.walk(folder) for name in names]
    for pid in os.listdir("/proc"):
        with contextlib.suppress(OSError, ValueError):
            if pid.isdigit() and os.getpgid(int(pid)) == process_group:
                for fd in os.listdir(f"/proc/{pid}/fd"):
                    with contextlib.suppress(OSError):
                        if os.readlink(f"/proc/{pid}/fd/{fd}").startswith(str(folder)):
                            paths.append(Path(f"/proc/{pid}/fd/{fd}"))
    total, seen = 0, set()
    for path in paths:
        with contextlib.suppress(OSError):
            info = path.stat()
            if (info.st_dev, info.st_ino) not in seen:
                seen.add((info.st_dev, info.st_ino))
                total += info.st_blocks * 512
    return total


class PeakDiskUse:
    """The most the folders held at once while the block ran, above where they started."""

    def __init__(self, backend: Backend) -> None:
        self.folders = (backend.spool, backend.uploads)
        self.group = backend.process_group
        self.start = self.now()
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.now() - self.start)
            time.sleep(0.02)

    def __enter__(self) -> PeakDiskUse:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        time.sleep(0.3)  # whatever the server does after answering
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.now() - self.start)

    def now(self) -> int:
        return sum(disk_use(folder, self.group) for folder in self.folders)


@dataclass
class Answer:
    status: int
    sent: int  # body bytes the server took before it answered


def post_upload(port: int, *, size: int, token: str | None, chunked: bool = False) -> Answer:
    """A multipart POST as the browser's upload sends it, with a generated body of
    ``size`` bytes streamed in chunks; stops sending as soon as the server answers."""
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="big.bin"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    length = len(head) + size + len(tail)
    lines = [
        "POST /_upload HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}",
        f"Reflex-Client-Token: {secrets.token_hex(16)}",
        f"Reflex-Event-Handler: {HANDLER}",
    ]
    if token is not None:
        lines.append(f"Authorization: Bearer {token}")
    lines.append("Transfer-Encoding: chunked" if chunked else f"Content-Length: {length}")
    connection = socket.create_connection(("127.0.0.1", port), timeout=30)
    reply = _Reply(connection)
    sent = 0
    try:
        connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        pieces = _body(head, size, tail)
        for piece in pieces:
            if reply.final_status_arrived():
                break  # answered already
            try:
                connection.sendall(
                    f"{len(piece):x}\r\n".encode() + piece + b"\r\n" if chunked else piece
                )
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(piece)
        else:
            if chunked:
                connection.sendall(b"0\r\n\r\n")
        return Answer(reply.final_status(), sent)
    finally:
        connection.close()


def _body(head: bytes, size: int, tail: bytes) -> Iterator[bytes]:
    yield head
    block = os.urandom(CHUNK)
    left = size
    while left > 0:
        yield block[: min(CHUNK, left)]
        left -= CHUNK
    yield tail


class _Reply:
    """The server's answer as a browser reads it: interim ``1xx`` responses (the
    proxy passes on the backend's ``100 Continue``) are skipped, the first final
    status line is the answer."""

    def __init__(self, connection: socket.socket) -> None:
        self._connection = connection
        self._received = b""

    def final_status_arrived(self) -> bool:
        """Reads what has arrived without waiting; true once a final status is in."""
        while select.select([self._connection], [], [], 0)[0]:
            if not self._read():
                return True  # closed: nothing more will come
        return self._final() is not None

    def final_status(self) -> int:
        """Waits (up to 30 s) for the final status; 0 when none came."""
        deadline = time.monotonic() + 30
        while self._final() is None and time.monotonic() < deadline:
            if not self._read():
                break
        return self._final() or 0

    def _read(self) -> bool:
        try:
            chunk = self._connection.recv(4096)
        except ConnectionResetError:
            return False
        self._received += chunk
        return bool(chunk)

    def _final(self) -> int | None:
        rest = self._received
        while rest.startswith(b"HTTP/1.1 1") and b"\r\n\r\n" in rest:
            rest = rest.split(b"\r\n\r\n", 1)[1]  # an interim response, whole
        if not rest.startswith(b"HTTP/1.1 ") or b"\r\n" not in rest:
            return None
        status = int(rest.split(b" ", 2)[1])
        return None if 100 <= status < 200 else status


def test_a_300_mb_upload_without_a_session_is_refused_before_it_reaches_the_disk(backend):
    with PeakDiskUse(backend) as disk:
        answer = post_upload(backend.port, size=300 * MB, token=None)

    assert answer.status == 401
    assert answer.sent < 16 * MB, "the server should answer before taking the body"
    assert disk.peak == 0


@pytest.mark.parametrize(
    "bad_token",
    ["", "not-a-token", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.forged"],
    ids=["empty", "garbage", "forged"],
)
def test_an_upload_with_a_bad_session_is_refused_before_it_reaches_the_disk(backend, bad_token):
    with PeakDiskUse(backend) as disk:
        answer = post_upload(backend.port, size=20 * MB, token=bad_token)

    assert answer.status == 401
    assert disk.peak == 0


def test_a_declared_oversized_body_from_a_signed_in_person_is_refused_unread(backend, token):
    with PeakDiskUse(backend) as disk:
        answer = post_upload(backend.port, size=300 * MB, token=token)

    assert answer.status == 413
    assert answer.sent < 16 * MB
    assert disk.peak == 0


def test_a_chunked_body_is_counted_as_it_arrives_and_cut_at_the_limit(backend, token):
    with PeakDiskUse(backend) as disk:
        answer = post_upload(backend.port, size=60 * MB, token=token, chunked=True)

    assert answer.status == 413
    assert answer.sent < 30 * MB, "the server should stop taking the body at the limit"
    # What was spooled before the cut (at most the limit) is gone again.
    assert disk.peak <= REQUEST_LIMIT + 2 * CHUNK
    assert disk.now() <= disk.start


def test_a_signed_in_upload_within_the_limit_reaches_reflex(backend, token):
    """Past the guard, Reflex's own upload route answers: the handler runs (on a
    tab that was never opened, so it stores nothing) and streams its result."""
    answer = post_upload(backend.port, size=64 * 1024, token=token)

    assert answer.status == 200
    assert not any(path.is_file() for path in backend.uploads.rglob("*"))
