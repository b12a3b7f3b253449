"""Photos and documents in chats, and profile or group pictures.

Sending a file is a message of kind ``image`` or ``file`` (the caption is its
body) plus an ``attachments`` row, written in one transaction. The bytes are
received and checked *before* that transaction, outside any database
connection, so a slow upload never holds one; only a short read-only look-up
(membership and the retry check) precedes them. Whatever happens after the
bytes are kept, either the row that points at them commits or they are
removed.

Files are served only through signed, expiring links (:mod:`media_links`)
whose route asks :func:`open_attachment` again at request time, so someone who
has left a chat stops seeing its files even with a link they kept.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from sqlmodel import Session

from chat_app.database import unit_of_work
from chat_app.models import MessageKind
from chat_app.repositories import attachments as attachments_repo
from chat_app.repositories import messages as messages_repo
from chat_app.repositories import sessions as sessions_repo
from chat_app.services import file_store, file_types, media_links, photo_metadata
from chat_app.services.access import access_chat, access_readable
from chat_app.services.errors import Forbidden, NotFound
from chat_app.services.file_types import Detected, FileType
from chat_app.services.message_send import (
    Sent,
    check_body,
    check_client_msg_id,
    do_send,
    refuse_if_sending_too_fast,
)
from chat_app.settings import get_settings

NAME_MAX = 255
# Files one upload may carry (the attach dialog's limit; a picture is one file).
MAX_FILES_PER_UPLOAD = 10
AVATAR_FOLDER = "avatars"
FILE_NOT_FOUND = "This file does not exist or was deleted."
NOT_IN_CHAT = "You are not in the chat this file belongs to."
# Zero-width joiners hold emoji sequences together; every other invisible or
# control character (including bidirectional overrides that disguise an
# extension, "photo\u202egnp.exe") is dropped from display names.
_KEEP_INVISIBLE = {"\u200c", "\u200d"}
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class ServedFile:
    """What the file route needs to answer one request."""

    path: Path
    content_type: str
    download_name: str
    is_image: bool
    max_age: int  # seconds the link has left; the browser may cache that long


@dataclass(frozen=True)
class _Stored:
    storage_name: str
    size: int
    detected: Detected


def upload_limit() -> int:
    """The largest file a person may send, in bytes (``MAX_UPLOAD_BYTES``). The
    attach dialog refuses a bigger one in the browser, before uploading it;
    receiving refuses it again whatever the browser did."""
    return get_settings().max_upload_bytes


def too_large(name: str, size: int) -> str:
    """Why a file of ``size`` bytes is refused, with the limit, in plain words."""
    return (
        f"{name} is {file_store.human_size(size)}; "
        f"files can be up to {file_store.human_size(upload_limit())}."
    )


def upload_folder() -> Path:
    return get_settings().upload_dir


def avatar_folder() -> Path:
    return get_settings().upload_dir / AVATAR_FOLDER


def display_name(filename: str, file_type: FileType) -> str:
    """What the sender called the file, made safe to show and to download as.

    Only the last path component survives ("../../etc/passwd" becomes
    "passwd"), invisible characters go, and the name ends with an extension
    that fits the detected type, so opening the download never runs anything:
    another accepted type's extension is replaced ("photo.png" holding a JPEG
    becomes "photo.jpg"), any other is kept and followed by the right one
    ("notes.bat" holding text becomes "notes.bat.txt").
    """
    name = unicodedata.normalize("NFC", filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        ch for ch in name if ch in _KEEP_INVISIBLE or not unicodedata.category(ch).startswith("C")
    )
    name = _SPACES.sub(" ", name).strip(" .")
    if not name:
        name = "photo" if file_type.is_image else "file"
    if not name.lower().endswith(file_type.extensions):
        stem, dot, extension = name.rpartition(".")
        if dot and stem and "." + extension.lower() in file_types.ACCEPTED_EXTENSIONS:
            name = stem
        name += file_type.extension
    if len(name) > NAME_MAX:
        suffix = "." + name.rsplit(".", 1)[1]
        name = name[: NAME_MAX - len(suffix)].rstrip(" .") + suffix
    return name


def _store(data: BinaryIO | bytes, *, folder: Path, images_only: bool) -> _Stored:
    """Receive, check and keep an upload; nothing stays on disk when it is refused."""
    settings = get_settings()
    stream = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    temp, size = file_store.receive(
        stream, folder=settings.upload_dir, limit=settings.max_upload_bytes
    )
    try:
        check = file_types.detect_image if images_only else file_types.detect
        detected = check(temp, max_image_pixels=settings.max_image_pixels)
        if detected.file_type.is_image:
            # No photo leaves with where it was taken: only the pixels are kept.
            width, height = photo_metadata.strip(temp, detected.file_type)
            detected = replace(detected, width=width, height=height)
            size = temp.stat().st_size
        storage_name = file_store.keep(temp, folder=folder, extension=detected.file_type.extension)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return _Stored(storage_name, size, detected)


def send_attachment(
    *,
    user_id: int,
    chat_id: int,
    filename: str,
    data: BinaryIO | bytes,
    caption: str,
    client_msg_id: str,
) -> Sent:
    """Send a photo or document with an optional caption.

    Retrying with the same ``client_msg_id`` returns the first message without
    storing the file again. The type comes from the content; ``filename`` is
    only the name shown to the chat.
    """
    body = check_body(caption, allow_empty=True)
    client_msg_id = check_client_msg_id(client_msg_id)
    with unit_of_work() as session:
        access_chat(session, chat_id=chat_id, user_id=user_id)
        first = messages_repo.get_by_client_id(
            session=session, sender_id=user_id, client_msg_id=client_msg_id
        )
        if first is not None:
            assert first.id is not None
            return Sent(first.id, first.chat_id, first.seq, created=False)
        # Before the upload is read: a refused send writes nothing to disk.
        refuse_if_sending_too_fast(session, sender_id=user_id)

    folder = upload_folder()
    stored = _store(data, folder=folder, images_only=False)
    file_type = stored.detected.file_type
    try:
        with unit_of_work() as session:
            # Membership is checked again: the upload may have taken a while.
            access_chat(session, chat_id=chat_id, user_id=user_id)
            sent = do_send(
                session,
                chat_id=chat_id,
                sender_id=user_id,
                kind=MessageKind.IMAGE if file_type.is_image else MessageKind.FILE,
                body=body,
                client_msg_id=client_msg_id,
            )
            if sent.created:
                attachments_repo.create(
                    session=session,
                    chat_id=chat_id,
                    message_id=sent.message_id,
                    uploader_id=user_id,
                    storage_name=stored.storage_name,
                    original_name=display_name(filename, file_type),
                    mime_type=file_type.mime_type,
                    size_bytes=stored.size,
                    width=stored.detected.width,
                    height=stored.detected.height,
                )
    except BaseException:
        file_store.discard(folder, [stored.storage_name])
        raise
    if not sent.created:
        # A concurrent retry of the same send won the race and kept its own copy.
        file_store.discard(folder, [stored.storage_name])
    return sent


def open_attachment(
    *,
    attachment_id: int,
    viewer: str | None,
    session: str | None,
    expires: str | None,
    signature: str | None,
) -> ServedFile:
    """Check a file link as received (``u``, ``s``, ``exp``, ``sig``), that its session
    still counts and that its viewer is still in the chat; raise Forbidden or
    NotFound instead of serving."""
    verified = media_links.verify(
        kind=media_links.FILES,
        subject=str(attachment_id),
        viewer=viewer,
        session=session,
        expires=expires,
        signature=signature,
    )
    with unit_of_work() as session:
        _refuse_ended_session(session, verified)
        attachment = attachments_repo.get(session=session, attachment_id=attachment_id)
        message = (
            messages_repo.get(session=session, message_id=attachment.message_id)
            if attachment is not None and attachment.message_id is not None
            else None
        )
        if attachment is None or message is None or message.deleted_at is not None:
            raise NotFound(FILE_NOT_FOUND)
        try:
            readable = access_readable(
                session, chat_id=attachment.chat_id, user_id=verified.viewer_id
            )
        except NotFound:
            raise Forbidden(NOT_IN_CHAT) from None
        if not readable.may_read(message.id or 0):
            raise Forbidden(NOT_IN_CHAT)  # sent after its viewer left the group
    path = file_store.path_for(upload_folder(), attachment.storage_name)
    if path is None or not path.is_file():
        raise NotFound(FILE_NOT_FOUND)
    return ServedFile(
        path=path,
        content_type=_content_type(attachment.mime_type),
        download_name=attachment.original_name,
        is_image=attachment.mime_type.startswith("image/"),
        max_age=verified.seconds_left,
    )


def _content_type(mime_type: str) -> str:
    return f"{mime_type}; charset=utf-8" if mime_type.startswith("text/") else mime_type


def detach_message_files(session: Session, *, message_id: int) -> list[str]:
    """Inside the deleting transaction: drop a message's attachment rows and return
    the stored names, for :func:`remove_files` once that transaction commits."""
    return attachments_repo.delete_for_message(session=session, message_id=message_id)


def remove_files(storage_names: list[str]) -> None:
    """After commit: delete the bytes of attachments whose rows are gone."""
    file_store.discard(upload_folder(), storage_names)


@contextmanager
def new_avatar(data: BinaryIO | bytes) -> Iterator[str]:
    """Check and keep a picture for the block to point a row at; the file is removed
    again when the block fails, so a refused change leaves no file behind.

    Callers check that the person may make the change *before* entering, and
    again in the block's transaction.
    """
    storage_name = _store(data, folder=avatar_folder(), images_only=True).storage_name
    try:
        yield storage_name
    except BaseException:
        file_store.discard(avatar_folder(), [storage_name])
        raise


def discard_avatar(replaced: str | None, *, kept: str | None = None) -> None:
    """After commit: remove a picture no row points at any more (``kept`` is the one
    that replaced it, which may be the same name when nothing changed)."""
    if replaced and replaced != kept:
        file_store.discard(avatar_folder(), [replaced])


def avatar_url(stored_name: str | None, viewer_id: int, *, ttl: int | None = None) -> str:
    """A signed link to an avatar, or "" when there is none (show initials instead)."""
    if not stored_name or file_store.path_for(avatar_folder(), stored_name) is None:
        return ""
    return media_links.sign_avatar_url(stored_name=stored_name, viewer_id=viewer_id, ttl=ttl)


def _refuse_ended_session(session: Session, verified: media_links.Verified) -> None:
    """A link stops working when the session that got it ends (signed out, logged out)."""
    if not sessions_repo.is_active(
        session=session, session_id=verified.session_id, user_id=verified.viewer_id
    ):
        raise Forbidden(media_links.LINK_REFUSED)


def open_avatar(
    *,
    stored_name: str,
    viewer: str | None,
    session: str | None,
    expires: str | None,
    signature: str | None,
) -> ServedFile:
    """Avatars are visible to anyone signed in: a valid link of a live session is enough."""
    verified = media_links.verify(
        kind=media_links.AVATARS,
        subject=stored_name,
        viewer=viewer,
        session=session,
        expires=expires,
        signature=signature,
    )
    with unit_of_work() as db:
        _refuse_ended_session(db, verified)
    path = file_store.path_for(avatar_folder(), stored_name)
    file_type = file_types.BY_EXTENSION.get(Path(stored_name).suffix)
    if path is None or file_type is None or not file_type.is_image or not path.is_file():
        raise NotFound(FILE_NOT_FOUND)
    return ServedFile(
        path=path,
        content_type=file_type.mime_type,
        download_name="avatar" + file_type.extension,
        is_image=True,
        max_age=verified.seconds_left,
    )
