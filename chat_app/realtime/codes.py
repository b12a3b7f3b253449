"""Close codes the service uses (4000-4999 are the application's own range)."""

from __future__ import annotations

BAD_TOKEN = 4401  # missing, malformed, expired or forged token: sign in again
BAD_FRAMES = 4400  # repeated invalid frames
RATE_LIMITED = 4429  # too many frames
# Too many open sockets for this person or from this address (on this instance):
# close another tab or device first. The page retries later, backing off.
TOO_MANY_SOCKETS = 4409
TOO_BIG = 1009  # a frame over the size limit (the standard code)
TOO_SLOW = 1013  # the client fell too far behind: reconnect and resume
INTERNAL_ERROR = 1011  # the service failed (its database was out of reach): reconnect
