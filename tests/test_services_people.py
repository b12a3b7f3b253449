"""Profile pictures through the people service: set, keep, remove, and carried by the session."""

from __future__ import annotations

import pytest

from chat_app.services import auth, groups, people
from chat_app.services.direct_chats import open_direct_chat
from chat_app.services.errors import NotFound
from chat_app.settings import get_settings
from tests import sample_files as files
from tests.chat_factories import events
from tests.factories import count_rows, make_user


@pytest.fixture(autouse=True)
def uploads():
    folder = get_settings().upload_dir
    files.empty(folder)
    yield folder
    files.empty(folder)


def _with_photo(db):
    alice = make_user(db, "alice", display_name="Alice Liddell")
    people.update_profile(user_id=alice.id, display_name="Alice Liddell", about="Down the hole")
    name = people.set_profile_photo(user_id=alice.id, data=files.png()).avatar_path
    return alice, name


def test_saving_name_and_about_keeps_the_picture(db):
    alice, name = _with_photo(db)

    me = people.update_profile(user_id=alice.id, display_name="Alice L.", about="Back again")

    assert (me.display_name, me.about, me.avatar_path) == ("Alice L.", "Back again", name)


def test_removing_the_picture_keeps_name_and_about(db, uploads):
    alice, name = _with_photo(db)

    me = people.remove_avatar(user_id=alice.id)

    assert (me.display_name, me.about, me.avatar_path) == ("Alice Liddell", "Down the hole", None)
    assert people.get_profile(user_id=alice.id).avatar_path is None
    # No row points at the picture any more, so its file goes too.
    assert not (uploads / "avatars" / name).exists()


def test_removing_when_there_is_no_picture_changes_nothing(db):
    alice = make_user(db, "alice")

    assert people.remove_avatar(user_id=alice.id).avatar_path is None


def test_removing_for_someone_unknown_is_refused(db):
    with pytest.raises(NotFound):
        people.remove_avatar(user_id=999_999)
    assert count_rows(db, "users") == 0


def test_the_session_carries_my_picture_for_the_header(db):
    signed = auth.sign_up(username="alice", display_name="Alice", password="a long passphrase 1")
    assert signed.user.avatar_path is None
    name = people.set_profile_photo(user_id=signed.user.id, data=files.png()).avatar_path

    assert auth.session_user(signed.token).avatar_path == name


def test_a_new_name_or_picture_is_told_to_everyone_who_shares_a_chat(db):
    alice, bob, carol, dan = (make_user(db, name) for name in ("alice", "bob", "carol", "dan"))
    open_direct_chat(user_id=alice.id, other_user_id=bob.id)
    groups.create_group(user_id=carol.id, title="Club", member_ids=[alice.id])
    open_direct_chat(user_id=bob.id, other_user_id=dan.id)  # Bob's friend, not hers
    everyone_she_shares_with = sorted([alice.id, bob.id, carol.id])

    people.update_profile(user_id=alice.id, display_name="Alice L.", about="")
    people.set_profile_photo(user_id=alice.id, data=files.png())
    people.remove_avatar(user_id=alice.id)

    told = events(db, "profile.updated")
    assert [event["payload"] for event in told] == [{"user_id": alice.id}] * 3
    # Dan shares no chat with her; her own other tabs hear of it too.
    assert all(sorted(event["recipient_ids"]) == everyone_she_shares_with for event in told)
    assert all(event["chat_id"] is None for event in told)


def test_nothing_is_told_when_nothing_others_see_changed(db):
    alice, bob = make_user(db, "alice"), make_user(db, "bob")
    open_direct_chat(user_id=alice.id, other_user_id=bob.id)

    people.update_profile(user_id=alice.id, display_name=alice.display_name, about="New about")
    people.remove_avatar(user_id=alice.id)  # she had none

    assert events(db, "profile.updated") == []
