"""HTTP routes beside Reflex's websocket: plain Starlette endpoints that, like the
Reflex states, parse a request, call one service and shape the answer."""
