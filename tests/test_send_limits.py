"""Per-person send limits: a burst and a sustained rate, refused with a clear message
and nothing stored, for text and for attachments alike."""

from __future__ import annotations

import pytest

from chat_app.services import attachments, direct_chats, groups
from chat_app.services.errors import InvalidInput, TooManyAttempts, WaitingForEarlier
from chat_app.settings import get_settings
from tests.chat_factories import (
    execute,
    make_users,
    new_client_id,
    rows,
    scalar,
    send,
    snapshot,
)
from tests.sample_files import listing, png

TOO_FAST = "You're sending messages too fast. Try again in"


@pytest.fixture
def people(db):
    """Alice, Bob and Carol; Alice and Bob have their direct chat (``direct``)."""
    return make_users(db, "alice", "bob", "carol")


@pytest.fixture
def direct(people) -> int:
    return direct_chats.open_direct_chat(user_id=people[0].id, other_user_id=people[1].id)


def backdate_all(db, seconds: float) -> None:
    execute(
        db,
        "UPDATE messages SET created_at = created_at - make_interval(secs => :secs)",
        secs=seconds,
    )


def test_the_default_burst_is_twenty_and_the_next_waits(db, people, direct):
    alice, bob, _ = people
    burst = get_settings().send_burst_max
    assert burst == 20
    for n in range(burst):
        send(alice, direct, f"quick {n}")
    before = snapshot(db)

    with pytest.raises(TooManyAttempts) as excinfo:
        send(alice, direct, "one too many")

    assert str(excinfo.value).startswith(TOO_FAST)
    assert str(excinfo.value).endswith(" seconds.")
    assert 1 <= excinfo.value.retry_after <= get_settings().send_burst_seconds
    assert snapshot(db) == before
    # The limit is per person: Bob answers at once.
    assert send(bob, direct, "slow down!").created


def test_the_burst_frees_up_as_its_window_passes(db, people, direct):
    alice, _, _ = people
    for n in range(20):
        send(alice, direct, f"quick {n}")
    backdate_all(db, get_settings().send_burst_seconds + 1)

    assert send(alice, direct, "after a pause").created


def test_the_sustained_limit_catches_a_steady_stream(db, people, direct, settings_env):
    alice, _, _ = people
    settings_env(SEND_BURST_MAX="5", SEND_BURST_SECONDS="10", SEND_SUSTAINED_MAX="8")
    for n in range(8):
        send(alice, direct, f"steady {n}")
        backdate_all(db, 4)  # under 5 per 10 s, but 8 within the minute

    with pytest.raises(TooManyAttempts) as excinfo:
        send(alice, direct, "ninth")

    assert str(excinfo.value).startswith(TOO_FAST)
    # The oldest of the eight was sent about 32 s ago: it leaves the minute in ~28 s.
    assert 20 <= excinfo.value.retry_after <= 30
    assert scalar(db, "SELECT count(*) FROM messages WHERE sender_id = :id", id=alice.id) == 8


def test_a_retry_of_a_stored_message_is_answered_even_at_the_limit(db, people, direct):
    alice, _, _ = people
    sends = [send(alice, direct, f"quick {n}") for n in range(20)]
    with pytest.raises(TooManyAttempts):
        send(alice, direct, "a new one")

    again = send(alice, direct, "quick 19", client_msg_id=_client_id_of(db, sends[-1]))

    assert (again.message_id, again.created) == (sends[-1].message_id, False)


def _client_id_of(db, sent) -> str:
    return scalar(db, "SELECT client_msg_id FROM messages WHERE id = :id", id=sent.message_id)


def test_an_attachment_at_the_limit_is_refused_before_anything_is_written(db, people, direct):
    alice, _, _ = people
    for n in range(20):
        send(alice, direct, f"quick {n}")
    folder = get_settings().upload_dir
    files_before = listing(folder)
    before = snapshot(db)

    with pytest.raises(TooManyAttempts) as excinfo:
        attachments.send_attachment(
            user_id=alice.id,
            chat_id=direct,
            filename="photo.png",
            data=png(),
            caption="",
            client_msg_id="c-attach-0001",
        )

    assert str(excinfo.value).startswith(TOO_FAST)
    assert snapshot(db) == before
    assert listing(folder) == files_before


def test_group_changes_are_not_counted_as_sends(db, people):
    alice, bob, carol = people
    group = groups.create_group(user_id=alice.id, title="Crew", member_ids=[bob.id])
    for _ in range(12):  # 24 system lines ("added", "removed") in a moment
        groups.add_members(user_id=alice.id, chat_id=group, member_ids=[carol.id])
        groups.remove_member(user_id=alice.id, chat_id=group, member_id=carol.id)

    for n in range(20):
        send(alice, group, f"real {n}")
    with pytest.raises(TooManyAttempts):
        send(alice, group, "the twenty-first real one")


def test_a_message_waits_for_the_one_written_before_it(db, people, direct):
    """Seen in a burst: the limit held one message, freed a slot, and let a later
    one (sent together with it) through first, so the chat read out of order.
    Each message names the one written before it; it is stored only after it."""
    alice, _, _ = people
    for n in range(20):
        send(alice, direct, f"quick {n}")
    held, later = new_client_id(), new_client_id()
    with pytest.raises(TooManyAttempts):
        send(alice, direct, "held", client_msg_id=held)
    backdate_all(db, get_settings().send_burst_seconds + 1)  # a slot frees up
    before = snapshot(db)

    with pytest.raises(WaitingForEarlier):
        send(alice, direct, "later", client_msg_id=later, after_client_msg_id=held)
    assert snapshot(db) == before

    send(alice, direct, "held", client_msg_id=held)
    send(alice, direct, "later", client_msg_id=later, after_client_msg_id=held)
    bodies = [row["body"] for row in rows(db, "SELECT body FROM messages ORDER BY seq")]
    assert bodies[-2:] == ["held", "later"]
    # A retry of one already stored is answered as before, whatever it names.
    assert not send(alice, direct, "later", client_msg_id=later, after_client_msg_id=held).created


def test_the_earlier_message_is_named_by_a_well_formed_id(db, people, direct):
    with pytest.raises(InvalidInput):
        send(people[0], direct, "hi", after_client_msg_id="<script>")
