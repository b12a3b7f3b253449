"""Sending files and pictures: types decided by content, limits, names, cleanup, links."""

from __future__ import annotations

import io
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from chat_app import settings as settings_module
from chat_app.database import unit_of_work
from chat_app.models import Attachment, Message
from chat_app.repositories import attachments as attachments_repo
from chat_app.services import (
    attachments,
    direct_chats,
    history,
    media_links,
    message_changes,
    people,
)
from chat_app.services.errors import Forbidden, InvalidInput, NotFound
from chat_app.settings import ConfigError, get_settings, load_settings
from tests import sample_files as files
from tests.factories import count_rows, make_user


@pytest.fixture
def chat(db):
    alice, bob = make_user(db, "alice"), make_user(db, "bob")
    chat_id = direct_chats.open_direct_chat(user_id=alice.id, other_user_id=bob.id)
    return alice, bob, chat_id


@pytest.fixture(autouse=True)
def uploads():
    """The upload folder, empty at the start of each test (rows are truncated by ``db``)."""
    folder = get_settings().upload_dir
    files.empty(folder)
    yield folder
    files.empty(folder)


@pytest.fixture
def small_upload_limit(monkeypatch):
    """MAX_UPLOAD_BYTES=4096 for one test, through the environment like in real use."""
    monkeypatch.setenv("MAX_UPLOAD_BYTES", "4096")
    settings_module.get_settings.cache_clear()
    yield 4096
    monkeypatch.undo()
    settings_module.get_settings.cache_clear()


def send(user, chat_id, data, filename="file.bin", caption="", client_msg_id="c-00000001"):
    return attachments.send_attachment(
        user_id=user.id,
        chat_id=chat_id,
        filename=filename,
        data=io.BytesIO(data),
        caption=caption,
        client_msg_id=client_msg_id,
    )


def stored(message_id: int) -> Attachment:
    with unit_of_work() as session:
        [row] = attachments_repo.for_messages(session=session, message_ids=[message_id])
        return row


def message(message_id: int) -> Message:
    with unit_of_work() as session:
        return session.get(Message, message_id)


# --- accepted files ---------------------------------------------------------


def test_photo_becomes_an_image_message_with_its_dimensions(chat, uploads):
    alice, bob, chat_id = chat
    data = files.png((64, 48))

    sent = send(alice, chat_id, data, filename="beach.png", caption="  Look!  ")

    assert sent.created
    assert (message(sent.message_id).kind, message(sent.message_id).body) == ("image", "Look!")
    row = stored(sent.message_id)
    assert (row.mime_type, row.width, row.height, row.size_bytes) == (
        "image/png",
        64,
        48,
        len(data),
    )
    assert (row.original_name, row.uploader_id, row.chat_id) == ("beach.png", alice.id, chat_id)
    assert row.storage_name.endswith(".png")
    assert "beach" not in row.storage_name
    assert (uploads / row.storage_name).read_bytes() == data

    [view] = history.load_latest(user_id=bob.id, chat_id=chat_id).messages
    [shown] = view.attachments
    assert (shown.is_image, shown.width, shown.height, shown.name) == (True, 64, 48, "beach.png")
    assert shown.url.startswith(f"/files/{row.id}/beach.png?")
    assert parse_qs(urlsplit(shown.url).query)["u"] == [str(bob.id)]


@pytest.mark.parametrize(
    ("data", "filename", "mime_type", "kind", "shown_as"),
    [
        (files.jpeg(), "IMG_0001.JPG", "image/jpeg", "image", "IMG_0001.JPG"),
        (files.jpeg(), "mislabelled.png", "image/jpeg", "image", "mislabelled.jpg"),
        (files.image("GIF"), "wave.gif", "image/gif", "image", "wave.gif"),
        (files.image("WEBP"), "sticker.webp", "image/webp", "image", "sticker.webp"),
        (files.pdf(), "Invoice.pdf", "application/pdf", "file", "Invoice.pdf"),
        (files.TEXT, "list.txt", "text/plain", "file", "list.txt"),
        (files.TEXT, "notes.bat", "text/plain", "file", "notes.bat.txt"),
        (
            files.docx(),
            "Report.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "file",
            "Report.docx",
        ),
        (files.plain_zip(), "photos.zip", "application/zip", "file", "photos.zip"),
        (files.plain_zip(), "game.jar", "application/zip", "file", "game.jar.zip"),
    ],
)
def test_type_comes_from_the_content(chat, data, filename, mime_type, kind, shown_as):
    alice, _, chat_id = chat

    sent = send(alice, chat_id, data, filename=filename)

    row = stored(sent.message_id)
    assert (row.mime_type, row.original_name) == (mime_type, shown_as)
    assert message(sent.message_id).kind == kind
    assert row.storage_name.endswith(shown_as[shown_as.rindex(".") :].lower())


@pytest.mark.parametrize(
    ("filename", "shown_as"),
    [
        ("../../etc/passwd.png", "passwd.png"),
        ("../../etc/passwd", "passwd.png"),
        ("..\\..\\Windows\\win.ini", "win.png"),
        ("C:\\Users\\me\\run.bat", "run.bat.png"),
        ("/", "photo.png"),
        ("..", "photo.png"),
        ("evil\x00\x1b[31m\u202egnp.exe", "evil[31mgnp.exe.png"),
        ("  spaced   out  .png", "spaced out .png"),
        ("x" * 300 + ".png", "x" * 251 + ".png"),
    ],
)
def test_the_sender_chosen_name_is_only_display_text(chat, uploads, filename, shown_as):
    alice, _, chat_id = chat

    row = stored(send(alice, chat_id, files.png(), filename=filename).message_id)

    assert row.original_name == shown_as
    assert len(row.original_name) <= attachments.NAME_MAX
    assert files.listing(uploads) == [row.storage_name]


def test_a_file_at_exactly_the_limit_is_accepted(chat, small_upload_limit):
    alice, _, chat_id = chat
    data = b"a" * small_upload_limit

    sent = send(alice, chat_id, data, filename="limit.txt")

    assert stored(sent.message_id).size_bytes == small_upload_limit


def test_raw_bytes_are_accepted_as_well_as_file_objects(chat):
    alice, _, chat_id = chat

    sent = attachments.send_attachment(
        user_id=alice.id,
        chat_id=chat_id,
        filename="a.png",
        data=files.png(),
        caption="",
        client_msg_id="c-00000001",
    )

    assert stored(sent.message_id).mime_type == "image/png"


# --- refused files ----------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "filename", "reason"),
    [
        (files.ELF, "photo.png", "Programs"),
        (files.PE, "invoice.pdf", "Programs"),
        (files.HTML, "cat.jpg", "Web pages"),
        (files.SVG, "logo.svg", "Web pages"),
        (b"<p>hi</p>", "note.txt", "Web pages"),
        (files.SHELL_SCRIPT, "notes.txt", "Scripts"),
        (b"\xef\xbb\xbf#!/usr/bin/env python\n", "run.txt", "Scripts"),
        (b"plain text but \x00 a NUL", "nul.txt", "can't be sent"),
        ("caf\u00e9".encode("latin-1"), "latin1.txt", "can't be sent"),
        (bytes(range(256)) * 4, "random.bin", "can't be sent"),
        (b"", "empty.png", "empty"),
        (files.png()[:40], "truncated.png", "damaged"),
        (b"\x89PNG\r\n\x1a\n" + b"garbage" * 20, "fake.png", "damaged"),
        (b"PK\x03\x04" + b"not a zip" * 10, "broken.zip", "damaged"),
        (files.png_header_only(100_000, 100_000), "bomb.png", "too large"),
        (files.png_header_only(8000, 6000), "big.png", "too large"),  # 48 MP > 40 MP
        (files.png((16385, 1)), "wide.png", "too large"),
    ],
)
def test_refused_files_leave_nothing_behind(db, chat, uploads, data, filename, reason):
    alice, _, chat_id = chat
    before = files.listing(uploads)

    with pytest.raises(InvalidInput) as refused:
        send(alice, chat_id, data, filename=filename)

    assert refused.value.field == "file"
    assert reason in str(refused.value)
    assert files.listing(uploads) == before
    assert count_rows(db, "messages") == 0
    assert count_rows(db, "attachments") == 0


def test_an_oversize_file_is_refused_after_reading_one_byte_past_the_limit(
    db, chat, uploads, small_upload_limit
):
    alice, _, chat_id = chat
    stream = files.EndlessStream()

    with pytest.raises(InvalidInput, match="at most 4 KB"):
        attachments.send_attachment(
            user_id=alice.id,
            chat_id=chat_id,
            filename="huge.txt",
            data=stream,
            caption="",
            client_msg_id="c-00000001",
        )

    assert stream.read_bytes == small_upload_limit + 1
    assert files.listing(uploads) == []
    assert count_rows(db, "messages") == 0


def test_the_default_limit_is_25_megabytes(chat, uploads):
    alice, _, chat_id = chat
    stream = files.EndlessStream()

    with pytest.raises(InvalidInput, match="at most 25 MB"):
        attachments.send_attachment(
            user_id=alice.id,
            chat_id=chat_id,
            filename="huge.txt",
            data=stream,
            caption="",
            client_msg_id="c-00000001",
        )

    assert stream.read_bytes == 26_214_401
    assert files.listing(uploads) == []


def test_checks_that_need_no_bytes_come_first(chat, uploads, db):
    alice, _, chat_id = chat
    carol = make_user(db, "carol")
    stream = files.EndlessStream()

    with pytest.raises(NotFound):
        attachments.send_attachment(
            user_id=carol.id,
            chat_id=chat_id,
            filename="a.png",
            data=stream,
            caption="",
            client_msg_id="c-00000001",
        )
    with pytest.raises(InvalidInput) as bad_id:
        send(alice, chat_id, files.png(), client_msg_id="short")
    with pytest.raises(InvalidInput) as long_caption:
        send(alice, chat_id, files.png(), caption="x" * 5000)

    assert stream.read_bytes == 0
    assert (bad_id.value.field, long_caption.value.field) == ("client_msg_id", "body")
    assert files.listing(uploads) == []


def test_a_failed_transaction_removes_the_stored_file(db, chat, uploads, monkeypatch):
    alice, _, chat_id = chat

    def broken_create(**_):
        raise RuntimeError("database went away")

    monkeypatch.setattr(attachments_repo, "create", broken_create)
    with pytest.raises(RuntimeError):
        send(alice, chat_id, files.png())

    assert files.listing(uploads) == []
    assert count_rows(db, "messages") == 0


# --- retries, deletion ------------------------------------------------------


def test_a_retried_send_returns_the_first_message_and_stores_one_file(db, chat, uploads):
    alice, _, chat_id = chat

    first = send(alice, chat_id, files.png(), client_msg_id="c-retry-01")
    again = send(alice, chat_id, files.jpeg(), client_msg_id="c-retry-01")

    assert (again.message_id, again.created, first.created) == (first.message_id, False, True)
    assert count_rows(db, "attachments") == 1
    assert files.listing(uploads) == [stored(first.message_id).storage_name]


def test_a_retry_that_loses_the_race_discards_its_copy(chat, uploads, monkeypatch):
    """Both attempts passed the early check; the insert's own check decides."""
    alice, _, chat_id = chat
    first = send(alice, chat_id, files.png(), client_msg_id="c-race-001")
    real_get = attachments.messages_repo.get_by_client_id
    calls = []

    def first_call_misses(**kwargs):
        calls.append(kwargs)
        return None if len(calls) == 1 else real_get(**kwargs)

    monkeypatch.setattr(attachments.messages_repo, "get_by_client_id", first_call_misses)
    again = send(alice, chat_id, files.jpeg(), client_msg_id="c-race-001")

    assert (again.message_id, again.created) == (first.message_id, False)
    assert len(calls) == 2
    assert files.listing(uploads) == [stored(first.message_id).storage_name]


def test_deleting_the_message_removes_its_file_and_row(db, chat, uploads):
    alice, bob, chat_id = chat
    sent = send(alice, chat_id, files.pdf(), filename="a.pdf")
    assert len(files.listing(uploads)) == 1

    message_changes.delete_message(user_id=alice.id, message_id=sent.message_id)

    assert files.listing(uploads) == []
    assert count_rows(db, "attachments") == 0
    [view] = history.load_messages(user_id=bob.id, chat_id=chat_id, message_ids=[sent.message_id])
    assert view.deleted
    assert view.attachments == []


def test_someone_else_cannot_delete_the_file(chat, uploads):
    alice, bob, chat_id = chat
    send(alice, chat_id, files.pdf(), filename="a.pdf")
    [view] = history.load_latest(user_id=bob.id, chat_id=chat_id).messages

    with pytest.raises(Forbidden):
        message_changes.delete_message(user_id=bob.id, message_id=view.id)

    assert len(files.listing(uploads)) == 1


# --- links ------------------------------------------------------------------


def test_file_links_are_only_made_for_members(chat, db):
    alice, bob, chat_id = chat
    carol = make_user(db, "carol")
    message_id = send(alice, chat_id, files.pdf(), filename="Q1 report.pdf").message_id
    row = stored(message_id)

    [view] = history.load_messages(user_id=bob.id, chat_id=chat_id, message_ids=[message_id])
    url = view.attachments[0].url

    assert url.startswith(f"/files/{row.id}/Q1%20report.pdf?u={bob.id}&s=0&exp=")
    with pytest.raises(NotFound):
        history.load_messages(user_id=carol.id, chat_id=chat_id, message_ids=[message_id])


def _link_params(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_a_link_is_bound_to_its_file_viewer_session_kind_and_expiry():
    now = time.time()
    with media_links.for_session(12):
        url = media_links.sign_file_url(
            attachment_id=7, name="a.pdf", viewer_id=3, ttl=600, now=now
        )
    p = _link_params(url)

    def check(
        kind=media_links.FILES,
        subject="7",
        viewer=p["u"],
        session=p["s"],
        expires=p["exp"],
        sig=p["sig"],
    ):
        return media_links.verify(
            kind=kind,
            subject=subject,
            viewer=viewer,
            session=session,
            expires=expires,
            signature=sig,
            now=now,
        )

    verified = check()
    assert (verified.viewer_id, verified.session_id) == (3, 12)
    assert 600 <= verified.seconds_left <= 600 + media_links.EXPIRY_STEP
    for refused in (
        {"subject": "8"},
        {"viewer": "4"},
        {"session": "13"},
        {"session": None},
        {"expires": str(int(p["exp"]) + 3600)},
        {"sig": p["sig"][:-1] + ("0" if p["sig"][-1] != "0" else "1")},
        {"sig": ""},
        {"sig": None},
        {"viewer": "not-a-number"},
        {"kind": media_links.AVATARS},
    ):
        with pytest.raises(Forbidden):
            check(**refused)
    with pytest.raises(Forbidden):
        media_links.verify(
            kind=media_links.FILES,
            subject="7",
            viewer=p["u"],
            session=p["s"],
            expires=p["exp"],
            signature=p["sig"],
            now=int(p["exp"]) + 1,
        )


def test_links_made_close_together_are_identical_so_browsers_can_cache():
    first = media_links.sign_file_url(attachment_id=1, name="a", viewer_id=1, now=1_000_000)
    later = media_links.sign_file_url(attachment_id=1, name="a", viewer_id=1, now=1_000_100)

    assert first == later


# --- avatars ----------------------------------------------------------------


def test_avatar_is_stored_checked_and_linked(db, uploads):
    alice, bob = make_user(db, "alice"), make_user(db, "bob")

    name = people.set_profile_photo(user_id=alice.id, data=files.jpeg()).avatar_path

    assert name.endswith(".jpg")
    assert (uploads / "avatars" / name).read_bytes() == files.jpeg()
    assert people.get_profile(user_id=alice.id).avatar_path == name
    url = attachments.avatar_url(name, bob.id)
    assert url.startswith(f"/avatars/{name}?u={bob.id}&s=0&exp=")
    assert attachments.avatar_url(None, bob.id) == ""
    assert attachments.avatar_url("../../secret", bob.id) == ""


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (files.pdf(), "Choose a photo"),
        (files.HTML, "Choose a photo"),
        (files.png_header_only(100_000, 100_000), "too large"),
    ],
)
def test_avatars_must_be_real_pictures(db, uploads, data, reason):
    alice = make_user(db, "alice")
    before = files.listing(uploads)

    with pytest.raises(InvalidInput, match=reason):
        people.set_profile_photo(user_id=alice.id, data=io.BytesIO(data))

    assert files.listing(uploads) == before
    assert people.get_profile(user_id=alice.id).avatar_path is None


# --- settings ---------------------------------------------------------------


def test_upload_settings_have_defaults_and_name_the_variable_when_wrong(tmp_path):
    base = {"DATA_DIR": str(tmp_path), "JWT_SECRET": "development-secret"}
    loaded = load_settings(base)
    assert (loaded.max_upload_bytes, loaded.max_image_pixels, loaded.file_url_ttl_seconds) == (
        26_214_400,
        40_000_000,
        3600,
    )
    for variable, value in (
        ("MAX_UPLOAD_BYTES", "lots"),
        ("MAX_UPLOAD_BYTES", "0"),
        ("MAX_IMAGE_PIXELS", "999999999999"),
        ("FILE_URL_TTL_SECONDS", "5"),
    ):
        with pytest.raises(ConfigError) as error:
            load_settings({**base, variable: value})
        assert error.value.variable == variable
