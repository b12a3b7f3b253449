"""The realtime websocket service (its own process, ``python -m chat_app.realtime``).

It imports the protocol, token verification, settings, the database and
read-only repositories — never Reflex, the controllers or the services.
"""
