"""Controller of "Change group photo" in a group's info panel.

A substate of :class:`ChatInfoState`, so it knows the open chat and reloads
the panel, the conversation and the chat list the same way the panel's other
actions do, while the panel's own controller stays small. Only admins are
offered the control; the service refuses anyone else all the same.
"""

from __future__ import annotations

import asyncio

import reflex as rx

from chat_app.services import groups
from chat_app.services.errors import ServiceError
from chat_app.state.chat_info import ChatInfoState
from chat_app.state.photo_upload import PhotoUploadMixin

GROUP_PHOTO_UPLOAD_ID = "group-photo"


class GroupPhotoState(PhotoUploadMixin, ChatInfoState):
    # The group the last upload was for: its error is not shown in another chat's panel.
    photo_chat_id: int = 0

    @rx.event
    async def upload_photo(self, files: list[rx.UploadFile]):
        """Store the picture and set it; the service adds "<admin> changed the group
        picture" to the chat, which the reloaded conversation then shows."""
        self.photo_chat_id = self.chat_id
        data = self._chosen_photo(files)
        if data is None:
            return
        try:
            await asyncio.to_thread(
                groups.set_group_photo, user_id=self.user_id, chat_id=self.chat_id, data=data
            )
        except ServiceError as error:
            self._photo_done(str(error))
            return
        self._photo_done()
        async for update in self._changed():
            yield update
