"""The signed-in person, shared by every screen.

The token lives in the browser's localStorage and is synced across tabs, so
signing out in one tab empties it in all of them; the server-side fields are
a cache rebuilt from the token on every page load.
"""

from __future__ import annotations

import asyncio

import reflex as rx

from chat_app.services import attachments, auth
from chat_app.services.errors import NotAuthenticated
from chat_app.state import formatting

TOKEN_STORAGE_KEY = "chat_token"
DETECT_TIMEZONE_JS = "Intl.DateTimeFormat().resolvedOptions().timeZone"
SIGN_IN_ROUTE = "/signin"
HOME_ROUTE = "/"


class SessionState(rx.State):
    token: str = rx.LocalStorage("", name=TOKEN_STORAGE_KEY, sync=True)
    user_id: int = 0
    username: str = ""
    display_name: str = ""
    # A signed link to my picture, "" for initials. Links expire, so it is made
    # afresh whenever the session is resolved (every page load).
    avatar_url: str = ""
    # The browser's IANA time zone, so times read as the person's own clock.
    timezone: str = "UTC"
    # Whether the tab is in front (the realtime component reports it): messages are
    # only marked read while someone can see them.
    _page_visible: bool = True

    @rx.var
    def signed_in(self) -> bool:
        return bool(self.token)

    @rx.var
    def initials(self) -> str:
        return formatting.initials(self.display_name)

    def _remember(self, user: auth.SessionUser, token: str | None = None) -> None:
        if token is not None:
            self.token = token
        self.user_id = user.id
        self.username = user.username
        self.display_name = user.display_name
        self.avatar_url = attachments.avatar_url(user.avatar_path, viewer_id=user.id)

    def _forget(self) -> None:
        self.token = ""
        self.user_id = 0
        self.username = ""
        self.display_name = ""
        self.avatar_url = ""

    @rx.event
    async def require_session(self):
        """on_load of signed-in pages: resolve the token or send the visitor to sign-in."""
        if await self._resolve_token():
            return None
        self._forget()
        return rx.redirect(SIGN_IN_ROUTE, replace=True)

    async def _resume_session(self) -> bool:
        """Resolve the token again if this state is fresh; False if it is not valid.

        A state can be fresh while its page is not: when a backend dies, its tabs
        reconnect to another one with a new state, and an event they had queued
        may be handled there before the page's on_load."""
        return bool(self.user_id) or await self._resolve_token()

    async def _resolve_token(self) -> bool:
        """Who the token names, remembered in this state; False when it names no one."""
        try:
            user = await asyncio.to_thread(auth.session_user, self.token)
        except NotAuthenticated:
            return False
        self._remember(user)
        return True

    @rx.event
    async def skip_if_signed_in(self):
        """on_load of the sign-in and sign-up pages: a valid session goes straight home."""
        if not self.token:
            return None
        try:
            user = await asyncio.to_thread(auth.session_user, self.token)
        except NotAuthenticated:
            self._forget()
            return None
        self._remember(user)
        return rx.redirect(HOME_ROUTE, replace=True)

    def _set_timezone(self, name: object) -> None:
        if isinstance(name, str) and 0 < len(name) <= 64:
            self.timezone = name

    @rx.event
    def sign_out(self):
        self._forget()
        return rx.redirect(SIGN_IN_ROUTE, replace=True)
