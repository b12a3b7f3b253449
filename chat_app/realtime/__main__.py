"""``python -m chat_app.realtime``: serve the realtime service on REALTIME_HOST:REALTIME_PORT."""

from __future__ import annotations

import uvicorn

from chat_app.realtime.server import server_config
from chat_app.settings import get_settings


def main() -> None:
    settings = get_settings()
    uvicorn.Server(server_config(settings.realtime_host, settings.realtime_port)).run()


if __name__ == "__main__":
    main()
