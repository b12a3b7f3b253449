"""Sign-in and sign-up limits by account and by address, against the real database.

An attacker at one address must not lock a person out of their account from
another address, must not spray one password across many accounts, and cannot
pick their address by sending ``X-Forwarded-For`` unless they are our proxy.
"""

from __future__ import annotations

import pytest

from chat_app.client_address import client_address
from chat_app.services import auth
from chat_app.services.errors import InvalidInput, TooManyAttempts
from tests.factories import PASSWORD, count_rows, make_user

ATTACKER = "203.0.113.66"
HOME = "198.51.100.7"
PROXY = "10.0.0.2"
STRONG = "violet-otter-harbour-42"


def wrong(username: str, address: str) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        auth.sign_in(username=username, password="not-the-password", address=address)
    assert str(excinfo.value) == auth.WRONG_CREDENTIALS


def test_username_variants_share_one_count_but_lock_only_that_address(db):
    make_user(db, "bob")
    for typed in ["bob", "BOB", " Bob ", "bOb", "bob"]:
        wrong(typed, ATTACKER)

    with pytest.raises(TooManyAttempts) as excinfo:
        auth.sign_in(username="Bob", password=PASSWORD, address=ATTACKER)
    assert "Too many failed attempts. Try again in" in str(excinfo.value)

    signed = auth.sign_in(username="bob", password=PASSWORD, address=HOME)
    assert signed.user.username == "bob"


def test_one_password_sprayed_across_many_accounts_is_slowed(db):
    names = [f"user{n:02d}" for n in range(12)]
    for name in names:
        make_user(db, name)

    outcomes = []
    for name in names:
        try:
            auth.sign_in(username=name, password="Summer2026!", address=ATTACKER)
        except TooManyAttempts:
            outcomes.append("slowed")
        except InvalidInput:
            outcomes.append("wrong")

    assert outcomes == ["wrong"] * 10 + ["slowed"] * 2
    # Even a right guess from there now waits; everyone else is untouched.
    with pytest.raises(TooManyAttempts):
        auth.sign_in(username="user11", password=PASSWORD, address=ATTACKER)
    assert auth.sign_in(username="user11", password=PASSWORD, address=HOME).user.username


def test_an_account_under_attack_from_many_addresses_only_slows_them(db, settings_env):
    settings_env(SIGN_IN_ACCOUNT_MAX_FAILURES="6")
    make_user(db, "bob")
    # Three addresses, two failures each: none reaches its own limit of 5.
    for n in range(3):
        wrong("bob", f"203.0.113.{n}")
        wrong("bob", f"203.0.113.{n}")

    # The account-wide limit is full: an address that failed here waits ...
    with pytest.raises(TooManyAttempts):
        auth.sign_in(username="bob", password=PASSWORD, address="203.0.113.0")
    # ... a new one gets one guess, then waits too ...
    wrong("bob", "203.0.113.50")
    with pytest.raises(TooManyAttempts):
        auth.sign_in(username="bob", password="another-guess", address="203.0.113.50")
    # ... and Bob, from his own clean address, signs in.
    assert auth.sign_in(username="bob", password=PASSWORD, address=HOME).user.username == "bob"


def test_an_ipv6_attacker_counts_as_one_per_64(db):
    make_user(db, "bob")
    for n in range(1, 6):
        wrong("bob", f"2001:db8:1:2::{n}")

    with pytest.raises(TooManyAttempts):
        auth.sign_in(username="bob", password=PASSWORD, address="2001:db8:1:2::ff")
    assert auth.sign_in(username="bob", password=PASSWORD, address="2001:db8:9::1").user


@pytest.mark.parametrize(
    ("peer", "forwarded", "expected"),
    [
        pytest.param(PROXY, "192.0.2.10", "192.0.2.10", id="from-the-proxy"),
        pytest.param(PROXY, "1.1.1.1, 192.0.2.10", "192.0.2.10", id="rightmost-not-ours"),
        pytest.param(PROXY, "192.0.2.10, 10.0.0.3", "192.0.2.10", id="through-two-proxies"),
        pytest.param(PROXY, "", PROXY, id="no-header"),
        pytest.param(PROXY, "not-an-address", PROXY, id="garbage-header"),
        pytest.param(PROXY, "[2001:db8::5]:4431", "2001:db8::5", id="bracketed-v6-port"),
        pytest.param(ATTACKER, "192.0.2.10", ATTACKER, id="spoofed-by-a-client"),
        pytest.param("127.0.0.1", "192.0.2.10", "127.0.0.1", id="loopback-not-trusted-here"),
    ],
)
def test_forwarded_for_counts_only_from_a_trusted_proxy(settings_env, peer, forwarded, expected):
    settings_env(TRUSTED_PROXIES="10.0.0.2/32, 10.0.0.3")
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}

    assert client_address(peer, headers) == expected


def test_a_spoofed_forwarded_for_does_not_escape_the_limit(db, settings_env):
    """A client rotating X-Forwarded-For is still one address, and still slowed."""
    settings_env(TRUSTED_PROXIES=PROXY)
    make_user(db, "bob")
    for n in range(5):
        spoofed = client_address(ATTACKER, {"x-forwarded-for": f"192.0.2.{n}"})
        wrong("bob", spoofed)

    spoofed = client_address(ATTACKER, {"x-forwarded-for": "192.0.2.99"})
    with pytest.raises(TooManyAttempts):
        auth.sign_in(username="bob", password=PASSWORD, address=spoofed)
    # Through the real proxy each person's own address counts, so Bob gets in.
    home = client_address(PROXY, {"x-forwarded-for": HOME})
    assert auth.sign_in(username="bob", password=PASSWORD, address=home).user.username == "bob"


def test_sign_ups_are_limited_per_address(db, settings_env):
    settings_env(SIGN_UP_MAX_PER_ADDRESS="3")
    for n in range(3):
        auth.sign_up(username=f"new{n}", display_name="New", password=STRONG, address=ATTACKER)

    with pytest.raises(TooManyAttempts) as excinfo:
        auth.sign_up(username="new9", display_name="New", password=STRONG, address=ATTACKER)

    assert "Too many sign-ups from your network. Try again in" in str(excinfo.value)
    assert "minutes" in str(excinfo.value)
    assert count_rows(db, "users") == 3
    assert auth.sign_up(username="new9", display_name="New", password=STRONG, address=HOME).user


def test_probing_taken_usernames_counts_towards_the_sign_up_limit(db, settings_env):
    settings_env(SIGN_UP_MAX_PER_ADDRESS="3")
    for name in ["alice", "bob", "carol"]:
        make_user(db, name)
        with pytest.raises(InvalidInput, match="taken"):
            auth.sign_up(username=name, display_name="X", password=STRONG, address=ATTACKER)

    with pytest.raises(TooManyAttempts):
        auth.sign_up(username="dave", display_name="X", password=STRONG, address=ATTACKER)


def test_the_development_default_trusts_only_loopback(settings_env):
    """Without TRUSTED_PROXIES, in development, a header from elsewhere is ignored."""
    settings_env(APP_ENV="development", TRUSTED_PROXIES="")

    assert client_address("127.0.0.1", {"x-forwarded-for": "192.0.2.10"}) == "192.0.2.10"
    assert client_address("::1", {"x-forwarded-for": "192.0.2.10"}) == "192.0.2.10"
    assert client_address(ATTACKER, {"x-forwarded-for": "192.0.2.10"}) == ATTACKER
