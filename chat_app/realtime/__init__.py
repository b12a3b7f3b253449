"""The realtime websocket service (its own process, ``python -m chat_app.realtime``).

It imports the protocol, token verification, settings, the database and the
outbox, event and presence repositories — never Reflex, the controllers or
the services. It writes only what is its own: pruning old events and presence.
"""
