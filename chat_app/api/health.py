"""``GET /_health``: Reflex's own check of the database and Redis, each bounded in time.

Reflex's check waits on its Redis ping for as long as the connection does: with
Redis frozen or cut off (not refusing, just silent) it measured over 20 s, so a
reader (or a proxy) learned nothing until it gave up. Here each check has
:data:`CHECK_TIMEOUT_S`; one that does not answer by then counts as down, and
the answer says which: ``{"status": false, "db": true, "redis": false}`` with a
503, as Reflex answers when Redis refuses outright.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable

from reflex.model import get_db_status
from reflex.utils import prerequisites
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

HEALTH_PATH = "/_health"
# Caddy's health_timeout is 2 s: the answer must come well within it.
CHECK_TIMEOUT_S = 1.0


async def _bounded(name: str, check: Awaitable[dict[str, bool | None]]) -> dict[str, bool | None]:
    try:
        return await asyncio.wait_for(check, CHECK_TIMEOUT_S)
    except TimeoutError:
        return {name: False}


async def health(_request: Request) -> JSONResponse:
    checks = []
    if prerequisites.check_db_used():
        checks.append(_bounded("db", asyncio.to_thread(get_db_status)))
    if prerequisites.check_redis_used():
        checks.append(_bounded("redis", prerequisites.get_redis_status()))
    status: dict[str, bool | None] = {"status": True}
    for result in await asyncio.gather(*checks):
        status |= result
    if status.get("redis", True) is None:
        status["redis"] = False
    healthy = all(status.values())
    status["status"] = healthy
    return JSONResponse(status, status_code=200 if healthy else 503)


def create_app() -> Starlette:
    """Mounted in front of Reflex (``rx.App(api_transformer=...)``), so this route
    answers ``/_health`` instead of Reflex's."""
    return Starlette(routes=[Route(HEALTH_PATH, health, methods=["GET"])])
