"""Controller of the attach dialog: pick files, add a caption, upload with progress, send.

Each file becomes its own message (the caption goes with the first), sent
through the attachments service, which decides the type from the bytes and
enforces the limits; this controller only relays what it says.
"""

from __future__ import annotations

import asyncio
import uuid

import reflex as rx

from chat_app.services import attachments
from chat_app.services.errors import ServiceError
from chat_app.state import dropzone_refusals
from chat_app.state.conversation import ConversationState
from chat_app.state.page_visit import page_visit
from chat_app.state.session import SessionState

UPLOAD_ID = "attachments"
MAX_FILES = attachments.MAX_FILES_PER_UPLOAD


class AttachState(SessionState):
    open: bool = False
    caption: str = ""
    progress: int = 0
    uploading: bool = False
    error: str = ""
    sent_count: int = 0
    # The upload the dialog waits for. Send carries it, and so does each progress
    # report of that upload; once the dialog closes or a send ends it moves on,
    # so a report that arrives late, or an upload that was cancelled, is
    # recognised as old and changes nothing.
    batch_id: str = ""
    # The largest file the drop zone takes: bigger ones are refused in the browser,
    # before uploading. Read when the dialog opens, as the backends are configured.
    max_bytes: int = 0
    # The page load (its socket) and address the dialog was opened on.
    _opened_on: str = ""

    @rx.event
    def show(self):
        """Attach: the dialog opens fresh, whatever an earlier upload left behind
        (the button forgets the chosen files in the browser first)."""
        self._reset_dialog()
        self.max_bytes = attachments.upload_limit()
        self._opened_on = page_visit(self)
        self.open = True

    @rx.event
    def refuse(self, rejected: list[dict]):
        """The drop zone refused files before uploading them: say which and why."""
        self.error = dropzone_refusals.describe(rejected)

    @rx.event
    def set_open(self, is_open: bool):
        """Cancel, Esc or a click outside: the dialog always closes, and an upload
        still on its way is stopped. (Only Attach opens it.)"""
        if is_open:
            return None
        self._reset_dialog()
        return _stop_upload()

    @rx.event
    def close_if_left(self):
        """on_load of a chat: a dialog opened before a reload, or in another chat,
        closes. One opened on this very page stays: Attach can be pressed before
        the page's on_load events have run."""
        if self._opened_on == page_visit(self):
            return None
        if not (self.open or self.uploading or self._opened_on):
            return None  # closed and forgotten already: nothing to send to the page
        self._reset_dialog()
        return _stop_upload()

    def _reset_dialog(self) -> None:
        self.open = self.uploading = False
        self.caption = self.error = ""
        self.progress = self.sent_count = 0
        self._opened_on = ""
        self._next_batch()

    def _next_batch(self) -> None:
        self.batch_id = uuid.uuid4().hex[:24]

    @rx.event
    def set_caption(self, value: str):
        self.caption = value

    @rx.event
    def track_progress(self, progress: dict, batch: str):
        """The browser reports how much of the upload ``batch`` it has sent."""
        if batch != self.batch_id or not self.open:
            return
        fraction = float(progress.get("progress", 0) or 0)
        self.uploading = True
        self.progress = min(100, round(fraction * 100))

    @rx.event
    async def send(self, files: list[rx.UploadFile], batch: str):
        """Receive the uploaded files and send each as a message, in order. An upload
        the dialog no longer waits for (it was closed meanwhile) sends nothing."""
        if batch != self.batch_id or not self.open:
            return
        # This upload has arrived: any report of it still on its way is now old.
        self._next_batch()
        chat = await self.get_state(ConversationState)
        self.uploading, self.error = True, ""
        if not files:
            self._finish("Choose a photo or document first.")
            return
        if len(files) > MAX_FILES:
            self._finish(f"Send at most {MAX_FILES} files at once.")
            return
        for index, upload in enumerate(files[self.sent_count :], start=self.sent_count):
            try:
                await asyncio.to_thread(
                    attachments.send_attachment,
                    user_id=self.user_id,
                    chat_id=chat.chat_id,
                    filename=upload.name or upload.filename or "file",
                    data=upload.file,
                    caption=self.caption if index == 0 else "",
                    client_msg_id=f"{batch}-{index}",
                )
            except ServiceError as error:
                self._finish(f"{upload.name or 'This file'}: {error}")
                yield ConversationState.show_latest
                return
            self.sent_count = index + 1
        self._finish()
        self.open = False
        yield rx.clear_selected_files(UPLOAD_ID)
        yield ConversationState.show_latest

    def _finish(self, error: str = "") -> None:
        self.uploading, self.progress, self.error = False, 0, error


def _stop_upload() -> list[rx.event.EventSpec]:
    """The browser stops sending the dialog's files and forgets which were chosen."""
    return [rx.cancel_upload(UPLOAD_ID), rx.clear_selected_files(UPLOAD_ID)]
