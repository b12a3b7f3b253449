"""The realtime websocket service (its own process). It may import the protocol,
token verification and read-only repositories, never Reflex or the controllers."""
