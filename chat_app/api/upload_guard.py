"""``POST /_upload``: who is asking and how much, decided before a byte of the body is read.

Reflex parses an upload's multipart body (spooling every file to temporary
files) before the handler it names runs, and only the handler knows who the
tab belongs to. This ASGI guard sits in front of it: the request must carry
the person's session token (``Authorization: Bearer <token>``, which the
upload controls send, see ``ui/components/uploads.py``), checked with
:func:`auth.session_user`, and a body within :func:`request_limit`. Anything
else is answered 401 or 413 at once, without reading the body, so nothing
reaches the disk. A body of undeclared length (chunked) is counted as it
streams and cut at the limit. Every other request passes untouched.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import MutableMapping
from typing import Any

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from chat_app.services import auth
from chat_app.services.attachments import MAX_FILES_PER_UPLOAD
from chat_app.services.errors import NotAuthenticated
from chat_app.settings import get_settings

UPLOAD_PATH = "/_upload"
BEARER = "bearer "
SIGN_IN_AGAIN = "Please sign in again."
TOO_LARGE = "The files are too large to send at once."


def request_limit() -> int:
    """The largest upload request: the files picked at once (at most
    ``MAX_FILES_PER_UPLOAD``) with their multipart framing may take
    ``MAX_FILES_PER_UPLOAD`` times ``MAX_UPLOAD_BYTES``. Each file is held to
    ``MAX_UPLOAD_BYTES`` on its own when it is stored. The Caddyfile caps the
    body at the same figure."""
    return MAX_FILES_PER_UPLOAD * get_settings().max_upload_bytes


def _bearer_token(headers: Headers) -> str:
    value = headers.get("authorization", "")
    return value[len(BEARER) :].strip() if value.lower().startswith(BEARER) else ""


def _is_upload(scope: Scope) -> bool:
    return (
        scope["type"] == "http"
        and scope["method"] == "POST"
        and scope["path"].rstrip("/") == UPLOAD_PATH
    )


async def _refuse(send: Send, status: int, text: str) -> None:
    body = json.dumps({"detail": text}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"cache-control", b"no-store"),
                # The body was not read: the connection cannot carry another request.
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class UploadGuard:
    """ASGI middleware; ``rx.App(api_transformer=[..., UploadGuard])`` puts it in front."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _is_upload(scope):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        try:
            await asyncio.to_thread(auth.session_user, _bearer_token(headers))
        except NotAuthenticated:
            await _refuse(send, 401, SIGN_IN_AGAIN)
            return
        limit = request_limit()
        declared = headers.get("content-length")
        if declared is not None:
            if not declared.isdigit():
                await _refuse(send, 400, "Bad Content-Length.")
                return
            if int(declared) > limit:
                await _refuse(send, 413, TOO_LARGE)
                return
        counted = _Counted(receive, send, limit)
        await self.app(scope, counted.receive, counted.send)


class _Counted:
    """Counts the body as the app reads it (a chunked body declares no length); past
    the limit the app sees the client go away, so it stops and drops what it
    spooled, and the client gets 413."""

    def __init__(self, receive: Receive, send: Send, limit: int) -> None:
        self._receive, self._send, self._limit = receive, send, limit
        self._seen = 0
        self._started = False  # the app has begun its answer
        self._answered = False  # the guard has answered instead

    async def receive(self) -> Message:
        message = await self._receive()
        if message["type"] != "http.request":
            return message
        self._seen += len(message.get("body", b""))
        if self._seen <= self._limit:
            return message
        if not self._started and not self._answered:
            self._answered = True
            await _refuse(self._send, 413, TOO_LARGE)
        return {"type": "http.disconnect"}

    async def send(self, message: MutableMapping[str, Any]) -> None:
        # Once the guard has answered, whatever the app says afterwards goes nowhere.
        if self._answered:
            return
        self._started = True
        await self._send(message)
