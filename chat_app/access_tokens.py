"""Signing and verifying the JWTs that prove who a browser belongs to.

The web backends issue tokens; the realtime service verifies them with the
same shared key and this same function, without calling a backend. The
algorithm is pinned and every claim is required, so ``alg: none``, another
audience or a refresh-style token never passes for an access token.

Every access token names the ``sessions`` row it was issued for (``sid``); the
signature only proves the token is ours, the row says whether it still counts
(see ``services.auth.session_user`` and the realtime service).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import jwt

from chat_app.settings import Settings, get_settings

ALGORITHM = "HS256"
ACCESS = "access"
REQUIRED_CLAIMS = ["sub", "sid", "iat", "exp", "iss", "aud", "typ"]


class InvalidToken(Exception):
    """The token cannot be trusted; the message says why (for logs, not for users)."""


@dataclass(frozen=True)
class TokenClaims:
    user_id: int
    session_id: int
    issued_at: int
    expires_at: int


def issue_token(
    user_id: int,
    session_id: int,
    *,
    settings: Settings | None = None,
    now: float | None = None,
) -> str:
    settings = settings or get_settings()
    issued = int(now if now is not None else time.time())
    claims = {
        "sub": str(user_id),
        "sid": str(session_id),
        "iat": issued,
        "exp": issued + settings.jwt_ttl_seconds,
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "typ": ACCESS,
    }
    return jwt.encode(claims, settings.jwt_secret, algorithm=ALGORITHM)


def verify_token(
    token: str, *, expected_type: str = ACCESS, settings: Settings | None = None
) -> TokenClaims:
    """Return the claims of a valid token or raise :class:`InvalidToken`."""
    settings = settings or get_settings()
    try:
        claims = jwt.decode(
            token,
            settings.jwt_secret,
            algorithms=[ALGORITHM],
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            options={"require": REQUIRED_CLAIMS},
        )
    except jwt.PyJWTError as error:
        raise InvalidToken(str(error)) from error
    if claims.get("typ") != expected_type:
        raise InvalidToken(f"token type {claims.get('typ')!r} is not {expected_type!r}")
    user_id = _positive_id(claims["sub"], "subject is not a user id")
    session_id = _positive_id(claims["sid"], "sid is not a session id")
    return TokenClaims(
        user_id=user_id,
        session_id=session_id,
        issued_at=claims["iat"],
        expires_at=claims["exp"],
    )


def _positive_id(value: object, problem: str) -> int:
    """A row id written as decimal digits, as ``issue_token`` writes it."""
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        raise InvalidToken(problem)
    number = int(value)
    if number <= 0 or number >= 2**63:
        raise InvalidToken(problem)
    return number
