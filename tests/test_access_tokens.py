"""Access tokens: only an untampered, unexpired HS256 access token of ours passes."""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest

from chat_app import access_tokens
from chat_app.settings import load_settings

SECRET = "token-test-secret-" + "k" * 48  # long enough for HS512 too


@pytest.fixture
def settings(tmp_path):
    return load_settings({"JWT_SECRET": SECRET, "DATA_DIR": str(tmp_path)})


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def valid_claims(settings, **changes):
    """Claims exactly like issue_token's; ``None`` as a value drops that claim."""
    now = int(time.time())
    claims = {
        "sub": "42",
        "sid": "9",
        "iat": now,
        "exp": now + 600,
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "typ": access_tokens.ACCESS,
    }
    claims.update(changes)
    return {key: value for key, value in claims.items() if value is not None}


def craft(claims, secret=SECRET, algorithm="HS256") -> str:
    return jwt.encode(claims, secret, algorithm=algorithm)


def assert_rejected(token, settings) -> None:
    with pytest.raises(access_tokens.InvalidToken):
        access_tokens.verify_token(token, settings=settings)


def test_round_trip(settings):
    token = access_tokens.issue_token(42, 9, settings=settings)

    claims = access_tokens.verify_token(token, settings=settings)

    assert claims.user_id == 42
    assert claims.session_id == 9
    assert abs(claims.issued_at - time.time()) < 60
    assert claims.expires_at - claims.issued_at == settings.jwt_ttl_seconds


def test_token_carries_every_required_claim(settings):
    token = access_tokens.issue_token(7, 3, settings=settings, now=1_700_000_000)

    header = jwt.get_unverified_header(token)
    claims = jwt.decode(token, options={"verify_signature": False})

    assert header["alg"] == "HS256"
    assert set(claims) == {"sub", "sid", "iat", "exp", "iss", "aud", "typ"}
    assert claims == {
        "sub": "7",
        "sid": "3",
        "iat": 1_700_000_000,
        "exp": 1_700_000_000 + settings.jwt_ttl_seconds,
        "iss": "chat-app",
        "aud": "chat-app",
        "typ": "access",
    }


def test_hand_crafted_valid_token_passes(settings):
    """The baseline the rejection tests below change one thing of."""
    assert (
        access_tokens.verify_token(craft(valid_claims(settings)), settings=settings).user_id == 42
    )


def test_tampered_payload_is_rejected(settings):
    header, payload, signature = access_tokens.issue_token(42, 9, settings=settings).split(".")
    claims = json.loads(b64url_decode(payload))
    claims["sub"] = "1"
    forged_payload = b64url(json.dumps(claims).encode())

    assert_rejected(f"{header}.{forged_payload}.{signature}", settings)


def test_tampered_signature_is_rejected(settings):
    header, payload, signature = access_tokens.issue_token(42, 9, settings=settings).split(".")
    flipped = bytearray(b64url_decode(signature))
    flipped[0] ^= 0x01

    assert_rejected(f"{header}.{payload}.{b64url(bytes(flipped))}", settings)


def test_expired_token_is_rejected(settings):
    token = access_tokens.issue_token(42, 9, settings=settings, now=time.time() - 10**7)

    assert_rejected(token, settings)


def test_wrong_audience_is_rejected(settings):
    assert_rejected(craft(valid_claims(settings, aud="another-app")), settings)


def test_wrong_issuer_is_rejected(settings):
    assert_rejected(craft(valid_claims(settings, iss="someone-else")), settings)


@pytest.mark.parametrize("typ", ["refresh", "ACCESS", ""])
def test_wrong_token_type_is_rejected(settings, typ):
    assert_rejected(craft(valid_claims(settings, typ=typ)), settings)


def test_access_token_is_not_accepted_as_another_type(settings):
    token = access_tokens.issue_token(42, 9, settings=settings)

    with pytest.raises(access_tokens.InvalidToken):
        access_tokens.verify_token(token, expected_type="refresh", settings=settings)


def test_token_signed_with_another_secret_is_rejected(settings):
    assert_rejected(craft(valid_claims(settings), secret="another-secret-" + "x" * 32), settings)


def test_token_signed_with_another_algorithm_is_rejected(settings):
    """HS512 with the right key still fails: the algorithm is pinned."""
    assert_rejected(craft(valid_claims(settings), algorithm="HS512"), settings)


def test_unsigned_alg_none_token_is_rejected(settings):
    header = b64url(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    payload = b64url(json.dumps(valid_claims(settings)).encode())

    assert_rejected(f"{header}.{payload}.", settings)


@pytest.mark.parametrize("missing", access_tokens.REQUIRED_CLAIMS)
def test_token_missing_a_claim_is_rejected(settings, missing):
    assert_rejected(craft(valid_claims(settings, **{missing: None})), settings)


@pytest.mark.parametrize("subject", ["alice", "4.2", "", "42abc"])
def test_non_integer_subject_is_rejected(settings, subject):
    assert_rejected(craft(valid_claims(settings, sub=subject)), settings)


@pytest.mark.parametrize("sid", ["", "0", "-3", "abc", "9.5", "1e3", "٣", 9, None])
def test_token_without_a_session_id_is_rejected(settings, sid):
    """The session row is what sign-out ends: a token that names none never passes."""
    claims = valid_claims(settings)
    claims["sid"] = sid
    if sid is None:
        del claims["sid"]
    assert_rejected(craft(claims), settings)


@pytest.mark.parametrize(
    "garbage", ["", "garbage", "not.a.token", "a.b.c.d", "eyJhbGciOiJIUzI1NiJ9..", "🙂"]
)
def test_garbage_is_rejected(settings, garbage):
    assert_rejected(garbage, settings)
