"""In development the frontend has a port of its own, so the backend takes any origin
(production's single origin is checked through Caddy in tests/topology/test_headers.py)."""

from __future__ import annotations

from tests import test_upload_guard
from tests.test_upload_guard import Backend
from tests.topology.test_headers import event_socket_opens, fetch

# A development backend (APP_ENV=development), started once for the module.
backend = test_upload_guard.backend


def test_a_development_backend_takes_the_frontends_own_port_as_an_origin(backend: Backend):
    base = f"http://127.0.0.1:{backend.port}"
    frontend = "http://localhost:3000"

    _, headers = fetch(base + "/ping", headers={"Origin": frontend})

    assert event_socket_opens(base, frontend)
    assert headers["access-control-allow-origin"] in ("*", frontend)
