"""A backend that cannot reach the database says so on /_health, and Caddy
stops sending it requests: nobody is served by it until it can again.

A third backend is added whose database connection goes through a link the
test cuts; the other two keep theirs. Caddy balances over all three, so
without its health checks about a third of the requests below would land
on the cut-off backend and fail.
"""

from __future__ import annotations

from collections import Counter

from tests.app_runner import http_status
from tests.stack import Stack
from tests.topology.db_link import DatabaseLink

REQUESTS = 60


def test_a_backend_without_its_database_leaves_the_rotation(stack: Stack) -> None:
    link = DatabaseLink(stack.database_url)
    cut_off = stack.add_backend(database_url=link.url)
    own_health = f"http://127.0.0.1:{cut_off.port}/_health"
    try:
        assert http_status(own_health) == 200
        link.cut()
        cut_off.wait_until(lambda: http_status(own_health) == 503, 15)
        # It is running; only its database is gone.
        assert http_status(f"http://127.0.0.1:{cut_off.port}/ping") == 200
        stack.let_proxy_notice()

        answers = Counter(http_status(f"{stack.url}/_health") for _ in range(REQUESTS))
        assert answers == Counter({200: REQUESTS})

        # Reachable again, it reports healthy again (and Caddy's checks take it back).
        link.restore()
        cut_off.wait_until(lambda: http_status(own_health) == 200, 30)
    finally:
        stack.remove_backend(cut_off)
        link.close()
