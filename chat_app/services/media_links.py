"""Signed, expiring links to stored files and avatars.

A link names the file, the person it was made for, the sign-in session that
asked for it and when it stops working, with an HMAC over all four. The file
routes can then serve an ``<img>`` or a download (which carry no token)
knowing the link was made for a signed-in person, and still re-check, when the
request arrives, that the session has not ended (signed out, logged out from
another device) and that the person may see the file.

The session is the one the current event runs for: the event guard binds it
(:func:`use_session`) before any handler runs, so the many services that
build links need no extra argument. A link made outside any session names
session 0, which no route accepts.

The key is derived from ``JWT_SECRET`` under a fixed label, so it is shared by
every backend without another secret to manage, yet a link signature can never
be mistaken for a token signature or the other way round.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import time
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from chat_app.services.errors import Forbidden
from chat_app.settings import get_settings

KEY_LABEL = b"chat-app signed media links v1"
# Expiry times are rounded up to this step, so the links a page renders again and
# again within a few minutes are identical and the browser's cache keeps working.
EXPIRY_STEP = 300
FILES = "files"
AVATARS = "avatars"
LINK_REFUSED = "This link is not valid or has expired; reopen the chat to get a fresh one."


_session: ContextVar[int] = ContextVar("media_link_session", default=0)


@dataclass(frozen=True)
class Verified:
    viewer_id: int
    session_id: int
    seconds_left: int


def use_session(session_id: int) -> None:
    """Links made from here on in this task (and the threads it starts) name this session."""
    _session.set(session_id)


@contextlib.contextmanager
def for_session(session_id: int) -> Iterator[None]:
    """Links made inside the block name this session."""
    reset = _session.set(session_id)
    try:
        yield
    finally:
        _session.reset(reset)


def _key() -> bytes:
    return hmac.new(get_settings().jwt_secret.encode(), KEY_LABEL, hashlib.sha256).digest()


def _signature(kind: str, subject: str, viewer_id: int, session_id: int, expires: int) -> str:
    message = f"{kind}\n{subject}\n{viewer_id}\n{session_id}\n{expires}".encode()
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()


def _expires(ttl: int | None, now: float | None) -> int:
    seconds = get_settings().file_url_ttl_seconds if ttl is None else ttl
    moment = int(time.time() if now is None else now) + seconds
    return -(-moment // EXPIRY_STEP) * EXPIRY_STEP


def _query(kind: str, subject: str, viewer_id: int, session_id: int | None, expires: int) -> str:
    session_id = _session.get() if session_id is None else session_id
    signature = _signature(kind, subject, viewer_id, session_id, expires)
    return urlencode({"u": viewer_id, "s": session_id, "exp": expires, "sig": signature})


def sign_file_url(
    *,
    attachment_id: int,
    name: str,
    viewer_id: int,
    session_id: int | None = None,
    ttl: int | None = None,
    now: float | None = None,
) -> str:
    """``/files/<id>/<name>?u=&s=&exp=&sig=``; the name is only for the browser (the
    download name comes from the database), so it is not signed. ``session_id``
    defaults to the bound session."""
    expires = _expires(ttl, now)
    query = _query(FILES, str(attachment_id), viewer_id, session_id, expires)
    return f"/{FILES}/{attachment_id}/{quote(name or 'file', safe='')}?{query}"


def sign_avatar_url(
    *,
    stored_name: str,
    viewer_id: int,
    session_id: int | None = None,
    ttl: int | None = None,
    now: float | None = None,
) -> str:
    query = _query(AVATARS, stored_name, viewer_id, session_id, _expires(ttl, now))
    return f"/{AVATARS}/{quote(stored_name, safe='')}?{query}"


def verify(
    *,
    kind: str,
    subject: str,
    viewer: str | None,
    session: str | None,
    expires: str | None,
    signature: str | None,
    now: float | None = None,
) -> Verified:
    """Check the query parameters of a link as received; raise Forbidden unless the
    signature matches and the link has not expired. Whether its session still
    counts is the caller's check (it needs the database)."""
    try:
        viewer_id = int(viewer or "")
        session_id = int(session or "")
        expires_at = int(expires or "")
    except ValueError:
        raise Forbidden(LINK_REFUSED) from None
    expected = _signature(kind, subject, viewer_id, session_id, expires_at)
    if not hmac.compare_digest(expected.encode(), (signature or "").encode()):
        raise Forbidden(LINK_REFUSED)
    left = expires_at - int(time.time() if now is None else now)
    if left <= 0:
        raise Forbidden(LINK_REFUSED)
    return Verified(viewer_id=viewer_id, session_id=session_id, seconds_left=left)
