"""The signed-in person, shared by every screen.

The token lives in the browser's localStorage and is synced across tabs, so
signing out in one tab empties it in all of them; the server-side fields are
a cache that ``state.guard`` re-checks against the ``sessions`` row before
every event, and wipes (with every screen's cached data) when it fails.
"""

from __future__ import annotations

import asyncio

import reflex as rx

from chat_app.routes import (
    SIGN_IN,
    after_sign_in_route,
    chat_id_in_path,
    chat_id_in_query,
    sign_in_route,
)
from chat_app.services import attachments, auth
from chat_app.state import formatting

TOKEN_STORAGE_KEY = "chat_token"
# The browser's time zone and its locale's clock ("h12" in en-US, "h23" in en-GB
# or de), read by the browser itself: nothing goes into the script. ``Intl``'s
# first use loads the locale data, a long task on a phone, so what it said is
# kept in localStorage with what it depends on (the language and the zone's
# offsets in January and July, which ``Date`` gives for free) and read again
# only when one of those changed: a new locale, a flight, a zone with other rules.
CLOCK_STORAGE_KEY = "chat_clock"
DETECT_TIMEZONE_JS = (
    "(() => {"
    " const year = new Date().getFullYear();"
    " const offsets = [0, 6].map((month) => new Date(year, month, 1).getTimezoneOffset()).join();"
    " const basis = `${navigator.language} ${offsets}`;"
    f" const key = '{CLOCK_STORAGE_KEY}';"
    " try {"
    "  const kept = JSON.parse(localStorage.getItem(key));"
    "  if (kept && kept.basis === basis) return [kept.zone, kept.cycle];"
    " } catch (error) {}"
    " const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;"
    " const cycle = new Intl.DateTimeFormat(undefined, {hour: 'numeric'})"
    "  .resolvedOptions().hourCycle;"
    " try { localStorage.setItem(key, JSON.stringify({basis, zone, cycle})); } catch (error) {}"
    " return [zone, cycle];"
    "})()"
)


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
    # Whether the browser's locale writes a 12-hour clock ("2:05 PM").
    hour12: bool = False
    # Whether the tab is in front (the realtime component reports it): messages are
    # only marked read while someone can see them.
    _page_visible: bool = True
    # The ``sessions`` row the token names ("This device"; signs my file links).
    _session_id: int = 0
    # The socket that presented the token; a token is only trusted on the socket
    # that brought it (or that signed in), never on a reconnect that did not.
    _token_sid: str = ""
    # The socket that brought the page's start-up event, with or without a token
    # (state.guard): an event on any other socket comes from a page the server
    # has forgotten, which is asked to boot again.
    _booted_sid: str = ""

    @rx.var
    def signed_in(self) -> bool:
        return bool(self.token)

    @rx.var
    def initials(self) -> str:
        return formatting.initials(self.display_name)

    def _remember(self, user: auth.SessionUser, token: str | None = None) -> None:
        if token is not None:
            self.token = token
            self._token_sid = self.router.session.session_id
        self._session_id = user.session_id
        self.user_id = user.id
        self.username = user.username
        self._remember_profile(user.display_name, user.avatar_path)

    def _remember_profile(self, display_name: str, avatar_path: str | None) -> None:
        """My name and picture as the header shows them (the link signed for me)."""
        self.display_name = display_name
        self.avatar_url = attachments.avatar_url(avatar_path, viewer_id=self.user_id)

    async def _forget(self) -> None:
        """Empty this tab's state: the token (so every tab of the browser lets go of
        it) and every screen's cached data, so nothing of the person stays behind."""
        await wipe(self)

    @rx.event
    def require_session(self):
        """on_load of signed-in pages: the guard has checked the session already;
        without one, the visitor goes to sign-in."""
        if self.user_id:
            return None
        chat_id = chat_id_in_path(self.router.url.path)
        return rx.redirect(sign_in_route(chat_id), replace=True)

    async def _resume_session(self) -> bool:
        """Whether this event runs for a verified session (the guard resolved it,
        also in a fresh state that another backend took over)."""
        return bool(self.user_id)

    @rx.event
    def skip_if_signed_in(self):
        """on_load of the sign-in and sign-up pages: a valid session goes straight home."""
        if self.user_id:
            return rx.redirect(after_sign_in_route(self._chat_to_open()), replace=True)
        return None

    def _chat_to_open(self) -> int:
        """The chat whose link brought a signed-out person to sign in (0: none),
        where signing in goes on to (``routes.after_sign_in_route``)."""
        return chat_id_in_query(self.router.url.query_parameters)

    def _set_timezone(self, detected: object) -> None:
        """From DETECT_TIMEZONE_JS: [time zone, hour cycle]; anything else is ignored."""
        if not isinstance(detected, list) or len(detected) != 2:
            return
        name, cycle = detected
        # Assigned only when it differs: the list and the chat both ask on every
        # load, and an assignment is sent to the page, re-rendering all that
        # reads the session (the whole signed-in frame) for nothing.
        if isinstance(name, str) and 0 < len(name) <= 64 and name != self.timezone:
            self.timezone = name
        if isinstance(cycle, str) and (cycle in ("h11", "h12")) != self.hour12:
            self.hour12 = cycle in ("h11", "h12")

    @rx.event
    async def sign_out(self):
        """End the session server-side (every backend and the realtime service refuse
        it from now on), then forget everything this tab held."""
        if self.user_id and self.token:
            await asyncio.to_thread(auth.sign_out, self.token)
        await self._forget()
        return rx.redirect(SIGN_IN, replace=True)


def _state_classes(cls: type[rx.State]) -> list[type[rx.State]]:
    found = [cls]
    for substate in cls.get_substates():
        found.extend(_state_classes(substate))
    return found


async def wipe(state: rx.State) -> None:
    """Reset SessionState and every state below it to defaults, loading each first
    (with Redis a substate not yet loaded would otherwise keep its old values)."""
    session = await state.get_state(SessionState)
    for cls in _state_classes(SessionState)[1:]:
        await state.get_state(cls)
    session.reset()
