"""Reading a conversation (pages, the unread divider, receipts, details) and people search."""

from __future__ import annotations

import pytest

from chat_app.services import chat_list, direct_chats, groups, history, people
from chat_app.services.errors import InvalidInput
from tests import sample_files as files
from tests.chat_factories import make_users, seed_messages, send, snapshot
from tests.factories import make_user


@pytest.fixture
def pair(db):
    return make_users(db, "alice", "bob")


@pytest.fixture
def direct(pair):
    alice, bob = pair
    return direct_chats.open_direct_chat(user_id=alice.id, other_user_id=bob.id)


def ids_of(page) -> list[int]:
    messages = page.messages if hasattr(page, "messages") else page
    return [m.id for m in messages]


# --- keyset pages --------------------------------------------------------------------------


def test_history_pages_walk_back_without_gaps_or_overlaps(db, pair, direct):
    alice, bob = pair
    ids = seed_messages(db, direct, bob.id, 120)

    newest = history.load_latest(user_id=alice.id, chat_id=direct)
    older = history.load_older(user_id=alice.id, chat_id=direct, before_id=ids_of(newest)[0])
    oldest = history.load_older(user_id=alice.id, chat_id=direct, before_id=ids_of(older)[0])

    assert ids_of(newest) == ids[70:]
    assert [m.body for m in newest.messages][-1] == "bulk 120"
    assert newest.has_older
    assert ids_of(older) == ids[20:70]
    assert older.has_older
    assert ids_of(oldest) == ids[:20]
    assert not oldest.has_older
    assert ids_of(oldest) + ids_of(older) + ids_of(newest) == ids


def test_an_exactly_full_history_has_nothing_older(db, pair, direct):
    alice, bob = pair
    ids = seed_messages(db, direct, bob.id, 50)

    page = history.load_latest(user_id=alice.id, chat_id=direct)

    assert (ids_of(page), page.has_older) == (ids, False)


def test_new_messages_do_not_shift_the_older_pages(db, pair, direct):
    """Keyset paging: scrolling up while messages arrive neither repeats nor skips."""
    alice, bob = pair
    ids = seed_messages(db, direct, bob.id, 120)
    newest = history.load_latest(user_id=alice.id, chat_id=direct)

    for i in range(10):
        send(alice, direct, f"while scrolling {i}")
    older = history.load_older(user_id=alice.id, chat_id=direct, before_id=ids_of(newest)[0])

    assert ids_of(older) == ids[20:70]


def test_load_newer_returns_what_came_after_an_id_oldest_first(db, pair, direct):
    alice, bob = pair
    ids = seed_messages(db, direct, bob.id, 120)

    assert (
        ids_of(history.load_newer(user_id=alice.id, chat_id=direct, after_id=ids[99])) == ids[100:]
    )
    assert (
        ids_of(history.load_newer(user_id=alice.id, chat_id=direct, after_id=ids[99], limit=5))
        == ids[100:105]
    )
    assert history.load_newer(user_id=alice.id, chat_id=direct, after_id=ids[-1]) == []


def test_pages_never_mix_in_another_chats_messages(db, pair, direct):
    alice, bob = pair
    carol = make_user(db, "carol")
    other = direct_chats.open_direct_chat(user_id=alice.id, other_user_id=carol.id)
    for i in range(5):
        send(bob, direct, f"to alice {i}")
        send(carol, other, f"elsewhere {i}")

    page = history.load_latest(user_id=alice.id, chat_id=direct)
    newer = history.load_newer(user_id=alice.id, chat_id=direct, after_id=0)

    assert [m.body for m in page.messages] == [f"to alice {i}" for i in range(5)]
    assert ids_of(newer) == ids_of(page)


def test_reading_history_changes_nothing(db, pair, direct):
    alice, bob = pair
    ids = seed_messages(db, direct, bob.id, 60)
    before = snapshot(db)

    history.load_latest(user_id=alice.id, chat_id=direct)
    history.load_older(user_id=alice.id, chat_id=direct, before_id=ids[10])
    history.load_newer(user_id=alice.id, chat_id=direct, after_id=ids[10])

    assert snapshot(db) == before


# --- the unread divider --------------------------------------------------------------------


def test_the_divider_sits_above_the_first_unread_message(db, pair, direct):
    alice, bob = pair
    ids = seed_messages(db, direct, bob.id, 120)
    history.mark_read(user_id=alice.id, chat_id=direct, up_to_message_id=ids[99])

    page = history.load_latest(user_id=alice.id, chat_id=direct)

    assert (page.first_unread_id, page.unread_count) == (ids[100], 20)


def test_nothing_unread_means_no_divider(db, pair, direct):
    alice, bob = pair
    send(bob, direct, "hi")
    send(alice, direct, "hello")

    page = history.load_latest(user_id=alice.id, chat_id=direct)

    assert (page.first_unread_id, page.unread_count) == (None, 0)


def test_the_divider_skips_system_lines_and_my_own_messages(db):
    alice, bob, carol = make_users(db, "alice", "bob", "carol")
    chat_id = groups.create_group(user_id=alice.id, title="Crew", member_ids=[bob.id])
    send(bob, chat_id, "read already")
    history.mark_read(user_id=alice.id, chat_id=chat_id, up_to_message_id=10**12)
    groups.promote_to_admin(user_id=alice.id, chat_id=chat_id, member_id=bob.id)
    groups.add_members(user_id=bob.id, chat_id=chat_id, member_ids=[carol.id])  # by Bob
    first_unread = send(bob, chat_id, "new one").message_id
    send(carol, chat_id, "hi all")

    page = history.load_latest(user_id=alice.id, chat_id=chat_id)

    assert (page.first_unread_id, page.unread_count) == (first_unread, 2)
    assert history.load_latest(user_id=bob.id, chat_id=chat_id).unread_count == 1


def test_the_divider_counts_exactly_the_messages_below_it_when_unread_exceeds_a_page(
    db, pair, direct
):
    """60 unread: the "60 unread messages" divider must sit above the first of those 60."""
    alice, bob = pair
    ids = seed_messages(db, direct, bob.id, 120)
    history.mark_read(user_id=alice.id, chat_id=direct, up_to_message_id=ids[59])

    page = history.load_latest(user_id=alice.id, chat_id=direct)

    assert page.unread_count == 60
    assert page.first_unread_id == ids[60]


# --- message info --------------------------------------------------------------------------


def test_message_info_sorts_the_other_members_into_read_received_and_pending(db):
    alice, bob, carol, dave = make_users(db, "alice", "bob", "carol", "dave")
    chat_id = groups.create_group(
        user_id=alice.id, title="Crew", member_ids=[bob.id, carol.id, dave.id]
    )
    message_id = send(alice, chat_id, "who's in?").message_id
    history.mark_read(user_id=bob.id, chat_id=chat_id, up_to_message_id=message_id)
    chat_list.list_chats(user_id=carol.id)  # delivered to Carol, not read

    info = history.message_info(user_id=alice.id, message_id=message_id)

    assert info.message_id == message_id
    assert [(r.display_name, r.delivered, r.read) for r in info.read_by] == [("Bob", True, True)]
    assert [(r.display_name, r.delivered, r.read) for r in info.delivered_to] == [
        ("Carol", True, False)
    ]
    assert [(r.display_name, r.delivered, r.read) for r in info.pending] == [("Dave", False, False)]
    everyone = info.read_by + info.delivered_to + info.pending
    assert alice.id not in {r.user_id for r in everyone}

    history.mark_read(user_id=dave.id, chat_id=chat_id, up_to_message_id=message_id)
    info = history.message_info(user_id=alice.id, message_id=message_id)
    assert [r.display_name for r in info.read_by] == ["Bob", "Dave"]
    assert info.pending == []


def test_message_info_for_an_older_message_counts_cursors_past_it(db):
    alice, bob, carol = make_users(db, "alice", "bob", "carol")
    chat_id = groups.create_group(user_id=alice.id, title="Crew", member_ids=[bob.id, carol.id])
    older = send(alice, chat_id, "first").message_id
    newer = send(alice, chat_id, "second").message_id
    history.mark_read(user_id=bob.id, chat_id=chat_id, up_to_message_id=newer)
    history.mark_read(user_id=carol.id, chat_id=chat_id, up_to_message_id=older)

    assert [
        r.display_name for r in history.message_info(user_id=alice.id, message_id=older).read_by
    ] == [
        "Bob",
        "Carol",
    ]
    newer_info = history.message_info(user_id=alice.id, message_id=newer)
    assert [r.display_name for r in newer_info.read_by] == ["Bob"]
    assert [r.display_name for r in newer_info.pending] == ["Carol"]


# --- chat details --------------------------------------------------------------------------


def test_chat_details_of_a_direct_chat_name_the_peer(db, pair, direct):
    alice, bob = pair
    people.update_profile(user_id=bob.id, display_name="Bobby", about="")
    picture = people.set_profile_photo(user_id=bob.id, data=files.png()).avatar_path

    details = history.chat_details(user_id=alice.id, chat_id=direct)

    assert (details.kind, details.name, details.avatar_path, details.my_role) == (
        "direct",
        "Bobby",
        picture,
        "member",
    )
    assert (details.peer.id, details.peer.username, details.peer.display_name) == (
        bob.id,
        "bob",
        "Bobby",
    )
    assert {m.user_id for m in details.members} == {alice.id, bob.id}
    assert history.chat_details(user_id=bob.id, chat_id=direct).name == "Alice"


def test_chat_details_of_a_group_list_members_and_my_role(db):
    alice, bob, carol = make_users(db, "alice", "bob", "carol")
    chat_id = groups.create_group(user_id=alice.id, title="Crew", member_ids=[bob.id, carol.id])
    groups.set_group_photo(user_id=alice.id, chat_id=chat_id, data=files.png())

    as_alice = history.chat_details(user_id=alice.id, chat_id=chat_id)
    as_bob = history.chat_details(user_id=bob.id, chat_id=chat_id)

    assert (as_alice.kind, as_alice.name, as_alice.peer) == ("group", "Crew", None)
    assert as_alice.avatar_path is not None
    assert as_alice.avatar_path == as_bob.avatar_path
    assert (as_alice.my_role, as_bob.my_role) == ("admin", "member")
    assert [(m.username, m.role) for m in as_bob.members] == [
        ("alice", "admin"),
        ("bob", "member"),
        ("carol", "member"),
    ]


# --- people --------------------------------------------------------------------------------


@pytest.fixture
def directory(db):
    """A searcher and the people they might look for."""
    searcher = make_user(db, "alex", display_name="Alex Searcher")
    for username, display_name in [
        ("alice", "Alice Liddell"),
        ("alfred", "Alfred"),
        ("bob", "Al Bundy"),  # found by display name only
        ("carol", "Carol Alvarez"),  # "al" inside, not at the start
        ("ateam", "A_Team"),
        ("abby", "Abby"),
        ("pct", "100% Sure"),
        ("hundred", "100 Things"),
    ]:
        make_user(db, username, display_name=display_name)
    return searcher


def found(searcher, query: str) -> list[str]:
    return sorted(p.username for p in people.search_people(user_id=searcher.id, query=query))


@pytest.mark.parametrize(
    ("query", "usernames"),
    [
        ("al", ["alfred", "alice", "bob"]),
        ("AL", ["alfred", "alice", "bob"]),
        ("  aLi ", ["alice"]),
        ("@alf", ["alfred"]),
        ("liddell", []),  # prefix of the display name only
        ("alice l", ["alice"]),
        ("car", ["carol"]),
        ("zzz", []),
    ],
)
def test_search_matches_a_prefix_of_username_or_display_name_in_any_case(
    db, directory, query, usernames
):
    assert found(directory, query) == usernames


@pytest.mark.parametrize(
    ("query", "usernames"),
    [
        ("a_", ["ateam"]),  # not "abby": _ is not "any character"
        ("100%", ["pct"]),  # not "100 Things": % is not "anything"
        ("%", []),
        ("_", []),
        ("\\", []),
        ("a\\", []),
    ],
)
def test_search_treats_like_wildcards_literally(db, directory, query, usernames):
    assert found(directory, query) == usernames


def test_search_never_finds_the_searcher(db, directory):
    assert "alex" not in found(directory, "al")
    assert found(directory, "alex") == []


@pytest.mark.parametrize("query", ["", "   ", "@", " @ "])
def test_an_empty_search_finds_nobody(db, directory, query):
    assert people.search_people(user_id=directory.id, query=query) == []


def test_search_returns_at_most_20(db):
    searcher = make_user(db, "searcher")
    for i in range(25):
        make_user(db, f"user{i:02d}")

    assert len(people.search_people(user_id=searcher.id, query="user")) == 20
    assert len(people.search_people(user_id=searcher.id, query="user", limit=500)) == 20
    assert len(people.search_people(user_id=searcher.id, query="user", limit=3)) == 3


def test_an_over_long_search_is_refused(db, directory):
    assert people.search_people(user_id=directory.id, query="a" * 64) == []

    with pytest.raises(InvalidInput) as refused:
        people.search_people(user_id=directory.id, query="a" * 65)

    assert refused.value.field == "query"


def test_search_results_show_name_about_and_picture(db, directory):
    alice = next(p for p in people.search_people(user_id=directory.id, query="alice"))
    people.update_profile(user_id=alice.id, display_name="Alice", about="Down the rabbit hole")
    picture = people.set_profile_photo(user_id=alice.id, data=files.png()).avatar_path

    [seen] = people.search_people(user_id=directory.id, query="alice")

    assert (seen.username, seen.display_name, seen.about, seen.avatar_path) == (
        "alice",
        "Alice",
        "Down the rabbit hole",
        picture,
    )


# --- profile -------------------------------------------------------------------------------


def test_updating_my_profile_tidies_spaces_and_keeps_the_picture_when_none_is_given(db):
    alice = make_user(db, "alice")
    picture = people.set_profile_photo(user_id=alice.id, data=files.png()).avatar_path

    updated = people.update_profile(
        user_id=alice.id, display_name="  Alice   Liddell ", about=" curious\n and   curiouser "
    )

    assert (updated.display_name, updated.about, updated.avatar_path) == (
        "Alice Liddell",
        "curious and curiouser",
        picture,
    )
    assert people.get_profile(user_id=alice.id) == updated


def test_updating_my_picture_replaces_it(db):
    alice = make_user(db, "alice")
    old = people.set_profile_photo(user_id=alice.id, data=files.png()).avatar_path

    new = people.set_profile_photo(user_id=alice.id, data=files.jpeg()).avatar_path

    assert new != old
    assert people.get_profile(user_id=alice.id).avatar_path == new


def test_a_new_display_name_shows_in_other_peoples_chat_lists(db, pair, direct):
    alice, bob = pair
    send(alice, direct, "hi")

    people.update_profile(user_id=alice.id, display_name="Alice L.", about="")

    assert [row.name for row in chat_list.list_chats(user_id=bob.id)] == ["Alice L."]


@pytest.mark.parametrize(
    ("display_name", "about", "field"),
    [
        ("", "", "display_name"),
        ("   ", "", "display_name"),
        ("x" * 65, "", "display_name"),
        ("Alice\u200b", "", "display_name"),  # a zero-width space: invisible in the name
        ("Alice", "y" * 141, "about"),
    ],
    ids=["empty name", "blank name", "name too long", "control character", "about too long"],
)
def test_an_invalid_profile_is_refused_and_nothing_changes(db, display_name, about, field):
    alice = make_user(db, "alice")
    before = snapshot(db)

    with pytest.raises(InvalidInput) as refused:
        people.update_profile(user_id=alice.id, display_name=display_name, about=about)

    assert refused.value.field == field
    assert snapshot(db) == before


def test_text_postgresql_cannot_store_is_refused_as_input(db):
    """A NUL character (sent by a crafted client) must be an input error, not a crash."""
    alice = make_user(db, "alice")
    before = snapshot(db)

    with pytest.raises(InvalidInput) as in_about:
        people.update_profile(user_id=alice.id, display_name="Alice", about="hi\x00")
    with pytest.raises(InvalidInput) as in_search:
        people.search_people(user_id=alice.id, query="al\x00")

    assert (in_about.value.field, in_search.value.field) == ("about", "query")
    assert snapshot(db) == before


def test_the_longest_allowed_profile_is_accepted(db):
    alice = make_user(db, "alice")

    updated = people.update_profile(user_id=alice.id, display_name="x" * 64, about="y" * 140)

    assert (len(updated.display_name), len(updated.about)) == (64, 140)
