"""The ASGI app: ``/health`` and the websocket at ``/realtime`` (and ``/``).

The hub (LISTEN connection, fan-out and pruning tasks) lives as long as the
app, started and stopped by the lifespan.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket

from chat_app.database import database_url
from chat_app.realtime import store
from chat_app.realtime.endpoint import Connection
from chat_app.realtime.hub import Hub
from chat_app.realtime.limits import Limits
from chat_app.settings import get_settings

log = logging.getLogger(__name__)


def create_app(limits: Limits | None = None) -> Starlette:
    limits = limits or Limits()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        hub = Hub(
            database_url=database_url(),
            limits=limits,
            retention_s=get_settings().realtime_event_retention_seconds,
        )
        await hub.start()
        app.state.hub = hub
        try:
            yield
        finally:
            await hub.stop()

    async def health(request: Request) -> JSONResponse:
        try:
            ok = await asyncio.wait_for(asyncio.to_thread(store.healthy), 5)
        except Exception:
            log.warning("health check: database unreachable", exc_info=True)
            ok = False
        if ok:
            return JSONResponse({"status": "ok"})
        return JSONResponse({"status": "unavailable", "database": False}, status_code=503)

    async def socket(websocket: WebSocket) -> None:
        await Connection(websocket, websocket.app.state.hub, limits).run()

    return Starlette(
        routes=[
            Route("/health", health),
            WebSocketRoute("/realtime", socket),
            WebSocketRoute("/", socket),
        ],
        lifespan=lifespan,
    )
