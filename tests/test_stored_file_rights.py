"""Files are stored only for people who may make the change, replaced pictures
go, and the sweep removes what no row points at (and nothing else)."""

from __future__ import annotations

import io
import os
import time

import pytest

from chat_app.services import attachments, direct_chats, groups, history, people
from chat_app.services.errors import Forbidden, NotFound
from chat_app.sweep_files import main as sweep_main
from tests import sample_files as files
from tests import test_attachments_service
from tests.factories import make_user

# The upload folder, emptied around each test.
uploads = test_attachments_service.uploads
HOUR = 3600


def stored_files(folder) -> list[str]:
    return [name for name in files.listing(folder) if (folder / name).is_file()]


@pytest.fixture
def group(db):
    """Ada is the group's admin, Ben a plain member; Olga is in no group at all."""
    ada, ben, olga = (make_user(db, name) for name in ("ada", "ben", "olga"))
    chat_id = groups.create_group(user_id=ada.id, title="Crew", member_ids=[ben.id])
    return ada, ben, olga, chat_id


@pytest.mark.parametrize("who", ["outsider", "plain member"])
def test_a_refused_group_photo_leaves_no_file_however_often_it_is_tried(group, uploads, who):
    _ada, ben, olga, chat_id = group
    person = olga if who == "outsider" else ben

    for _ in range(3):
        with pytest.raises((Forbidden, NotFound)):
            groups.set_group_photo(user_id=person.id, chat_id=chat_id, data=files.png())

    assert stored_files(uploads) == []


def test_a_picture_for_someone_who_does_not_exist_leaves_no_file(db, uploads):
    with pytest.raises(NotFound):
        people.set_profile_photo(user_id=999_999, data=files.png())

    assert stored_files(uploads) == []


def test_a_group_photo_that_fails_its_check_leaves_no_file(group, uploads):
    ada, _ben, _olga, chat_id = group

    with pytest.raises(Exception, match="Choose a photo"):
        groups.set_group_photo(user_id=ada.id, chat_id=chat_id, data=files.pdf())

    assert stored_files(uploads) == []


def test_replacing_a_profile_picture_leaves_one_file(db, uploads):
    alice = make_user(db, "alice")

    for colour in range(3):
        me = people.set_profile_photo(user_id=alice.id, data=files.png((10 + colour, 10)))

    assert stored_files(uploads) == [f"{attachments.AVATAR_FOLDER}/{me.avatar_path}"]


def test_a_picture_replaced_through_the_profile_form_is_removed(db, uploads):
    alice = make_user(db, "alice")
    people.set_profile_photo(user_id=alice.id, data=files.png())

    second = people.set_profile_photo(user_id=alice.id, data=files.jpeg()).avatar_path
    # Saving the name keeps the picture, and its file.
    people.update_profile(user_id=alice.id, display_name="Alice L.", about="")

    assert stored_files(uploads) == [f"{attachments.AVATAR_FOLDER}/{second}"]


def test_removing_a_profile_picture_removes_its_file(db, uploads):
    alice = make_user(db, "alice")
    people.set_profile_photo(user_id=alice.id, data=files.png())

    people.remove_avatar(user_id=alice.id)

    assert stored_files(uploads) == []


def test_replacing_a_group_photo_leaves_one_file(group, uploads):
    ada, _ben, _olga, chat_id = group

    for size in (10, 11, 12):
        groups.set_group_photo(user_id=ada.id, chat_id=chat_id, data=files.png((size, size)))

    name = history.chat_details(user_id=ada.id, chat_id=chat_id).avatar_path
    assert stored_files(uploads) == [f"{attachments.AVATAR_FOLDER}/{name}"]


# --- the sweep -------------------------------------------------------------------------


def age(path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_the_sweep_removes_old_orphans_and_keeps_everything_referenced_or_fresh(
    group, uploads, capsys
):
    ada, ben, _olga, chat_id = group
    direct = direct_chats.open_direct_chat(user_id=ada.id, other_user_id=ben.id)
    sent = attachments.send_attachment(
        user_id=ada.id,
        chat_id=direct,
        filename="notes.txt",
        data=io.BytesIO(b"hello"),
        caption="",
        client_msg_id="c-sweep-0001",
    )
    attachment = test_attachments_service.stored(sent.message_id).storage_name
    people.set_profile_photo(user_id=ben.id, data=files.png())
    groups.set_group_photo(user_id=ada.id, chat_id=chat_id, data=files.jpeg())
    referenced = stored_files(uploads)
    assert len(referenced) == 3
    assert attachment in referenced

    avatars = uploads / attachments.AVATAR_FOLDER
    old_orphan = avatars / ("a" * 32 + ".png")
    old_attachment_orphan = uploads / ("b" * 32 + ".pdf")
    old_partial = uploads / ".incoming-x1y2.part"  # an upload cut off by a crash
    fresh_orphan = uploads / ("c" * 32 + ".jpg")  # an upload whose row is about to commit
    fresh_partial = uploads / ".incoming-z3.part"  # an upload still arriving
    not_ours = uploads / "README.txt"
    for path in (old_orphan, old_attachment_orphan, old_partial, fresh_orphan, fresh_partial):
        path.write_bytes(b"x")
    not_ours.write_text("someone else's")
    for path in [uploads / name for name in referenced] + [
        old_orphan, old_attachment_orphan, old_partial, not_ours
    ]:  # fmt: skip
        age(path, 2 * HOUR)

    assert sweep_main(["--grace", str(HOUR)]) == 0

    left = stored_files(uploads)
    assert sorted(left) == sorted(
        [*referenced, fresh_orphan.name, fresh_partial.name, not_ours.name]
    )
    assert "3 removed, 3 kept" in capsys.readouterr().out


def test_the_default_grace_period_keeps_an_hour_old_upload(db, uploads):
    """UPLOAD_SWEEP_GRACE_SECONDS is an hour: a file kept a minute ago is never swept."""
    from chat_app.services.file_sweep import sweep_orphans

    uploads.mkdir(parents=True, exist_ok=True)
    recent = uploads / ("d" * 32 + ".png")
    recent.write_bytes(b"x")
    age(recent, 60)

    swept = sweep_orphans()

    assert swept.removed == []
    assert recent.exists()
