"""One websocket, from the first frame to the close.

The first frame must be ``auth`` within :attr:`Limits.auth_timeout_s`; until
it passes :func:`chat_app.access_tokens.verify_token` nothing else is sent, and any
failure closes with 4401, as does a token whose session has ended (checked
then, and every :attr:`Limits.session_check_s` by the hub). Afterwards the
client may ``resume`` (once), ``ack`` the events it has applied and send
``typing``. A resume runs beside the reading
loop, so the acks it waits for are still read. Bad input never changes
anything: it gets an ``error`` frame, and repeated offences, floods and
oversize frames close the socket.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import time
from typing import Any

from pydantic import ValidationError
from starlette.websockets import WebSocket, WebSocketDisconnect

from chat_app import access_tokens
from chat_app.client_address import address_key, client_address
from chat_app.protocol import CLIENT_FRAME, Ack, Auth, Error, Resume, TypingSignal
from chat_app.realtime import codes, store
from chat_app.realtime.client import Client
from chat_app.realtime.hub import Hub
from chat_app.realtime.limits import Limits, TokenBucket

log = logging.getLogger(__name__)

# ``{"type": "ack", "last_event_id": N}`` as JSON.stringify and json.dumps write it:
# the keys in that order, once each, N a non-negative integer in JSON's own
# notation, JSON's whitespace only. Every frame this matches is one ``CLIENT_FRAME``
# parses as that Ack.
_PLAIN_ACK = re.compile(
    r'\{~"type"~:~"ack"~,~"last_event_id"~:~(0|[1-9][0-9]{0,17})~\}'.replace("~", "[ \t\n\r]*")
)


class Refused(Exception):
    """A frame that breaks the rules badly enough to end the connection."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


class BadFrame(Exception):
    """A frame we cannot use; the client is told and the socket stays open."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


class Connection:
    def __init__(self, websocket: WebSocket, hub: Hub, limits: Limits) -> None:
        self.websocket = websocket
        self.hub = hub
        self.limits = limits
        self.bucket = TokenBucket(limits.burst_frames, limits.frames_per_s)
        self.bad_frames = 0
        self.resuming: asyncio.Task[None] | None = None
        self.last_typing: dict[int, float] = {}

    async def receive(self) -> str:
        """The next text frame; raises :class:`Refused` for floods and oversize frames."""
        message = await self.websocket.receive()
        if message["type"] == "websocket.disconnect":
            raise WebSocketDisconnect(message.get("code", 1000))
        if not self.bucket.take():
            raise Refused(
                codes.RATE_LIMITED,
                f"rate limit: more than {self.limits.burst_frames} frames at once",
            )
        text = message.get("text")
        if text is None:
            data: bytes = message.get("bytes") or b""
            try:
                text = data.decode()
            except UnicodeDecodeError:
                text = ""
        if len(text.encode()) > self.limits.max_frame_bytes:
            raise Refused(codes.TOO_BIG, f"frame over {self.limits.max_frame_bytes} bytes")
        return text

    async def authenticate(self) -> access_tokens.TokenClaims:
        try:
            text = await asyncio.wait_for(self.receive(), self.limits.auth_timeout_s)
        except TimeoutError:
            raise Refused(codes.BAD_TOKEN, "no auth frame in time") from None
        except Refused as refused:
            raise Refused(codes.BAD_TOKEN, f"auth refused: {refused.reason}") from None
        try:
            frame = CLIENT_FRAME.validate_json(text)
        except ValidationError:
            raise Refused(codes.BAD_TOKEN, "the first frame must be auth with a token") from None
        if not isinstance(frame, Auth):
            raise Refused(codes.BAD_TOKEN, "the first frame must be auth with a token")
        try:
            claims = access_tokens.verify_token(frame.token)
        except access_tokens.InvalidToken as error:
            raise Refused(codes.BAD_TOKEN, f"invalid token: {error}") from None
        if claims.expires_at <= time.time():
            raise Refused(codes.BAD_TOKEN, "token expired")
        # A correctly signed token still needs its session: signed out, logged out
        # from another device, expired, or its person deleted all end it.
        if not await asyncio.to_thread(store.session_counts, claims.session_id, claims.user_id):
            raise Refused(codes.BAD_TOKEN, "session ended")
        return claims

    async def handle(self, client: Client, text: str) -> None:
        ack = _PLAIN_ACK.fullmatch(text)
        if ack is not None:
            # Clients ack far more often than they send anything else; a frame of
            # exactly this shape is a valid Ack, anything else is parsed in full.
            if not client.acknowledge(int(ack[1])):
                raise BadFrame("bad_frame", "ack above the last event sent")
            return
        try:
            frame = CLIENT_FRAME.validate_json(text)
        except ValidationError as error:
            raise BadFrame("bad_frame", _why(text, error)) from None
        if isinstance(frame, Resume):
            if self.resuming is not None:
                raise BadFrame("bad_frame", "resume may be sent once per connection")
            self.resuming = asyncio.get_running_loop().create_task(
                self.resume(client, frame.last_event_id)
            )
        elif isinstance(frame, Ack):
            if not client.acknowledge(frame.last_event_id):
                raise BadFrame("bad_frame", "ack above the last event sent")
        elif isinstance(frame, TypingSignal):
            await self.typing(client, frame.chat_id)
        else:
            raise BadFrame("bad_frame", "already authenticated")

    async def resume(self, client: Client, last_event_id: int) -> None:
        try:
            await self.hub.resume(client, last_event_id)
        except Exception:
            log.exception("resume for user %s failed", client.user_id)
            client.close(codes.INTERNAL_ERROR, "missed events could not be read; reconnect")

    async def typing(self, client: Client, chat_id: int) -> None:
        now = time.monotonic()
        if now - self.last_typing.get(chat_id, float("-inf")) < self.limits.typing_interval_s:
            return
        if not await asyncio.to_thread(store.is_member, chat_id, client.user_id):
            raise BadFrame("not_member", "you are not in that chat")
        self.last_typing[chat_id] = now
        await self.hub.relay_typing(chat_id=chat_id, user_id=client.user_id)

    def address(self) -> str:
        peer = self.websocket.client.host if self.websocket.client else ""
        return address_key(client_address(peer, self.websocket.headers))

    async def run(self) -> None:
        address = self.address()
        await self.websocket.accept()
        with self.hub.sockets_from(address) as count:
            try:
                if count > self.limits.max_sockets_per_address:
                    raise Refused(codes.TOO_MANY_SOCKETS, "too many sockets from this address")
                claims = await self.authenticate()
                if self.hub.sockets_of(claims.user_id) >= self.limits.max_sockets_per_user:
                    raise Refused(codes.TOO_MANY_SOCKETS, "too many sockets for this person")
            except Refused as refused:
                with contextlib.suppress(Exception):
                    await self.websocket.close(refused.code, refused.reason)
                return
            except WebSocketDisconnect:
                return
            await self.serve_authenticated(claims)

    async def serve_authenticated(self, claims: access_tokens.TokenClaims) -> None:
        client = Client(
            self.websocket,
            user_id=claims.user_id,
            session_id=claims.session_id,
            max_queued=self.limits.max_queued_frames,
            max_unacked=self.limits.max_unacked_events,
        )
        loop = asyncio.get_running_loop()
        left = max(0.0, claims.expires_at - time.time())
        expiry = loop.call_later(left, client.close, codes.BAD_TOKEN, "token expired")
        self.hub.register(client)
        try:
            await self.serve(client)
        finally:
            expiry.cancel()
            if self.resuming is not None:
                self.resuming.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self.resuming
            self.hub.unregister(client)
            await client.stop()

    async def serve(self, client: Client) -> None:
        try:
            while True:
                text = await self.receive()
                try:
                    await self.handle(client, text)
                except BadFrame as bad:
                    self.bad_frames += 1
                    if self.bad_frames > self.limits.max_bad_frames:
                        raise Refused(codes.BAD_FRAMES, "too many invalid frames") from None
                    error = Error(code=bad.code, reason=bad.reason, reconnect=False)
                    client.send(None, error.model_dump_json())
        except Refused as refused:
            client.close(refused.code, refused.reason)
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.shield(client.writer), 5)
        except WebSocketDisconnect:
            return


def _why(text: str, error: ValidationError) -> str:
    """A short, safe reason: not JSON, an unknown type, or which field is wrong."""
    try:
        parsed: Any = json.loads(text)
    except ValueError:
        return "not JSON"
    if not isinstance(parsed, dict) or "type" not in parsed:
        return "a frame must be an object with a type"
    first = error.errors()[0]
    if first["type"] == "union_tag_invalid":
        return f"unknown frame type {str(parsed['type'])[:40]!r}"
    where = ".".join(str(part) for part in first["loc"][1:]) or "frame"
    return f"{where}: {first['msg']}"[:200]
