"""Sessions: each sign-in is a row; a token counts only while its row does."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from chat_app import access_tokens
from chat_app.services import auth, sessions
from chat_app.services.errors import NotAuthenticated, NotFound
from tests.factories import PASSWORD, make_user

ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)
MAC_SAFARI = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Safari/605.1.15"
)
WINDOWS_EDGE = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0"
)
IPHONE_FIREFOX = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) FxiOS/127.0 Mobile/15E148 Safari/605.1.15"
)


def sign_in(username="alice", user_agent=ANDROID_CHROME):
    return auth.sign_in(username=username, password=PASSWORD, user_agent=user_agent)


def session_id(signed) -> int:
    return access_tokens.verify_token(signed.token).session_id


@pytest.mark.parametrize(
    ("user_agent", "device"),
    [
        (ANDROID_CHROME, "Chrome on Android"),
        (MAC_SAFARI, "Safari on Mac"),
        (WINDOWS_EDGE, "Edge on Windows"),
        (IPHONE_FIREFOX, "Firefox on iPhone"),
        ("", "Unknown device"),
        ("<script>alert(1)</script>", "Unknown device"),
    ],
)
def test_device_is_described_from_the_user_agent(user_agent, device):
    assert sessions.describe_device(user_agent) == device


def test_sign_in_and_sign_up_each_create_a_session_named_in_the_token(db):
    up = auth.sign_up(
        username="bob",
        display_name="Bob",
        password="violet-otter-harbour-42",
        user_agent=MAC_SAFARI,
    )
    make_user(db, "alice")
    first, second = sign_in(), sign_in(user_agent=WINDOWS_EDGE)

    assert len({session_id(up), session_id(first), session_id(second)}) == 3
    mine = sessions.list_sessions(user_id=first.user.id, current_session_id=session_id(second))
    assert [(s.device, s.is_current) for s in mine] == [
        ("Edge on Windows", True),
        ("Chrome on Android", False),
    ]
    assert [s.device for s in sessions.list_sessions(user_id=up.user.id, current_session_id=0)] == [
        "Safari on Mac"
    ]


def test_revoking_one_session_refuses_its_token_and_leaves_the_others(db):
    make_user(db, "alice")
    phone, laptop = sign_in(), sign_in(user_agent=MAC_SAFARI)

    sessions.revoke(user_id=phone.user.id, session_id=session_id(laptop))

    with pytest.raises(NotAuthenticated):
        auth.session_user(laptop.token)
    assert auth.session_user(phone.token).session_id == session_id(phone)
    listed = sessions.list_sessions(user_id=phone.user.id, current_session_id=session_id(phone))
    assert [s.id for s in listed] == [session_id(phone)]


def test_revoking_the_others_keeps_only_this_one(db):
    make_user(db, "alice")
    here, *others = [sign_in() for _ in range(4)]

    assert sessions.revoke_others(user_id=here.user.id, current_session_id=session_id(here)) == 3

    for other in others:
        with pytest.raises(NotAuthenticated):
            auth.session_user(other.token)
    assert auth.session_user(here.token).id == here.user.id


def test_sign_out_ends_the_session_server_side(db):
    make_user(db, "alice")
    signed = sign_in()

    auth.sign_out(signed.token)

    with pytest.raises(NotAuthenticated):
        auth.session_user(signed.token)
    auth.sign_out(signed.token)  # a second tab signing out the same session is fine


def test_an_expired_session_is_refused_and_not_listed(db):
    make_user(db, "alice")
    signed = sign_in()
    with db.begin() as connection:
        connection.execute(
            text("UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = :id"),
            {"id": session_id(signed)},
        )

    with pytest.raises(NotAuthenticated):
        auth.session_user(signed.token)
    assert sessions.list_sessions(user_id=signed.user.id, current_session_id=0) == []


def test_another_persons_session_cannot_be_ended_or_seen(db):
    make_user(db, "alice")
    make_user(db, "mallory")
    alice, mallory = sign_in("alice"), sign_in("mallory")

    with pytest.raises(NotFound):
        sessions.revoke(user_id=mallory.user.id, session_id=session_id(alice))
    assert (
        sessions.revoke_others(user_id=mallory.user.id, current_session_id=session_id(mallory)) == 0
    )
    auth.sign_out(mallory.token)

    assert auth.session_user(alice.token).id == alice.user.id
    assert [
        s.id for s in sessions.list_sessions(user_id=mallory.user.id, current_session_id=0)
    ] == []


def test_a_token_naming_another_persons_session_is_refused(db):
    alice_user, mallory_user = make_user(db, "alice"), make_user(db, "mallory")
    alice = sign_in("alice")
    forged = access_tokens.issue_token(mallory_user.id, session_id(alice))
    assert alice_user.id != mallory_user.id

    with pytest.raises(NotAuthenticated):
        auth.session_user(forged)


def test_a_token_naming_no_session_is_refused(db):
    user = make_user(db, "alice")

    with pytest.raises(NotAuthenticated):
        auth.session_user(access_tokens.issue_token(user.id, 987654))


def test_activity_is_recorded_at_most_once_a_minute(db):
    make_user(db, "alice")
    signed = sign_in()
    sid = session_id(signed)

    def last_active():
        with db.begin() as connection:
            return connection.execute(
                text("SELECT last_active_at FROM sessions WHERE id = :id"), {"id": sid}
            ).scalar_one()

    with db.begin() as connection:
        connection.execute(
            text(
                "UPDATE sessions SET last_active_at = now() - interval '5 minutes' WHERE id = :id"
            ),
            {"id": sid},
        )
    stale = last_active()
    auth.session_user(signed.token)
    fresh = last_active()
    assert (fresh - stale).total_seconds() >= 299
    for _ in range(5):
        auth.session_user(signed.token)
    assert last_active() == fresh
