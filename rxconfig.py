"""Reflex configuration, built from chat_app.settings (the one reader of the environment).

A bad setting stops every command here with one line naming the variable.
"""

import os
import sys

# Reflex would download its own bun; scripts/setup installs bun from npm instead.
os.environ.setdefault("REFLEX_USE_SYSTEM_BUN", "1")

import reflex as rx
from reflex.plugins.sitemap import SitemapPlugin

from chat_app.settings import ConfigError, get_settings

try:
    settings = get_settings()
except ConfigError as error:
    sys.exit(f"Configuration error: {error}")

# Reflex's socket pings every SOCKET_HEARTBEAT_SECONDS, and a side silent for
# twice that more is gone: a page whose backend froze notices within seconds and
# reconnects through Caddy to another one (Reflex's own default is 25 s + 120 s).
os.environ.setdefault("REFLEX_SOCKET_INTERVAL", f"{settings.socket_heartbeat_seconds}s")
os.environ.setdefault("REFLEX_SOCKET_TIMEOUT", f"{2 * settings.socket_heartbeat_seconds}s")

from chat_app.database import database_url
from chat_app.exported_pages import LeanExport
from chat_app.migrations import upgrade_to_head
from chat_app.start_up_patches import StartUpWithoutCookies
from chat_app.startup_notes import drop_wrong_reflex_advice

drop_wrong_reflex_advice()
DATABASE_URL = database_url()
# Development brings the schema to head here, before `reflex run` compares the
# models with the database (which would otherwise tell a newcomer to run
# `reflex db migrate`, a command this project forbids). The alembic run holds an
# advisory lock, so the backend worker importing this too is harmless.
# Production runs the one-shot migrate job instead.
if settings.migrate_on_start:
    upgrade_to_head(DATABASE_URL)


class RealtimeAddress(rx.plugins.Plugin):
    """Puts REALTIME_URL into ``.web/env.json``, where the socket component reads it.

    It is read when the frontend is built, so a static export carries it too.
    """

    def update_env_json(self, **context: object) -> dict[str, object]:
        return {"REALTIME_URL": settings.realtime_url}


class RadixThemesUsedColors(rx.plugins.RadixThemesPlugin):
    """Radix Themes with the colour scales this app uses, not all thirty.

    Radix's ``styles.css`` is tokens (every scale, light and dark, about 35 KB
    compressed) + components + utilities, all render-blocking on the first
    load. Its split files let the tokens be its base plus the scales named
    here (about 10 KB): the teal accent, the sage gray Radix pairs with it,
    the gray and red of ``color_scheme=`` props. A ``color_scheme`` outside
    this list renders uncoloured, so add its scale here when using one.
    """

    colors: tuple[str, ...] = ("teal", "sage", "gray", "red")

    def get_frontend_dependencies(self, **context: object) -> tuple[str, ...]:
        """None of its own: the components that use Radix Themes declare the package.

        Reflex puts every plugin's frontend dependency on ``window`` for dynamic
        components (which this app does not render), importing the whole namespace
        in the app's root: that defeated tree-shaking, and every page loaded all of
        Radix Themes (~90 KB compressed) where it uses about twenty components.
        """
        return ()

    def get_stylesheet_paths(self, **context: object) -> tuple[str, ...]:
        if not self.enabled:
            return ()
        themes = "@radix-ui/themes"
        return (
            f"{themes}/tokens/base.css",
            *(f"{themes}/tokens/colors/{color}.css" for color in self.colors),
            f"{themes}/components.css",
            f"{themes}/utilities.css",
        )


# FRONTEND_PORT is not passed on: Reflex reads it itself, and a frontend port in
# the config makes `reflex run --backend-only` (each production backend) refuse
# to start. The settings still check it, so a bad value is named at once.
config = rx.Config(
    app_name="chat_app",
    db_url=DATABASE_URL,
    backend_port=settings.backend_port,
    **({"api_url": settings.api_url} if settings.api_url else {}),
    # Only the public origin may call the backend with credentials, and only its
    # pages may open Reflex's websocket (any origin in development).
    cors_allowed_origins=settings.allowed_origins,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    default_color_mode="system",
    disable_plugins=[SitemapPlugin],
    plugins=[
        RadixThemesUsedColors(theme=rx.theme(accent_color="teal", radius="large")),
        RealtimeAddress(),
        LeanExport(),
        StartUpWithoutCookies(),
    ],
)
