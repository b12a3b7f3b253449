"""Profile pictures through the people service: set, keep, remove, and carried by the session."""

from __future__ import annotations

import pytest

from chat_app.services import attachments, auth, people
from chat_app.services.errors import NotFound
from chat_app.settings import get_settings
from tests import sample_files as files
from tests.factories import count_rows, make_user


@pytest.fixture(autouse=True)
def uploads():
    folder = get_settings().upload_dir
    files.empty(folder)
    yield folder
    files.empty(folder)


def _with_photo(db):
    alice = make_user(db, "alice", display_name="Alice Liddell")
    name = attachments.store_avatar(user_id=alice.id, filename="me.png", data=files.png())
    people.update_profile(
        user_id=alice.id, display_name="Alice Liddell", about="Down the hole", avatar_path=name
    )
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
    name = attachments.store_avatar(user_id=signed.user.id, filename="me.png", data=files.png())
    people.update_profile(user_id=signed.user.id, display_name="Alice", about="", avatar_path=name)

    assert auth.session_user(signed.token).avatar_path == name
