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
from chat_app.state.conversation import ConversationState
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
    batch_id: str = ""

    @rx.event
    def show(self):
        self.open = True
        self.caption = ""
        self.progress = 0
        self.error = ""
        self.sent_count = 0
        self.batch_id = uuid.uuid4().hex[:24]

    @rx.event
    def set_open(self, is_open: bool):
        if not self.uploading:
            self.open = bool(is_open)
        if not self.open:
            return rx.clear_selected_files(UPLOAD_ID)
        return None

    @rx.event
    def set_caption(self, value: str):
        self.caption = value

    @rx.event
    def track_progress(self, progress: dict):
        """The browser reports how much it has sent. The last report (all of it) may
        arrive after ``send`` has finished, so it never turns the spinner back on
        (the next attachment's Send button would stay busy)."""
        fraction = float(progress.get("progress", 0) or 0)
        if fraction < 1:
            self.uploading = True
        self.progress = min(100, round(fraction * 100))

    @rx.event
    async def send(self, files: list[rx.UploadFile]):
        """Receive the uploaded files and send each as a message, in order."""
        chat = await self.get_state(ConversationState)
        self.uploading, self.error = True, ""
        if not files:
            self.error, self.uploading = "Choose a photo or document first.", False
            return
        if len(files) > MAX_FILES:
            self.error, self.uploading = f"Send at most {MAX_FILES} files at once.", False
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
                    client_msg_id=f"{self.batch_id}-{index}",
                )
            except ServiceError as error:
                self.error = f"{upload.name or 'This file'}: {error}"
                self.uploading = False
                yield ConversationState.show_latest
                return
            self.sent_count = index + 1
        self.uploading, self.open = False, False
        yield rx.clear_selected_files(UPLOAD_ID)
        yield ConversationState.show_latest
