"""Password hashing (Argon2id) and the rules a new password must meet."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

PASSWORD_MIN = 8
PASSWORD_MAX = 128
# zxcvbn's scores run 0-4; 3 is "safely unguessable: moderate protection from an
# offline slow-hash scenario" (about 10^8 guesses and up), what Dropbox requires.
MIN_STRENGTH = 3
TOO_WEAK = "This password is too easy to guess."
DEFAULT_ADVICE = "Add another word or two. Uncommon words are better."

_hasher = PasswordHasher()  # argon2-cffi defaults: Argon2id, RFC 9106 low-memory profile


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher.hash("not-a-real-password")


def _personal_words(personal: Iterable[str]) -> list[str]:
    """The person's own username and name, whole, run together and word by word,
    for zxcvbn to treat as the first words an attacker would try."""
    words: list[str] = []
    for text in personal:
        parts = text.split()
        words += [text, "".join(parts), *parts] if text.strip() else []
    return [word for word in dict.fromkeys(words) if len(word) >= 2]


def password_problem(password: str, *, personal: Iterable[str] = ()) -> str | None:
    """Why this password may not be used, or None when it is acceptable.

    ``personal``: the username and display name, refused as (parts of) guesses.
    The advice is zxcvbn's own (its warning, then its suggestions).
    """
    if len(password) < PASSWORD_MIN:
        return f"Use at least {PASSWORD_MIN} characters."
    if len(password) > PASSWORD_MAX:
        return f"Use at most {PASSWORD_MAX} characters."
    result = zxcvbn(password, user_inputs=_personal_words(personal), max_length=PASSWORD_MAX)
    if result["score"] >= MIN_STRENGTH:
        return None
    feedback = result["feedback"]
    advice = [line for line in (feedback["warning"], *feedback["suggestions"]) if line]
    return " ".join([TOO_WEAK, *(advice or [DEFAULT_ADVICE])])


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password; with no hash (unknown user) spend the same time and fail."""
    try:
        return _hasher.verify(password_hash or _dummy_hash(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
