"""Rules every piece of user text shares: what characters may be stored and shown.

PostgreSQL cannot store NUL at all, and control or invisible formatting
characters make names and messages that look empty or read differently from
what they are (a right-to-left override disguising a name).
"""

from __future__ import annotations

import unicodedata

from chat_app.services.errors import InvalidInput

# Zero-width (non-)joiners hold emoji sequences and some scripts together.
_JOINERS = frozenset("\u200c\u200d")


def _is_control(ch: str, *, multiline: bool) -> bool:
    category = unicodedata.category(ch)
    if category == "Cc":
        return not (multiline and ch in "\n\t")
    return category == "Cf" and ch not in _JOINERS


def refuse_control_characters(field: str, text: str, *, multiline: bool = False) -> str:
    if any(_is_control(ch, multiline=multiline) for ch in text):
        raise InvalidInput(field, "Remove the invisible or control characters from the text.")
    return text


def is_blank(text: str) -> bool:
    """Nothing a person could see: only spaces, line breaks or zero-width characters."""
    return all(ch.isspace() or unicodedata.category(ch) == "Cf" for ch in text)
