"""The production topology on loopback, without containers.

PostgreSQL, Redis, one migrate run, the exported frontend, two Reflex backends
in production mode, two realtime instances and Caddy with the repository's
``Caddyfile``, each on a free 127.0.0.1 port, as Compose runs them. The
failover tests and ``bench/failover.py`` drive it (kill a backend, restart
PostgreSQL, ...); ``scripts/stack`` runs it for a person to try.
"""

from tests.stack.topology import Stack, StackOptions

__all__ = ["Stack", "StackOptions"]
