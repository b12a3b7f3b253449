"""``python -m chat_app.realtime``: serve the realtime service on REALTIME_HOST:REALTIME_PORT."""

from __future__ import annotations

import argparse

import uvicorn

from chat_app.realtime.server import server_config
from chat_app.settings import get_settings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m chat_app.realtime")
    parser.add_argument(
        "--log-level",
        default="info",
        choices=("debug", "info", "warning", "error"),
        help="warning: only problems (the development backend starts it so)",
    )
    arguments = parser.parse_args(argv)
    settings = get_settings()
    config = server_config(
        settings.realtime_host, settings.realtime_port, log_level=arguments.log_level
    )
    uvicorn.Server(config).run()


if __name__ == "__main__":
    main()
