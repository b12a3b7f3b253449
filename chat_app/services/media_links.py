"""Signed, expiring links to stored files and avatars.

A link names the file, the person it was made for and when it stops working,
with an HMAC over all three. The file routes can then serve an ``<img>`` or a
download (which carry no token) knowing the link was made for a signed-in
person, and still re-check membership when the request arrives.

The key is derived from ``JWT_SECRET`` under a fixed label, so it is shared by
every backend without another secret to manage, yet a link signature can never
be mistaken for a token signature or the other way round.
"""

from __future__ import annotations

import hashlib
import hmac
import time
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


@dataclass(frozen=True)
class Verified:
    viewer_id: int
    seconds_left: int


def _key() -> bytes:
    return hmac.new(get_settings().jwt_secret.encode(), KEY_LABEL, hashlib.sha256).digest()


def _signature(kind: str, subject: str, viewer_id: int, expires: int) -> str:
    message = f"{kind}\n{subject}\n{viewer_id}\n{expires}".encode()
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()


def _expires(ttl: int | None, now: float | None) -> int:
    seconds = get_settings().file_url_ttl_seconds if ttl is None else ttl
    moment = int(time.time() if now is None else now) + seconds
    return -(-moment // EXPIRY_STEP) * EXPIRY_STEP


def _query(kind: str, subject: str, viewer_id: int, expires: int) -> str:
    signature = _signature(kind, subject, viewer_id, expires)
    return urlencode({"u": viewer_id, "exp": expires, "sig": signature})


def sign_file_url(
    *,
    attachment_id: int,
    name: str,
    viewer_id: int,
    ttl: int | None = None,
    now: float | None = None,
) -> str:
    """``/files/<id>/<name>?u=&exp=&sig=``; the name is only for the browser (the
    download name comes from the database), so it is not signed."""
    expires = _expires(ttl, now)
    query = _query(FILES, str(attachment_id), viewer_id, expires)
    return f"/{FILES}/{attachment_id}/{quote(name or 'file', safe='')}?{query}"


def sign_avatar_url(
    *, stored_name: str, viewer_id: int, ttl: int | None = None, now: float | None = None
) -> str:
    query = _query(AVATARS, stored_name, viewer_id, _expires(ttl, now))
    return f"/{AVATARS}/{quote(stored_name, safe='')}?{query}"


def verify(
    *,
    kind: str,
    subject: str,
    viewer: str | None,
    expires: str | None,
    signature: str | None,
    now: float | None = None,
) -> Verified:
    """Check the query parameters of a link as received; raise Forbidden unless the
    signature matches and the link has not expired."""
    try:
        viewer_id = int(viewer or "")
        expires_at = int(expires or "")
    except ValueError:
        raise Forbidden(LINK_REFUSED) from None
    expected = _signature(kind, subject, viewer_id, expires_at)
    if not hmac.compare_digest(expected.encode(), (signature or "").encode()):
        raise Forbidden(LINK_REFUSED)
    left = expires_at - int(time.time() if now is None else now)
    if left <= 0:
        raise Forbidden(LINK_REFUSED)
    return Verified(viewer_id=viewer_id, seconds_left=left)
