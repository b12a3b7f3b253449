"""The Reflex app: pages and start-up, nothing else."""

from __future__ import annotations

import reflex as rx

from chat_app.api import files, health, upload_guard
from chat_app.realtime_launcher import realtime_beside_backend
from chat_app.startup_notes import announce_where_the_data_is
from chat_app.state.attach import AttachState
from chat_app.state.chat_list import ChatListState
from chat_app.state.conversation import ConversationState
from chat_app.state.guard import SessionGuard
from chat_app.state.outage import backend_exception_handler
from chat_app.state.session import SessionState
from chat_app.sweep_files import sweep_periodically
from chat_app.ui.components import pwa_support
from chat_app.ui.pages import chat, home, not_found, sign_in, sign_up
from chat_app.ui.theme_colours import colour

# What a search result or a shared link shows under the title.
DESCRIPTION = "Chat one to one and in groups, with photos, files and read receipts, in the browser."


app = rx.App(
    stylesheets=["/theme.css"],
    head_components=[
        rx.el.meta(
            name="viewport", content="width=device-width, initial-scale=1, viewport-fit=cover"
        ),
        # The status bar takes the header panel's colour in each scheme, so the
        # installed app reads as one surface up to the notch.
        rx.el.meta(
            name="theme-color",
            content=colour("panel"),
            custom_attrs={"media": "(prefers-color-scheme: light)"},
        ),
        rx.el.meta(
            name="theme-color",
            content=colour("panel", "dark"),
            custom_attrs={"media": "(prefers-color-scheme: dark)"},
        ),
        # Installable on phones: the manifest names the app, its icons and standalone display.
        rx.el.link(rel="manifest", href="/manifest.json"),
        rx.el.link(rel="icon", href="/icons/icon-192.png", type="image/png"),
        rx.el.link(rel="apple-touch-icon", href="/icons/apple-touch-icon.png"),
        rx.el.meta(name="mobile-web-app-capable", content="yes"),
        rx.el.meta(name="apple-mobile-web-app-capable", content="yes"),
        rx.el.meta(name="apple-mobile-web-app-title", content="Chat"),
        # iOS draws its own light status bar above the page, like the light header.
        rx.el.meta(name="apple-mobile-web-app-status-bar-style", content="default"),
    ],
    # Around every page, signed in or not: the service worker and the offline notice.
    extra_app_wraps={(pwa_support.APP_WRAP_ORDER, "PwaSupport"): pwa_support.pwa_support},
    # Signed file and avatar links are served beside Reflex (see chat_app/api/files.py),
    # /_health bounds each of its checks in time (chat_app/api/health.py), and
    # uploads are let through only for a signed-in person and a bounded body
    # (chat_app/api/upload_guard.py).
    api_transformer=[files.create_app(), health.create_app(), upload_guard.UploadGuard],
    # Redis or the database out of reach: the page's connection notice, not an error toast.
    backend_exception_handler=backend_exception_handler,
)
# The offline notice (pwa_support) already says when the backend cannot be reached;
# Reflex's own connection toast and pulsing icon would say it twice more.
del app.app_wraps[(5, "Overlay")]
# Every event handler runs only for a verified, unrevoked session (or is on the
# guard's short allow-list for visitors): see chat_app/state/guard.py.
app.add_middleware(SessionGuard(), index=0)
app.register_lifespan_task(announce_where_the_data_is)
app.register_lifespan_task(realtime_beside_backend)
app.register_lifespan_task(sweep_periodically)
app.add_page(
    home.page,
    route=home.ROUTE,
    title=home.TITLE,
    description=DESCRIPTION,
    on_load=[SessionState.require_session, ChatListState.start, AttachState.close_if_left],
)
app.add_page(
    chat.page,
    route=chat.ROUTE,
    title=chat.TITLE,
    description=DESCRIPTION,
    on_load=[
        SessionState.require_session,
        ChatListState.start,
        ConversationState.open,
        AttachState.close_if_left,
    ],
)
app.add_page(
    sign_in.page,
    route=sign_in.ROUTE,
    title=sign_in.TITLE,
    description=DESCRIPTION,
    on_load=SessionState.skip_if_signed_in,
)
app.add_page(
    sign_up.page,
    route=sign_up.ROUTE,
    title=sign_up.TITLE,
    description=DESCRIPTION,
    on_load=SessionState.skip_if_signed_in,
)
app.add_page(not_found.page, route=not_found.ROUTE, title=not_found.TITLE, description=DESCRIPTION)
