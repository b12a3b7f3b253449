"""Controller of the profile panel: my picture, name and about, and Linked devices.

The theme choice in the same panel is the browser's own (Reflex's colour mode,
kept in localStorage), so it needs nothing here.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import reflex as rx

from chat_app.services import people, sessions
from chat_app.services.errors import InvalidInput, ServiceError
from chat_app.services.read_models import PersonView
from chat_app.state import formatting
from chat_app.state.photo_upload import PhotoUploadMixin
from chat_app.state.session import SessionState

PHOTO_UPLOAD_ID = "profile-photo"


def _text(form: dict[str, Any], name: str) -> str:
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


@dataclass(frozen=True)
class DeviceRow:
    """One signed-in session in "Linked devices"."""

    id: int
    device: str
    signed_in: str
    last_active: str
    is_current: bool


def to_device_row(
    view: sessions.SessionView, now: datetime, timezone: str, hour12: bool = False
) -> DeviceRow:
    tz = formatting.zone(timezone)
    return DeviceRow(
        id=view.id,
        device=view.device,
        signed_in="Signed in " + formatting.when(view.created_at, now, tz, hour12),
        last_active="Active now"
        if view.is_current
        else "Last active " + formatting.when(view.last_active_at, now, tz, hour12),
        is_current=view.is_current,
    )


class ProfileState(PhotoUploadMixin, SessionState):
    panel_open: bool = False
    loading: bool = False
    about: str = ""
    # Errors by form field: "display_name", "about", or "form" for anything else.
    errors: dict[str, str] = {}
    saved: bool = False
    busy: bool = False
    # Linked devices: my active sessions, this one first.
    devices: list[DeviceRow] = []
    devices_error: str = ""

    @rx.var
    def other_device_count(self) -> int:
        return sum(1 for row in self.devices if not row.is_current)

    @rx.var
    def display_name_error(self) -> str:
        return self.errors.get("display_name", "")

    @rx.var
    def about_error(self) -> str:
        return self.errors.get("about", "")

    @rx.var
    def form_error(self) -> str:
        return self.errors.get("form", "")

    def _show(self, me: PersonView) -> None:
        """The header's avatar comes from SessionState's name and picture link."""
        self._remember_profile(me.display_name, me.avatar_path)

    @rx.event
    async def open_panel(self):
        """Read the profile afresh: it may have been changed in another tab."""
        self.errors, self.saved, self.busy = {}, False, False
        self._reset_photo()
        self.loading, self.panel_open = True, True
        yield
        try:
            me = await asyncio.to_thread(people.get_profile, user_id=self.user_id)
        except ServiceError as error:
            self.errors = {"form": str(error)}
        else:
            self._show(me)
            self.about = me.about
        await self._load_devices()
        self.loading = False

    async def _load_devices(self) -> None:
        try:
            views = await asyncio.to_thread(
                sessions.list_sessions, user_id=self.user_id, current_session_id=self._session_id
            )
        except ServiceError as error:
            self.devices_error = str(error)
            return
        now = datetime.now(UTC)
        self.devices = [to_device_row(view, now, self.timezone, self.hour12) for view in views]
        self.devices_error = ""

    @rx.event
    async def log_out_device(self, session_id: int):
        """ "Log out" on another of my sessions; the service refuses anyone else's."""
        if not isinstance(session_id, int) or session_id == self._session_id:
            return
        problem = ""
        try:
            await asyncio.to_thread(sessions.revoke, user_id=self.user_id, session_id=session_id)
        except ServiceError as error:
            problem = str(error)
        await self._load_devices()
        self.devices_error = problem or self.devices_error

    @rx.event
    async def log_out_other_devices(self):
        await asyncio.to_thread(
            sessions.revoke_others, user_id=self.user_id, current_session_id=self._session_id
        )
        await self._load_devices()

    @rx.event
    def set_panel_open(self, is_open: bool):
        self.panel_open = bool(is_open)

    @rx.event
    def edited(self):
        """Typing again hides the old "Saved" note, which would now be untrue."""
        self.saved = False

    @rx.event
    async def save(self, form: dict[str, Any]):
        self.busy, self.errors, self.saved = True, {}, False
        yield
        try:
            me = await asyncio.to_thread(
                people.update_profile,
                user_id=self.user_id,
                display_name=_text(form, "display_name"),
                about=_text(form, "about"),
            )
        except InvalidInput as error:
            self.errors = {error.field: str(error)}
        except ServiceError as error:
            self.errors = {"form": str(error)}
        else:
            self._show(me)
            self.about = me.about
            self.saved = True
        finally:
            self.busy = False

    @rx.event
    async def upload_photo(self, files: list[rx.UploadFile]):
        """Store the picture and make it mine. Name and about are kept as last saved,
        not as half-typed in the form: choosing a photo is not saving the form."""
        data = self._chosen_photo(files)
        if data is None:
            return
        try:
            me = await asyncio.to_thread(people.set_profile_photo, user_id=self.user_id, data=data)
        except ServiceError as error:
            self._photo_done(str(error))
            return
        self._photo_done()
        self._show(me)

    @rx.event
    async def remove_photo(self):
        self._reset_photo()
        try:
            me = await asyncio.to_thread(people.remove_avatar, user_id=self.user_id)
        except ServiceError as error:
            self.photo_error = str(error)
            return
        self._show(me)
