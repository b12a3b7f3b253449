"""How the app is served: uvicorn with the websocket settings chat frames need.

Per-message compression is off: for small JSON frames it roughly triples the
memory per connection and costs CPU for little gain. The frame size limit is
enforced by the protocol layer, which closes with 1009. Responses carry no
``Server`` header naming uvicorn.
"""

from __future__ import annotations

import uvicorn

from chat_app.realtime.app import create_app
from chat_app.realtime.limits import Limits


def server_config(
    host: str, port: int, limits: Limits | None = None, log_level: str = "info"
) -> uvicorn.Config:
    limits = limits or Limits()
    return uvicorn.Config(
        create_app(limits),
        host=host,
        port=port,
        ws="websockets-sansio",
        ws_max_size=limits.max_frame_bytes,
        ws_per_message_deflate=False,
        # The client's address is read from X-Forwarded-For by the app itself, and
        # only from TRUSTED_PROXIES (chat_app.client_address), not by uvicorn.
        proxy_headers=False,
        ws_ping_interval=20.0,
        ws_ping_timeout=20.0,
        lifespan="on",
        log_level=log_level,
        access_log=False,
        # Responses do not name the server software (nor its version).
        server_header=False,
    )
