"""One module per screen; each exposes the route, the title and its component."""
