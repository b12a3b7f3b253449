"""Controllers of the sign-in and sign-up forms: parse the form, call the auth service,
put each refusal next to the field it concerns."""

from __future__ import annotations

import asyncio
from typing import Any

import reflex as rx

from chat_app.client_address import client_address
from chat_app.routes import after_sign_in_route
from chat_app.services import auth, chat_list
from chat_app.services.errors import InvalidInput, TooManyAttempts
from chat_app.state.session import SessionState

USERNAME_RULE = auth.USERNAME_RULE


class AuthFormState(SessionState):
    """Errors by field name ("username", "display_name", "password", "form")."""

    errors: dict[str, str] = {}
    busy: bool = False

    @rx.var
    def username_error(self) -> str:
        return self.errors.get("username", "")

    @rx.var
    def display_name_error(self) -> str:
        return self.errors.get("display_name", "")

    @rx.var
    def password_error(self) -> str:
        return self.errors.get("password", "")

    @rx.var
    def form_error(self) -> str:
        return self.errors.get("form", "")

    def _client_address(self) -> str:
        """The address sign-in and sign-up limits count against (trusted proxies only);
        never empty, which the service would take for a call from a script."""
        peer = self.router.session.client_ip
        return client_address(peer, self.router.headers.raw_headers) or "unknown"

    async def _submit(self, call, **fields: str):
        self.busy = True
        self.errors = {}
        yield
        try:
            result = await asyncio.to_thread(
                call,
                **fields,
                address=self._client_address(),
                user_agent=self.router.headers.user_agent or "",
            )
        except InvalidInput as error:
            self.errors = {error.field: str(error)}
        except TooManyAttempts as error:
            self.errors = {"form": str(error)}
        else:
            self._remember(result.user, token=result.token)
            chat_id = self._chat_to_open()
            if chat_id and not await asyncio.to_thread(
                chat_list.is_member, user_id=result.user.id, chat_id=chat_id
            ):
                chat_id = 0  # not theirs (yet): the list, not "this chat does not exist"
            yield rx.redirect(after_sign_in_route(chat_id), replace=True)
        finally:
            self.busy = False


def _field(form: dict[str, Any], name: str) -> str:
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


class SignInState(AuthFormState):
    @rx.event
    async def submit(self, form: dict[str, Any]):
        async for update in self._submit(
            auth.sign_in, username=_field(form, "username"), password=_field(form, "password")
        ):
            yield update


class SignUpState(AuthFormState):
    @rx.event
    async def submit(self, form: dict[str, Any]):
        async for update in self._submit(
            auth.sign_up,
            username=_field(form, "username"),
            display_name=_field(form, "display_name"),
            password=_field(form, "password"),
        ):
            yield update
