"""The app's addresses, in one place, and the only ways to build one that names a chat.

Pages register under these routes and controllers redirect to them. An address
that names a chat is built from a whole number only, so nothing a person wrote
can reach a redirect (see "Text is data" in docs/architecture.md); reading one
back takes only a whole number out of it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

HOME = "/"
SIGN_IN = "/signin"
SIGN_UP = "/signup"
CHAT_PAGE = "/chat/[chat_id]"  # Reflex's dynamic route: /chat/7
NOT_FOUND = "404"  # Reflex's name for the page it shows at unknown addresses
# The sign-in page for a signed-out person who opened a chat's link; the chat's
# number follows, and signing in goes on to it.
SIGN_IN_FOR_A_CHAT = f"{SIGN_IN}?chat="

_CHAT_PATH = re.compile(r"/chat/(\d{1,18})/?")
_WHOLE_NUMBER = re.compile(r"\d{1,18}")


def chat_route(chat_id: int) -> str:
    """The address of a chat."""
    return f"/chat/{_whole_number(chat_id)}"


def sign_in_route(chat_id: int = 0) -> str:
    """The sign-in page, naming the chat whose link was opened."""
    return SIGN_IN + query_naming_chat(chat_id)


def query_naming_chat(chat_id: int = 0) -> str:
    """``?chat=7``, carried from sign-in to sign-up and back; "" for no chat."""
    chat_id = _whole_number(chat_id)
    return f"?chat={chat_id}" if chat_id > 0 else ""


def after_sign_in_route(chat_id: int = 0) -> str:
    """Where signing in leads: the chat the sign-in page was opened for, else home."""
    chat_id = _whole_number(chat_id)
    return chat_route(chat_id) if chat_id > 0 else HOME


def chat_id_in_query(query: Mapping[str, str]) -> int:
    """The chat a sign-in page's ``?chat=7`` names; 0 when there is none or it is
    not a whole number."""
    raw = query.get("chat", "")
    return int(raw) if _WHOLE_NUMBER.fullmatch(raw) else 0


def chat_id_in_path(path: str) -> int:
    """The chat an address like ``/chat/7`` names; 0 for any other address (a
    mistyped link shows "not found", never someone else's chat)."""
    match = _CHAT_PATH.fullmatch(path)
    return int(match.group(1)) if match else 0


def _whole_number(chat_id: int) -> int:
    if isinstance(chat_id, bool) or not isinstance(chat_id, int):
        raise TypeError("a chat id is a whole number")
    return int(chat_id)
